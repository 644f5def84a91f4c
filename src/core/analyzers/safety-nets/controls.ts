// Security controls in code and settings, weakened by the change: authentication removed from a
// route that had it (compared with the base version), bypass switches read from the environment,
// routes opened to everyone where they were protected, CSRF protection and cookie flags turned
// off, debug modes in production settings, and CORS opened to every origin. The plain pattern
// forms that exist without a base (csrf().disable(), @csrf_exempt, app.run(debug=True), TLS
// verification off in configuration) are pattern rules in rules/*.yml.

import { classifyFile } from '../../context/classify.js';
import { mapVersions, removesFromBase } from '../../diff/lines.js';
import type { Analyzer, AnalyzerInput, RawFinding } from '../../rules/types.js';

const RULE = {
  authRemoved: 'auth.protection-removed',
  bypass: 'auth.bypass-switch',
  permitAll: 'auth.opened-to-everyone',
  csrf: 'csrf.protection-turned-off',
  cookie: 'session.cookie-flag-turned-off',
  debug: 'misconfiguration.debug-in-production',
  cors: 'cors.all-origins-allowed',
} as const;

/** Files with code or settings these controls live in. */
const CODE_FILE = /\.(?:[cm]?[jt]sx?|py|go|java|kt|rb|php|cs)$/;

// --- Protection removed ----------------------------------------------------------------------

/**
 * Lines that put authentication or authorization on a route or view: decorators, annotations,
 * middleware and dependency arguments, filter declarations. Group 1: the control's own text.
 */
