# Rails routing on Puma: ActionDispatch::Routing::RouteSet (actionpack), drawn with `match … via:`
# from the shared rules, behind Rack::MethodOverride, the middleware every Rails app runs
# (`rails middleware`): a POST whose form body carries `_method` (or whose
# X-HTTP-Method-Override header names a method) runs as that method. Each route gets Rails'
# default optional format segment `(.:format)`, as in any routes.rb.
#
# Env: ORIGIN_RULES (test/origins/rules.ts as JSON), RAN_LOG (a file to append a JSON line to each
# time a handler runs).
require 'json'
require 'action_dispatch'

rules = JSON.parse(ENV.fetch('ORIGIN_RULES'))
log = ENV.fetch('RAN_LOG')
lock = Mutex.new

handler = lambda do |name|
  lambda do |env|
    record = {
      probe: env['HTTP_X_PROBE'].to_s,
      route: name,
      method: env['REQUEST_METHOD'],
      path: env['PATH_INFO'],
      format: env['action_dispatch.request.path_parameters'][:format],
    }
    lock.synchronize { File.open(log, 'a') { |f| f.puts(JSON.generate(record)) } }
    [200, { 'content-type' => 'application/json' }, [JSON.generate(record)]]
  end
end

routes = ActionDispatch::Routing::RouteSet.new
routes.draw do
  rules['routes'].each do |rule|
    match rule['path'], to: handler.call(rule['name']), via: rules['methods'].map { |m| m.downcase.to_sym }
  end
end

use Rack::MethodOverride
run routes
