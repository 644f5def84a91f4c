import { describe, expect, it } from 'vitest';
import type { Language } from '../../../../src/core/rules/schema.js';
import { taintFlows, type TaintSpec } from '../../../../src/core/semantics/taint/analysis.js';

// The taint pass on Go, Java, Ruby and PHP: sources by type, annotation or global, string
// building in each language, fields and elements, same-file helpers, sanitizers and constants.

function lines(lang: Language, spec: TaintSpec, code: string): number[] {
  const result = taintFlows(code, lang, spec);
  expect(result.gaveUp).toBeNull();
  return result.flows.map((f) => f.sink.line);
}

describe('Go', () => {
  const spec: TaintSpec = {
    sources: ['http.Request.URL', 'http.Request.FormValue', 'http.Request.Body', 'github.com/gin-gonic/gin.Context.Query', 'github.com/gin-gonic/gin.Context.ShouldBindJSON', 'github.com/labstack/echo/v4.Context.QueryParam', 'os.Getenv'],
    sinks: [{ name: 'exec.Command', arg: 2 }, { name: 'http.Get', arg: 0 }, { name: 'sql.DB.Query', arg: 0 }],
    sanitizers: ['strconv.Atoi', 'filepath.Base'],
  };
  const head = 'package web\n\nimport (\n\tgohttp "net/http"\n\tsh "os/exec"\n\t"fmt"\n\t"strings"\n\t"database/sql"\n\t"path/filepath"\n\t"github.com/gin-gonic/gin"\n\t"github.com/labstack/echo/v4"\n)\n';
  const at = (body: string): number[] => lines('go', spec, head + body).map((l) => l - head.split('\n').length + 1);

  it('follows a renamed package, variables, Sprintf, strings.Join and +=', () => {
    expect(at('func H(w gohttp.ResponseWriter, r *gohttp.Request) {\n\tq := r.URL.Query().Get("q")\n\tline := fmt.Sprintf("grep %s", q)\n\tsh.Command("sh", "-c", line)\n\tparts := []string{"ls", q}\n\tsh.Command("sh", "-c", strings.Join(parts, " "))\n\tcmd := "echo "\n\tcmd += r.FormValue("x")\n\tsh.Command("sh", "-c", cmd)\n}\n')).toEqual([4, 6, 9]);
  });

  it('follows a bound body, map elements and struct fields', () => {
    expect(at('type In struct{ URL string }\nfunc H(c *gin.Context) {\n\tvar in In\n\tc.ShouldBindJSON(&in)\n\tgohttp.Get(in.URL)\n\tm := map[string]string{"u": c.Query("u")}\n\tgohttp.Get(m["u"])\n}\n')).toEqual([5, 7]);
  });

  it('knows echo, whose import path ends in a major version', () => {
    expect(at('func H(c echo.Context) error {\n\t_, err := gohttp.Get(c.QueryParam("u"))\n\treturn err\n}\n')).toEqual([2]);
  });

  it('summarises helpers that return their argument or call a sink with it', () => {
    expect(at('func wrap(s string) string { return "ls " + s }\nfunc run(s string) { sh.Command("sh", "-c", s).Run() }\nfunc H(w gohttp.ResponseWriter, r *gohttp.Request) {\n\tsh.Command("sh", "-c", wrap(r.FormValue("a")))\n\trun(r.FormValue("b"))\n}\n')).toEqual([4, 5]);
  });

  it('a package-level variable of a package type is that type', () => {
    expect(at('var db *sql.DB\nfunc H(w gohttp.ResponseWriter, r *gohttp.Request) {\n\tdb.Query("SELECT * FROM t WHERE a = " + r.FormValue("a"))\n\tdb.Query("SELECT * FROM t WHERE a = ?", r.FormValue("a"))\n}\n')).toEqual([3]);
  });

  it('sanitizers, constants and other types do not flow', () => {
    expect(at('type Req struct{ URL string }\nfunc H(w gohttp.ResponseWriter, r *gohttp.Request, o *Req) {\n\tn, _ := strconv.Atoi(r.FormValue("n"))\n\tsh.Command("sh", "-c", fmt.Sprint(n))\n\tsh.Command("sh", "-c", filepath.Base(r.FormValue("f")))\n\tsh.Command("sh", "-c", "ls")\n\tgohttp.Get(o.URL)\n}\nfunc J(url string) { gohttp.Get(url) }\n')).toEqual([]);
  });
});

