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


# ruleid: py.django.debug-enabled
DEBUG = True
# ok: py.django.debug-enabled
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
# ruleid: py.django.debug-enabled
TEMPLATE_DEBUG = True


def test_settings():
    # ok: py.django.debug-enabled
    DEBUG = True
    return DEBUG


# ruleid: py.django.allowed-hosts-wildcard
ALLOWED_HOSTS = ["*"]
# ruleid: py.django.allowed-hosts-wildcard
ALLOWED_HOSTS = ["localhost", '*']
# ok: py.django.allowed-hosts-wildcard
ALLOWED_HOSTS = [".example.com", "localhost"]
# ruleid: py.django.allowed-hosts-wildcard
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")
# ok: py.django.allowed-hosts-wildcard
ALLOWED_HOSTS = ["*.example.com"]
# ok: py.django.allowed-hosts-wildcard
CSRF_TRUSTED_ORIGINS = ["*"]

PASSWORD_HASHERS = [
    # ruleid: py.django.weak-password-hasher
    "django.contrib.auth.hashers.MD5PasswordHasher",
    # ok: py.django.weak-password-hasher
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# ruleid: py.django.weak-password-hasher
settings.PASSWORD_HASHERS = ['django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher']
# ok: py.django.weak-password-hasher
HASHER = "django.contrib.auth.hashers.Argon2PasswordHasher"

# ruleid: py.cors.django-allow-all-origins
CORS_ALLOW_ALL_ORIGINS = True
# ruleid: py.cors.django-allow-all-origins
CORS_ORIGIN_ALLOW_ALL = True
# ok: py.cors.django-allow-all-origins
CORS_ALLOW_ALL_ORIGINS = False
# ok: py.cors.django-allow-all-origins
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

from werkzeug.debug import DebuggedApplication
import werkzeug.debug

# ruleid: py.werkzeug.debugged-application
app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)
# ruleid: py.werkzeug.debugged-application
application = werkzeug.debug.DebuggedApplication(application, True)
# ok: py.werkzeug.debugged-application
app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=False)
# ok: py.werkzeug.debugged-application
app.wsgi_app = DebuggedApplication(app.wsgi_app)

# ruleid: py.os.permissive-umask
os.umask(0)
# ruleid: py.os.permissive-umask
old = os.umask(0o000)
# ok: py.os.permissive-umask
os.umask(0o022)
# ok: py.os.permissive-umask
os.umask(0o077)

import ftplib
import telnetlib
from ftplib import FTP_TLS

# ruleid: py.cleartext.telnet-ftp-client
session = ftplib.FTP("ftp.example.com", user, password)
# ruleid: py.cleartext.telnet-ftp-client
tn = telnetlib.Telnet(host, 23)
# ok: py.cleartext.telnet-ftp-client
secure = ftplib.FTP_TLS("ftp.example.com")
# ok: py.cleartext.telnet-ftp-client
secure2 = FTP_TLS(host)

# ruleid: py.aws.public-bucket-acl
s3.put_object(Bucket=bucket, Key=key, Body=data, ACL="public-read")
# ruleid: py.aws.public-bucket-acl
client.upload_file(path, bucket, key, ExtraArgs={"ACL": "public-read-write"})
# ok: py.aws.public-bucket-acl
s3.put_object(Bucket=bucket, Key=key, Body=data, ACL="private")
# ok: py.aws.public-bucket-acl
s3.put_object(Bucket=bucket, Key=key, Body=data)

from cryptography.hazmat.primitives.asymmetric import rsa, dsa
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
import hashlib

LEGACY_BITS = 1024
# ruleid: py.crypto.rsa-dsa-small-key
weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
# ruleid: py.crypto.rsa-dsa-small-key
legacy = rsa.generate_private_key(public_exponent=65537, key_size=LEGACY_BITS)
# ruleid: py.crypto.rsa-dsa-small-key
signing = dsa.generate_private_key(key_size=1_024)
# ok: py.crypto.rsa-dsa-small-key
strong = rsa.generate_private_key(public_exponent=65537, key_size=3072)
# ok: py.crypto.rsa-dsa-small-key
exact = rsa.generate_private_key(public_exponent=65537, key_size=2048)
# ok: py.crypto.rsa-dsa-small-key
chosen = rsa.generate_private_key(public_exponent=65537, key_size=settings.KEY_BITS)

# ruleid: py.crypto.pbkdf2-few-iterations
digest = hashlib.pbkdf2_hmac("sha256", password, salt, 1000)
# ruleid: py.crypto.pbkdf2-few-iterations
kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=10_000)
# ok: py.crypto.pbkdf2-few-iterations
digest = hashlib.pbkdf2_hmac("sha256", password, salt, 600_000)
# ok: py.crypto.pbkdf2-few-iterations
kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=0x100000)
