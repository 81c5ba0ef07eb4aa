<?php
// Symfony Routing + HttpFoundation on `php -S` (this file is the router script): the request as
// Laravel and Symfony read it. Request::createFromGlobals() takes PHP's own parse of the query and
// form body ($_GET/$_POST, with PHP's name mangling) and its CGI-style $_SERVER headers;
// enableHttpMethodParameterOverride() is what Laravel's kernel calls (a POST's `_method` body or
// query field is the method); X-HTTP-Method-Override on a POST always is. UrlMatcher matches the
// routes in order, as added from the shared rules.
//
// Env: ORIGIN_RULES (test/origins/rules.ts as JSON), RAN_LOG (a file to append a JSON line to
// each time a handler runs).
require '/usr/share/php/Symfony/Component/HttpFoundation/autoload.php';
require '/usr/share/php/Symfony/Component/Routing/autoload.php';

use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\Routing\Exception\MethodNotAllowedException;
use Symfony\Component\Routing\Exception\ResourceNotFoundException;
use Symfony\Component\Routing\Matcher\UrlMatcher;
use Symfony\Component\Routing\RequestContext;
use Symfony\Component\Routing\Route;
use Symfony\Component\Routing\RouteCollection;

$rules = json_decode(getenv('ORIGIN_RULES'), true);
$routes = new RouteCollection();
foreach ($rules['routes'] as $rule) {
    $path = preg_replace('/:(\w+)/', '{$1}', $rule['path']);
    $routes->add($rule['name'], new Route($path, [], [], [], '', [], $rules['methods']));
}

Request::enableHttpMethodParameterOverride();
$request = Request::createFromGlobals();
try {
    $context = (new RequestContext())->fromRequest($request);
    $matched = (new UrlMatcher($routes, $context))->matchRequest($request);
} catch (ResourceNotFoundException $e) {
    (new Response("not found\n", 404))->send();
    return true;
} catch (MethodNotAllowedException $e) {
    (new Response("method not allowed\n", 405))->send();
    return true;
} catch (\Throwable $e) {
    (new Response(get_class($e) . ': ' . $e->getMessage() . "\n", 400))->send();
    return true;
}

$record = [
    'probe' => (string) $request->headers->get('x-probe'),
    'route' => $matched['_route'],
    'method' => $request->getMethod(),
    'path' => $request->getPathInfo(),
];
file_put_contents(getenv('RAN_LOG'), json_encode($record) . "\n", FILE_APPEND | LOCK_EX);
(new JsonResponse($record))->send();
return true;