describe('Java', () => {
  const spec: TaintSpec = {
    sources: ['javax.servlet.http.HttpServletRequest.getParameter', 'org.springframework.web.bind.annotation.RequestParam', 'org.springframework.web.bind.annotation.RequestBody', 'javax.ws.rs.QueryParam'],
    sinks: [{ name: 'java.lang.Runtime.exec', arg: 0 }, { name: 'java.sql.Statement.executeQuery', arg: 0 }, { name: 'java.net.URL', arg: 0 }, { name: 'org.springframework.web.client.RestTemplate.getForObject', arg: 0 }],
    sanitizers: ['java.lang.Integer.parseInt'],
  };

  it('reads Spring and JAX-RS annotations and servlet request types, with aliases through imports', () => {
    const code = 'import javax.servlet.http.HttpServletRequest;\nimport org.springframework.web.bind.annotation.*;\nimport javax.ws.rs.QueryParam;\nclass C {\n  void a(@RequestParam("x") String x) throws Exception { Runtime.getRuntime().exec(x); }\n  void b(@QueryParam("y") String y) throws Exception { Runtime.getRuntime().exec(y); }\n  void c(HttpServletRequest req) throws Exception { Runtime.getRuntime().exec(req.getParameter("z")); }\n  void d(@RequestBody Job job) throws Exception { Runtime.getRuntime().exec(job.getCommand()); }\n  void e(String plain) throws Exception { Runtime.getRuntime().exec(plain); }\n}\n';
    expect(lines('java', spec, code)).toEqual([5, 6, 7, 8]);
  });

  it('follows StringBuilder.append, String.format, String.join, arrays and ternaries', () => {
    const code = 'import java.sql.Statement;\nimport org.springframework.web.bind.annotation.RequestParam;\nclass C {\n  void a(@RequestParam String n, Statement st) throws Exception {\n    StringBuilder sb = new StringBuilder("SELECT * FROM t WHERE n = ");\n    sb.append(n);\n    st.executeQuery(sb.toString());\n    st.executeQuery(String.format("SELECT %s", n));\n    st.executeQuery(String.join(",", "a", n));\n    String[] cmd = {"sh", "-c", n};\n    Runtime.getRuntime().exec(cmd);\n    Runtime.getRuntime().exec(n.isEmpty() ? "ls" : n);\n  }\n}\n';
    expect(lines('java', spec, code)).toEqual([7, 8, 9, 11, 12]);
  });

  it('s += x appends; a constant appended does not flow', () => {
    const code = 'import java.sql.Statement;\nimport org.springframework.web.bind.annotation.RequestParam;\nclass C {\n  void a(@RequestParam String n, Statement st) throws Exception {\n    String q = "SELECT * FROM t WHERE n = ";\n    q += n;\n    st.executeQuery(q);\n    String fixed = "SELECT * FROM t WHERE n = ";\n    fixed += "1";\n    st.executeQuery(fixed);\n  }\n}\n';
    expect(lines('java', spec, code)).toEqual([7]);
  });

  it('knows fields of imported types, constructors and same-class helpers', () => {
    const code = 'import java.net.URL;\nimport org.springframework.web.client.RestTemplate;\nimport org.springframework.web.bind.annotation.RequestParam;\nclass C {\n  private RestTemplate rest;\n  private String wrap(String s) { return "https://" + s; }\n  private void open(String u) throws Exception { new URL(u).openStream(); }\n  void a(@RequestParam String host) throws Exception {\n    this.rest.getForObject(wrap(host), String.class);\n    open(host);\n  }\n}\n';
    expect(lines('java', spec, code)).toEqual([9, 10]);
  });

  it('sanitizers and constants do not flow', () => {
    const code = 'import org.springframework.web.bind.annotation.RequestParam;\nclass C {\n  void a(@RequestParam String n) throws Exception {\n    Runtime.getRuntime().exec("seq " + Integer.parseInt(n));\n    String cmd = "ls";\n    Runtime.getRuntime().exec(cmd);\n  }\n}\n';
    expect(lines('java', spec, code)).toEqual([]);
  });
});