const PROTECTION: readonly RegExp[] = [
  // Flask, Django, DRF, Flask-Login/JWT/Security, custom: @login_required, @permission_required(...)
  /^\s*(@[\w.]*(?:login_required|permission_required|user_passes_test|staff_member_required|superuser_required|jwt_required|token_required|auth_required|requires_auth|roles_required|roles_accepted|admin_required|authenticated|permission_classes|requires_permission|require_login|login_manager\.user_loader)\b[^\n]*)$/i,
  // Spring, Jakarta, Micronaut: @PreAuthorize, @Secured, @RolesAllowed
  /^\s*(@(?:PreAuthorize|PostAuthorize|Secured|RolesAllowed|Authenticated)\b[^\n]*)$/,
  // ASP.NET: [Authorize]
  /^\s*(\[Authorize\b[^\n]*\])\s*$/,
  // Rails: before_action :authenticate_user!
  /^\s*((?:before_action|before_filter)\s+:(?:authenticate\w*|require_\w*login\w*|authorize\w*|ensure_\w*)\b[^\n]*)$/,
  // DRF settings on a view: permission_classes = [IsAuthenticated]
  /^\s*((?:permission_classes|authentication_classes)\s*=\s*[[(][^\n]*(?:IsAuthenticated|IsAdminUser|Permission|Authentication)[^\n]*)$/,
];

/** Middleware or dependency names that guard a route (Express, Koa, Fastify, FastAPI, Laravel). */
const GUARD_NAME =
  /\b(?:(?:require|ensure|check|verify|validate|is)_?(?:auth\w*|logged_?in|login|user|admin|token|jwt|session|role\w*|permission\w*|scope\w*)|auth(?:enticate|orize|orise)?(?:d|_?user|_?required|_?middleware|_?guard)?|passport\.authenticate\([^)]*\)|get_current_(?:active_)?user|current_user|protect(?:ed)?|jwt_?required|login_?required|admin_?only|with_?auth)\b/i;

/** A route registration: app.get('/x', …), router.post(…), @app.get("/x", dependencies=…), Route::get(…). */
const ROUTE_CALL = /(?:\b(?:app|router|api|server|route|routes|r|e|g|mux|fastify)\s*\.\s*(?:get|post|put|patch|delete|all|use|route|options|head)|Route::\w+|@\w+\.(?:get|post|put|patch|delete|api_route))\s*\(/i;

/** What a removed base line took away, or null when it held no protection. */
function protectionIn(text: string): string | null {
  if (text.length > 1000) return null;
  for (const p of PROTECTION) {
    const m = p.exec(text);
    if (m) return m[1]!.trim();
  }
  if (ROUTE_CALL.test(text) || /\bDepends\(/.test(text) || /->middleware\(/.test(text)) {
    const guard = GUARD_NAME.exec(text);
    if (guard) return guard[0];
  }
  return null;
}

function analyzeRemovedProtection(input: AnalyzerInput, out: RawFinding[]): void {
  const { base, lines, file, added } = input;
  if (!base || base.text === null) return;
  const map = mapVersions(base.lines, lines, file.addedLines);
  if (map.removed.length === 0) return;
  // Protection the head still has somewhere: a decorator moved, a middleware renamed in place.
  const headText = lines.join('\n');
  const addedText = [...added].map((l) => lines[l - 1] ?? '').join('\n');
  for (const baseLine of map.removed) {
    const text = base.lines[baseLine - 1]!;
    const control = protectionIn(text);
    if (!control) continue;
    // The same guard written again by the change (reformatted, reordered) is not a removal.
    if (addedText.includes(control)) continue;
    // Protection declared once per file more than once: only report when it is gone everywhere
    // for decorators and annotations; a route line keeps its own guard.
    if (text.trim().startsWith('@') || text.trim().startsWith('[')) {
      const count = (s: string) => s.split(control).length - 1;
      if (count(headText) >= count(base.text)) continue;
    }
    out.push({
      ruleId: RULE.authRemoved,
      line: map.headLineOf(baseLine),
      snippet: text.trim().slice(0, 200),
      message: `This change removes \`${control.slice(0, 100)}\` from the code it protected (base line ${baseLine}): the route or view below it no longer requires authentication or authorization, unless the check moved somewhere this change does not show.`,
      removal: true,
      groupKey: `removed:${control}`,
    });
  }
}

// --- Head-side patterns on added lines ---------------------------------------------------------

/** An environment variable named to switch a control off. */
const BYPASS_NAME = String.raw`["'\`]?((?:SKIP|DISABLE|DISABLED|BYPASS|NO|IGNORE|WITHOUT|OFF)_?(?:AUTH\w*|LOGIN|SSO|CSRF|PERMISSIONS?|ACL|SECURITY|VERIFY\w*|SIGNATURE\w*|2FA|MFA|RBAC)|(?:AUTH\w*|LOGIN|SECURITY|CSRF|RBAC|MFA)_(?:DISABLED?|OFF|BYPASS|SKIP|OPTIONAL))\b["'\`]?`;
const BYPASS: RegExp = new RegExp(
  String.raw`(?:process\.env(?:\.|\[\s*)|os\.(?:getenv|environ\.get)\(\s*|os\.environ\[\s*|os\.Getenv\(\s*|System\.getenv\(\s*|ENV\[\s*|ENV\.fetch\(\s*|getenv\(\s*|\$_ENV\[\s*|env\(\s*|Environment\.GetEnvironmentVariable\(\s*|import\.meta\.env\.)` + BYPASS_NAME,
  'i',
);

/** Routes opened to anyone: Spring permitAll(), DRF AllowAny, Jakarta @PermitAll, ASP.NET [AllowAnonymous]. */
const OPEN_TO_ALL = /\.permitAll\(\)|\bAllowAny\b|@PermitAll\b|\[AllowAnonymous\]|@AllowAnonymous\b|\.anonymous\(\)|skip_before_action\s+:authenticate/;
/** What a protected route said in the base. */
const PROTECTED = /\.(?:authenticated|hasRole|hasAnyRole|hasAuthority|hasAnyAuthority|access|fullyAuthenticated)\(|\bIsAuthenticated\w*\b|\bIsAdminUser\b|\bDjangoModelPermissions\w*\b|@RolesAllowed\b|@PreAuthorize\b|@Secured\b|\[Authorize\b|before_action\s+:authenticate/;

const CSRF_OFF: readonly RegExp[] = [
  /\b(?:WTF_CSRF_ENABLED|CSRF_ENABLED|WTF_CSRF_CHECK_DEFAULT)\s*[=:]\s*["']?(?:False|false|0)\b/,
  /["']?\bcsrf(?:Protection|_protection|Enabled|_enabled)?["']?\s*[:=]\s*["']?(?:false|False|0|off|disabled?)\b/i,
  /\bprotect_from_forgery\s+(?:with:\s*:null_session|except\b)|\bskip_forgery_protection\b|\bskip_before_action\s+:verify_authenticity_token/,
];

/** Django's CSRF middleware, whose removal from MIDDLEWARE turns the protection off. */
const CSRF_MIDDLEWARE = /["']django\.middleware\.csrf\.CsrfViewMiddleware["']/;

const COOKIE_OFF: readonly RegExp[] = [
  /\b(?:SESSION_COOKIE_(?:SECURE|HTTPONLY)|CSRF_COOKIE_(?:SECURE|HTTPONLY)|REMEMBER_COOKIE_(?:SECURE|HTTPONLY)|SESSION_SECURE_COOKIE)\s*[=:]\s*["']?(?:False|false|0)\b/,
  /["']?\b(?:httpOnly|httponly|http_only|secure|cookie_secure|cookie_httponly|secure_cookie)["']?\s*[:=]\s*["']?(?:false|False|0)\b/,
  /["']?\bsameSite["']?\s*[:=]\s*(?:false\b|["'](?:none|None)["'])/i,
];
/** A line or its neighbours talk about cookies or sessions. */
const COOKIE_CONTEXT = /cookie|session|res\.cookie|set_cookie|SetCookie|http\.Cookie/i;

const DEBUG_ON = /^\s*DEBUG\s*=\s*True\b/;
/** Settings modules meant for development, where DEBUG = True is what they are for. */
const DEV_SETTINGS = /(?:^|[/_.-])(?:local|dev|develop|development|test|tests|testing|ci|example|sample|debug)(?:[/_.-]|$)|(?:^|\/)(?:tests?|examples?|docs?)\//i;
const PPROF_IMPORT = /^\s*(?:import\s+)?_\s+"net\/http\/pprof"/;

const CORS_ALL = /\b(?:CORS_ALLOW_ALL_ORIGINS|CORS_ORIGIN_ALLOW_ALL)\s*=\s*True\b|\bAllowAllOrigins\s*:\s*true\b|\bAllowAnyOrigin\(\)/;
const CREDENTIALS = /\b(?:CORS_ALLOW_CREDENTIALS\s*=\s*True|AllowCredentials\s*:\s*true|AllowCredentials\(\)|credentials\s*:\s*true|supports_credentials\s*=\s*True)/;

function analyzeAdded(input: AnalyzerInput, out: RawFinding[], isSettings: boolean): void {
  const { lines, added, base, file } = input;
  const baseText = base?.text ?? '';
  const report = (ruleId: string, line: number, message: string) =>
    out.push({ ruleId, line, snippet: lines[line - 1]!.trim().slice(0, 200), message });
  const allText = lines.join('\n');
  for (const line of [...added].sort((a, b) => a - b)) {
    const text = lines[line - 1];
    if (text === undefined || text.length > 2000 || /^\s*(?:\/\/|#|\*|--)/.test(text)) continue;
    const bypass = BYPASS.exec(text);
    if (bypass && /\bif\b|\?|&&|\|\||unless\b|when\b|return\b|=/.test(text)) {
      report(RULE.bypass, line, `A switch read from the environment (${bypass[1]}) turns a security control off: whoever can set the variable in any environment (a preview deploy, a misconfigured production) skips the check. Controls should not have an off switch in production code.`);
    }
    if (OPEN_TO_ALL.test(text) && base?.text && PROTECTED.test(base.text) && !isNewRouteOnly(text, baseText)) {
      report(RULE.permitAll, line, `The change opens a route to everyone (\`${text.trim().slice(0, 80)}\`) in a file whose base version required authentication: check that no previously protected path is now public.`);
    }
    if (CSRF_OFF.some((p) => p.test(text))) {
      report(RULE.csrf, line, 'This turns CSRF protection off: any site the user visits can submit requests with their session.');
    }
    if (COOKIE_OFF.some((p) => p.test(text)) && (COOKIE_CONTEXT.test(text) || COOKIE_CONTEXT.test(lines.slice(Math.max(0, line - 4), line + 2).join('\n')))) {
      report(RULE.cookie, line, `A cookie protection flag is turned off (\`${text.trim().slice(0, 80)}\`): without HttpOnly scripts can read the session, without Secure it travels over plain HTTP, and SameSite=None sends it on cross-site requests.`);
    }
    if (isSettings && DEBUG_ON.test(text)) {
      report(RULE.debug, line, `DEBUG = True in ${file.path}, which is not named as a development settings module: Django then shows stack traces, settings and SQL to anyone who triggers an error.`);
    }
    if (PPROF_IMPORT.test(text)) {
      report(RULE.debug, line, 'Importing net/http/pprof registers the profiler on the default mux: if the server uses http.DefaultServeMux, /debug/pprof/ (heap, goroutines, command line) is public.');
    }
    if (CORS_ALL.test(text)) {
      const withCredentials = CREDENTIALS.test(allText);
      report(RULE.cors, line, `Every origin may now call this service${withCredentials ? ', with credentials (cookies) allowed' : ''}: any site a user visits can read the responses${withCredentials ? ' with their session' : ''}.`);
    }
  }
  // Django's CSRF middleware taken out of MIDDLEWARE.
  if (base?.text && CSRF_MIDDLEWARE.test(base.text) && !CSRF_MIDDLEWARE.test(allText) && /\bMIDDLEWARE\b/.test(allText)) {
    const map = mapVersions(base.lines, lines, file.addedLines);
    const removed = map.removed.find((b) => CSRF_MIDDLEWARE.test(base.lines[b - 1]!));
    if (removed !== undefined) {
      out.push({
        ruleId: RULE.csrf,
        line: map.headLineOf(removed),
        snippet: base.lines[removed - 1]!.trim(),
        message: 'The change removes CsrfViewMiddleware from MIDDLEWARE: no view checks CSRF tokens any more.',
        removal: true,
      });
    }
  }
}

/** A permitAll() line whose exact text the base already had elsewhere is a new route among open ones, not an opened one. */
function isNewRouteOnly(text: string, baseText: string): boolean {
  return baseText.includes(text.trim());
}

function isDjangoSettings(path: string, lines: readonly string[]): boolean {
  if (!/\.py$/.test(path)) return false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const inSettings = name === 'settings.py' || /(?:^|\/)settings\/[^/]+\.py$/.test(path) || name === 'production.py' || name === 'prod.py';
  if (!inSettings || DEV_SETTINGS.test(path.replace(/settings\.py$/, ''))) return false;
  return lines.some((l) => /^\s*(?:INSTALLED_APPS|MIDDLEWARE|ALLOWED_HOSTS|SECRET_KEY|DATABASES)\s*=/.test(l)) || name === 'settings.py';
}

const WEAKNESS_REFS = {
  auth: ['https://cwe.mitre.org/data/definitions/306.html', 'https://owasp.org/Top10/A01_2021-Broken_Access_Control/'],
  csrf: ['https://cwe.mitre.org/data/definitions/352.html', 'https://owasp.org/www-community/attacks/csrf'],
  cookie: ['https://cwe.mitre.org/data/definitions/1004.html', 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Cookies#restrict_access_to_cookies'],
  debug: ['https://cwe.mitre.org/data/definitions/489.html', 'https://docs.djangoproject.com/en/stable/ref/settings/#debug'],
  cors: ['https://cwe.mitre.org/data/definitions/942.html', 'https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS'],
};

export const controlsAnalyzer: Analyzer = {
  name: 'security-controls',
  rules: [
    {
      meta: {
        id: RULE.authRemoved,
        title: 'Authentication or authorization removed from a route',
        severity: 'high',
        confidence: 'medium',
        category: 'auth',
        cwe: ['CWE-306', 'CWE-862'],
        message: 'The change removes an authentication or authorization check (decorator, annotation, middleware or dependency) that the base version put on a route or view.',
        fix: 'Keep the check, or show where the route is protected now.',
        references: WEAKNESS_REFS.auth,
      },
      tests: {
        valid: [
          { path: 'app/views.py', base: '@login_required\ndef admin(request):\n    pass\n', code: '@login_required\ndef admin(request):\n    return render(request)\n' },
          { path: 'src/routes.js', base: "router.get('/admin', requireAuth, admin);\n", code: "router.get('/admin', requireAuth, adminPage);\n" },
          { path: 'app/views.py', base: '@login_required\ndef a(request):\n    pass\n', code: '@login_required\n@require_POST\ndef a(request):\n    pass\n' },
        ],
        invalid: [
          { path: 'app/views.py', base: 'from x import login_required\n\n@login_required\ndef admin(request):\n    pass\n', code: 'from x import login_required\n\ndef admin(request):\n    pass\n', lines: [3] },
          { path: 'src/routes.js', base: "router.get('/admin', requireAuth, admin);\n", code: "router.get('/admin', admin);\n" },
          { path: 'src/main/java/a/AdminController.java', base: 'class A {\n  @PreAuthorize("hasRole(\'ADMIN\')")\n  @GetMapping("/admin")\n  String admin() { return ""; }\n}\n', code: 'class A {\n  @GetMapping("/admin")\n  String admin() { return ""; }\n}\n' },
          { path: 'app/api.py', base: '@app.get("/me")\nasync def me(user = Depends(get_current_user)):\n    return user\n', code: '@app.get("/me")\nasync def me(user_id: int):\n    return user_id\n' },
        ],
      },
    },
    {
      meta: {
        id: RULE.bypass,
        title: 'Security control with an environment off switch',
        severity: 'high',
        confidence: 'high',
        category: 'auth',
        cwe: ['CWE-288', 'CWE-489'],
        message: 'The change reads an environment variable that switches authentication or another security check off.',
        fix: 'Remove the switch; tests can use a test identity or a fake provider instead.',
        references: WEAKNESS_REFS.auth,
      },
      tests: {
        valid: [
          { path: 'src/auth.js', code: 'const issuer = process.env.AUTH_ISSUER;\n' },
          { path: 'app/auth.py', code: 'url = os.getenv("AUTH_URL")\n' },
        ],
        invalid: [
          { path: 'src/auth.js', code: 'export function requireAuth(req, res, next) {\n  if (process.env.SKIP_AUTH) return next();\n  verify(req);\n}\n', lines: [2] },
          { path: 'app/auth.py', code: 'if os.getenv("DISABLE_AUTH") == "1":\n    return view(request)\n' },
          { path: 'auth/mw.go', code: 'if os.Getenv("AUTH_DISABLED") == "true" {\n\treturn next\n}\n' },
        ],
      },
    },
    {
      meta: {
        id: RULE.permitAll,
        title: 'Route opened to everyone where authentication was required',
        severity: 'high',
        confidence: 'medium',
        category: 'auth',
        cwe: ['CWE-862'],
        message: 'The change adds permitAll(), AllowAny, @PermitAll or [AllowAnonymous] in a file whose base version required authentication.',
        fix: 'Open only the paths that must be public, and keep the others authenticated.',
        references: WEAKNESS_REFS.auth,
      },
      tests: {
        valid: [
          { path: 'src/main/java/a/Security.java', code: 'http.authorizeHttpRequests(a -> a.requestMatchers("/health").permitAll());\n' },
          { path: 'api/views.py', base: 'permission_classes = [AllowAny]\n', code: 'permission_classes = [AllowAny]\nthrottle_classes = []\n' },
        ],
        invalid: [
          {
            path: 'src/main/java/a/Security.java',
            base: 'http.authorizeHttpRequests(a -> a\n  .requestMatchers("/admin/**").hasRole("ADMIN")\n  .anyRequest().authenticated());\n',
            code: 'http.authorizeHttpRequests(a -> a\n  .requestMatchers("/admin/**").permitAll()\n  .anyRequest().authenticated());\n',
            lines: [2],
          },
          { path: 'api/views.py', base: 'class V(APIView):\n    permission_classes = [IsAuthenticated]\n', code: 'class V(APIView):\n    permission_classes = [AllowAny]\n' },
        ],
      },
    },
    {
      meta: {
        id: RULE.csrf,
        title: 'CSRF protection turned off in settings',
        severity: 'high',
        confidence: 'medium',
        category: 'csrf',
        cwe: ['CWE-352'],
        message: 'The change turns CSRF protection off (WTF_CSRF_ENABLED = False, csrf: false, CsrfViewMiddleware removed, Rails forgery protection skipped).',
        fix: 'Keep CSRF protection on; exempt only endpoints that use no cookies (token-authenticated APIs).',
        references: WEAKNESS_REFS.csrf,
      },
      tests: {
        valid: [
          { path: 'app/config.py', code: 'WTF_CSRF_ENABLED = True\n' },
          { path: 'mysite/settings.py', base: "MIDDLEWARE = [\n    'django.middleware.csrf.CsrfViewMiddleware',\n]\n", code: "MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n    'django.middleware.csrf.CsrfViewMiddleware',\n]\n" },
        ],
        invalid: [
          { path: 'app/config.py', code: 'class Config:\n    WTF_CSRF_ENABLED = False\n', lines: [2] },
          { path: 'mysite/settings.py', base: "MIDDLEWARE = [\n    'django.middleware.common.CommonMiddleware',\n    'django.middleware.csrf.CsrfViewMiddleware',\n]\n", code: "MIDDLEWARE = [\n    'django.middleware.common.CommonMiddleware',\n]\n" },
          { path: 'app/controllers/application_controller.rb', code: 'class ApplicationController < ActionController::Base\n  skip_forgery_protection\nend\n' },
        ],
      },
    },
    {
      meta: {
        id: RULE.cookie,
        title: 'Cookie protection flag turned off',
        severity: 'medium',
        confidence: 'medium',
        category: 'session',
        cwe: ['CWE-1004', 'CWE-614'],
        message: 'The change turns off HttpOnly or Secure, or sets SameSite to None, on a session or cookie setting.',
        fix: 'Keep HttpOnly and Secure on session cookies, and SameSite Lax or Strict.',
        references: WEAKNESS_REFS.cookie,
      },
      tests: {
        valid: [
          { path: 'src/session.js', code: 'app.use(session({ cookie: { httpOnly: true, secure: true, sameSite: "lax" } }));\n' },
          { path: 'src/tls.js', code: 'const agent = { secure: false };\n' },
        ],
        invalid: [
          { path: 'src/session.js', code: 'app.use(session({\n  cookie: { httpOnly: false },\n}));\n', lines: [2] },
          { path: 'mysite/settings.py', code: 'SESSION_COOKIE_SECURE = False\n' },
          { path: 'src/auth.ts', code: "res.cookie('sid', id, { sameSite: 'none' });\n" },
        ],
      },
    },
    {
      meta: {
        id: RULE.debug,
        title: 'Debug mode on in production settings',
        severity: 'high',
        confidence: 'medium',
        category: 'misconfiguration',
        cwe: ['CWE-489', 'CWE-215'],
        message: 'The change turns a debug mode on where production reads it: Django DEBUG = True in a settings module not named for development, or Go net/http/pprof imported.',
        fix: 'Read DEBUG from the environment with False as the default; serve pprof on a separate, private listener.',
        references: WEAKNESS_REFS.debug,
      },
      tests: {
        valid: [
          { path: 'mysite/settings/local.py', code: 'DEBUG = True\n' },
          { path: 'mysite/settings.py', code: 'DEBUG = os.environ.get("DEBUG") == "1"\n' },
          { path: 'cmd/server/main.go', code: 'import (\n\t"net/http"\n)\n' },
        ],
        invalid: [
          { path: 'mysite/settings.py', code: 'SECRET_KEY = os.environ["KEY"]\nDEBUG = True\n', lines: [2] },
          { path: 'cmd/server/main.go', code: 'import (\n\t"net/http"\n\t_ "net/http/pprof"\n)\n', lines: [3] },
        ],
      },
    },
    {
      meta: {
        id: RULE.cors,
        title: 'CORS opened to every origin',
        severity: 'medium',
        confidence: 'medium',
        category: 'cors',
        cwe: ['CWE-942'],
        message: 'The change lets every origin call the service (CORS_ALLOW_ALL_ORIGINS = True, AllowAllOrigins, AllowAnyOrigin()).',
        fix: 'List the origins that need access.',
        references: WEAKNESS_REFS.cors,
      },
      tests: {
        valid: [{ path: 'mysite/settings.py', code: 'CORS_ALLOWED_ORIGINS = ["https://app.example.com"]\n' }],
        invalid: [
          { path: 'mysite/settings.py', code: 'CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n', lines: [1] },
          { path: 'server/main.go', code: 'r.Use(cors.New(cors.Config{AllowAllOrigins: true}))\n' },
        ],
      },
    },
  ],
  appliesTo: (file) => file.status !== 'deleted' && (CODE_FILE.test(file.path) || /\.(?:ya?ml|json|toml|ini|cfg|conf|env)$|(?:^|\/)\.env(?:\.[\w-]+)?$/.test(file.path)),
  wantsBase: (file) => removesFromBase(file) && CODE_FILE.test(file.path),
  analyze(input) {
    const out: RawFinding[] = [];
    if (input.text === null) return out;
    const context = classifyFile(input.file.path, input.lines).kind;
    // Tests, fixtures and examples switch controls off on purpose; the file context would only lower them.
    if (context !== 'production') return out;
    analyzeRemovedProtection(input, out);
    analyzeAdded(input, out, isDjangoSettings(input.file.path, input.lines));
    return out;
  },
};
