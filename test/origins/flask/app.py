"""Flask origin on its own (Werkzeug) server with Flask's defaults: case-sensitive rules, strict
slashes, `<param>` matching any characters but `/`. Method override as the Flask docs pattern
"Adding HTTP Method Overrides" writes it: a WSGI middleware that takes X-HTTP-Method-Override
(the CGI variable HTTP_X_HTTP_METHOD_OVERRIDE) as the method, whatever the request's own method.

Env: PORT, ORIGIN_RULES (test/origins/rules.ts as JSON), RAN_LOG (a file to append a JSON line to
each time a handler runs).
"""
import json
import logging
import os
import re
import threading

from flask import Flask, jsonify, request

rules = json.loads(os.environ["ORIGIN_RULES"])
log = os.environ["RAN_LOG"]
lock = threading.Lock()


class HTTPMethodOverrideMiddleware:
    allowed_methods = frozenset(["GET", "HEAD", "POST", "DELETE", "PUT", "PATCH", "OPTIONS"])
    bodyless_methods = frozenset(["GET", "HEAD", "OPTIONS", "DELETE"])

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        method = environ.get("HTTP_X_HTTP_METHOD_OVERRIDE", "").upper()
        if method in self.allowed_methods:
            environ["REQUEST_METHOD"] = method
        if method in self.bodyless_methods:
            environ["CONTENT_LENGTH"] = "0"
        return self.app(environ, start_response)


app = Flask(__name__)
app.wsgi_app = HTTPMethodOverrideMiddleware(app.wsgi_app)


def handler(name):
    def run(**params):
        # Read the body as a form handler would: Werkzeug's dev server resets a connection whose
        # body was left unread, and the guard would report that as a 502.
        request.get_data()
        record = {"probe": request.headers.get("x-probe", ""), "route": name, "method": request.method, "path": request.path}
        with lock, open(log, "a") as f:
            f.write(json.dumps(record) + "\n")
        return jsonify(record)

    return run


for rule in rules["routes"]:
    path = re.sub(r":(\w+)", r"<\1>", rule["path"])
    app.add_url_rule(path, rule["name"], handler(rule["name"]), methods=rules["methods"])

logging.getLogger("werkzeug").setLevel(logging.ERROR)
app.run(host="127.0.0.1", port=int(os.environ["PORT"]), threaded=True)