describe('Ruby', () => {
  const spec: TaintSpec = {
    sources: ['params', 'request.body', 'cookies', 'ENV'],
    sinks: [{ name: 'system', arg: 0 }, { name: '*.where', arg: 0 }, { name: '*.html_safe', arg: 0, receiver: true }, { name: 'Net.HTTP.get', arg: 0 }],
    sanitizers: ['Shellwords.escape', '*.to_i'],
  };

  it('follows interpolation, +, <<, format and hash elements', () => {
    const code = 'class C < ApplicationController\n  def a\n    q = params[:q]\n    system("grep #{q} log")\n    s = "ls "\n    s << cookies[:dir]\n    system(s)\n    system(format("echo %s", params[:m]))\n    opts = { cmd: params[:c] }\n    system(opts[:cmd])\n    Post.where("title = \'" + q + "\'")\n  end\nend\n';
    expect(lines('ruby', spec, code)).toEqual([4, 7, 8, 10, 11]);
  });

  it('a receiver sink, a module path and blocks', () => {
    const code = 'class C < ApplicationController\n  def a\n    "<b>#{params[:n]}</b>".html_safe\n    Net::HTTP.get(URI(params[:u]))\n    [1].each { |i| system(request.body.read) }\n  end\nend\n';
    expect(lines('ruby', spec, code)).toEqual([3, 4, 5]);
  });

  it('summarises methods by their last expression and their sinks', () => {
    const code = 'def wrap(s)\n  "ls " + s\nend\ndef run(c)\n  system(c)\nend\nget "/x" do\n  system(wrap(params[:a]))\n  run(params[:b])\nend\n';
    expect(lines('ruby', spec, code)).toEqual([8, 9]);
  });

  it('sanitizers by name or method, and constants, do not flow', () => {
    const code = 'class C < ApplicationController\n  def a\n    system("ls " + Shellwords.escape(params[:d]))\n    system("seq #{params[:n].to_i}")\n    system("ls")\n    Post.where(title: params[:t])\n  end\nend\n';
    expect(lines('ruby', spec, code)).toEqual([]);
  });
});

describe('PHP', () => {
  const spec: TaintSpec = {
    sources: ['$_GET', '$_POST', 'request', 'illuminate\\http\\request.input', 'symfony\\component\\httpfoundation\\request.query'],
    sinks: [{ name: 'system', arg: 0 }, { name: 'pdo.query', arg: 0 }, { name: 'db.select', arg: 0 }, { name: '*.whereRaw', arg: 0 }, { name: 'curl_setopt', arg: 2, when: { '1': 'curlopt_url' } }],
    sanitizers: ['escapeshellarg', 'intval'],
  };

  it('follows ., .=, interpolation of elements, sprintf and implode', () => {
    const code = '<?php\n$d = $_GET["d"];\nsystem("ls $d");\nsystem("ls {$_POST["e"]}");\n$c = "echo ";\n$c .= $d;\nsystem($c);\nsystem(sprintf("grep %s", $d));\nsystem(implode(" ", ["ls", $d]));\n$pdo = new PDO("sqlite::memory:");\n$pdo->query("SELECT * FROM t WHERE a = " . $d);\n';
    expect(lines('php', spec, code)).toEqual([3, 4, 7, 8, 9, 11]);
  });

  it('knows Laravel and Symfony requests through use imports and aliases, facades and the request() helper', () => {
    const code = '<?php\nuse Illuminate\\Http\\Request as HttpRequest;\nuse Symfony\\Component\\HttpFoundation\\Request;\nclass C {\n  public function a(HttpRequest $r) { system($r->input("x")); }\n  public function b(Request $r) { system($r->query->get("y")); }\n  public function c() { return DB::select("SELECT " . request("z")); }\n  public function d() { return User::whereRaw("a = " . request()->input("w"))->get(); }\n}\n';
    expect(lines('php', spec, code)).toEqual([5, 6, 7, 8]);
  });

  it('summarises functions and reads positional conditions', () => {
    const code = '<?php\nfunction wrap($s) { return "ls " . $s; }\nfunction run($c) { system($c); }\nsystem(wrap($_GET["a"]));\nrun($_GET["b"]);\n$ch = curl_init();\ncurl_setopt($ch, CURLOPT_URL, $_GET["u"]);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, $_GET["u"]);\n';
    expect(lines('php', spec, code)).toEqual([4, 5, 7]);
  });

  it('sanitizers, constants and a function\'s own variables do not flow', () => {
    const code = '<?php\nsystem("ls " . escapeshellarg($_GET["d"]));\nsystem("seq " . intval($_GET["n"]));\nsystem("ls");\n$x = $_GET["x"];\nfunction f() { system($x); }\n';
    expect(lines('php', spec, code)).toEqual([]);
  });
});
