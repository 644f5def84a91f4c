import logging.config
import xmlrpc.server
from flask import Flask

# ruleid: py.logging.config-listen
thread = logging.config.listen(9999)
# ok: py.logging.config-listen
logging.config.dictConfig({"version": 1})
# ruleid: py.logging.config-listen
start = logging.config.listen


def start_listener(port):
    from logging import config
    # ruleid: py.logging.config-listen
    t = config.listen(port, verify=None)
    t.start()
    # ok: py.logging.config-listen
    sock.listen(5)


server = xmlrpc.server.SimpleXMLRPCServer(("0.0.0.0", 8000))
# ruleid: py.xmlrpc.allow-dotted-names
server.register_instance(Api(), allow_dotted_names=True)
# ruleid: py.xmlrpc.allow-dotted-names
rpc.register_instance(obj, True and allow, allow_dotted_names=True)
# ok: py.xmlrpc.allow-dotted-names
server.register_instance(Api())
# ok: py.xmlrpc.allow-dotted-names
server.register_instance(Api(), allow_dotted_names=False)


app = Flask(__name__)
# ruleid: py.flask.insecure-session-cookie
app.config["SESSION_COOKIE_SECURE"] = False
# ruleid: py.flask.insecure-session-cookie
application.config.update(DEBUG=False, SESSION_COOKIE_HTTPONLY=False)
# ok: py.flask.insecure-session-cookie
app.config["SESSION_COOKIE_SECURE"] = True
# ok: py.flask.insecure-session-cookie
app.config["TESTING"] = False
# ruleid: py.flask.insecure-session-cookie
CSRF_COOKIE_SECURE = False
# ok: py.flask.insecure-session-cookie
CSRF_COOKIE_SECURE = True
