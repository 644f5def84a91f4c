import { describe, expect, it } from 'vitest';
import type { Analyzer, RawFinding, RuleTestCase } from '../../../../src/core/rules/types.js';
import { SECRET_RULE_IDS, isEnvFile, isSecretName, judgeAssignedValue, secretsAnalyzer } from '../../../../src/core/analyzers/secrets/secrets.js';
import {
  hasObviousSequence,
  isPlaceholderValue,
  isTestPath,
  redact,
  shannonEntropy,
} from '../../../../src/core/analyzers/secrets/secret-values.js';
import { describeAnalyzerRules, runAnalyzer, type AnalyzerCase } from '../../../helpers/analyzers.js';

function run(analyzer: Analyzer, tc: AnalyzerCase): RawFinding[] {
  return runAnalyzer(analyzer, tc);
}

// Tokens are assembled at run time so this file holds no complete credential.
const j = (...parts: string[]): string => parts.join('');
const RANDOM40 = j('Kq8Vd2mZr7Ux9bLp', 'T3wQn5sYc0HjGe4FaK1oW9xY');
const T = {
  awsId: j('AKIA', 'Z7Q3VYH2LMXW4KPD'),
  awsTempId: j('ASIA', 'Q4MZ7RX2WNVK6TJH'),
  awsSecret: j('kq8Vd2mZr7Ux9bLpT3wQ', 'n5sYc0HjGe4FaK1oW9xY'),
  ghp: j('ghp_', RANDOM40.slice(0, 36)),
  gho: j('gho_', RANDOM40.slice(2, 38)),
  ghs: j('ghs_', RANDOM40.slice(4, 40)),
  ghu: j('ghu_', RANDOM40.slice(1, 37)),
  ghr: j('ghr_', RANDOM40.slice(3, 39)),
  openaiLegacy: j('sk-', 'Zx9Kq2Wm7Lp4Vb8Nc1Td', 'T3Blbk', 'FJ', 'Yf3Hg5Js0RaUe8Io2Pa4'),
  openai48: j('sk-', RANDOM40, 'Ab3Cd5Ef'),
  openaiProj: j('sk-proj-', RANDOM40, '_Zq-2'),
  anthropic: j('sk-ant-', 'api03-', RANDOM40, RANDOM40, 'Q-9zAA'),
  slackUser: j('xoxp-', '2847561930-', '7719283746-', RANDOM40.slice(0, 24)),
  slackHook: j('https://hooks.slack.com/', 'services/T04KQ9ZLM/B05R7WXN2PQ/', RANDOM40.slice(0, 24)),
  google: j('AIza', 'SyD8kQ2mZr7Ux9bLpT3wQn5sYc0HjGe4FaK'),
  stripeRestricted: j('rk_', 'live_', RANDOM40.slice(0, 30)),
  npm: j('npm_', RANDOM40.slice(0, 36)),
  jwt: j(
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
    '.eyJzdWIiOiJ1c3JfOTgyMzciLCJyb2xlIjoic2VydmljZV9yb2xlIiwiaWF0IjoxNzAwMDAwMDAwfQ',
    '.',
    RANDOM40,
  ),
  // Supabase-style public anon key: {"role":"anon"}
  jwtAnon: j('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0', '.', RANDOM40),
  pemBody: j('MIIEowIBAAKCAQEAu1SU1LfVLPHCozMx', 'H2Mo4lgOEePzNm0tRgeLezV6ffAt0gun'),
  password: j('Vt9q2Lm', 'X7pR4kW8z'),
};
const BEGIN = (kind: string): string => j('-----BEGIN ', kind, 'PRIVATE KEY-----');

function scan(path: string, code: string, extra: Partial<RuleTestCase> & { oldPath?: string } = {}): RawFinding[] {
  return run(secretsAnalyzer, { path, code, ...extra });
}

function ids(path: string, code: string): string[] {
  return scan(path, code).map((f) => f.ruleId);
}

describeAnalyzerRules(secretsAnalyzer);

describe('secrets analyzer', () => {

  describe('provider formats in many file types', () => {
    const cases: Array<[string, string, string, string]> = [
      // [rule, path, code, secret]
      [SECRET_RULE_IDS.awsAccessKeyId, '.env.production', `AWS_ACCESS_KEY_ID=${T.awsId}\n`, T.awsId],
      [SECRET_RULE_IDS.awsAccessKeyId, 'infra/creds.json', `{"AccessKeyId": "${T.awsTempId}"}\n`, T.awsTempId],
      [SECRET_RULE_IDS.awsSecretAccessKey, 'src/s3.py', `boto3.client("s3", aws_secret_access_key="${T.awsSecret}")\n`, T.awsSecret],
      [SECRET_RULE_IDS.awsSecretAccessKey, 'src/s3.js', `const s3 = new S3({ secretAccessKey: '${T.awsSecret}' });\n`, T.awsSecret],
      [SECRET_RULE_IDS.awsSecretAccessKey, 'k8s/secret.yaml', `  AWS_SECRET_ACCESS_KEY: ${T.awsSecret}\n`, T.awsSecret],
      [SECRET_RULE_IDS.github, 'main.go', `client := github.NewTokenClient(ctx, "${T.gho}")\n`, T.gho],
      [SECRET_RULE_IDS.github, '.github/workflows/x.yml', `        env: { GH_TOKEN: ${T.ghs} }\n`, T.ghs],
      [SECRET_RULE_IDS.github, 'src/a.rb', `Octokit::Client.new(access_token: '${T.ghu}')\n`, T.ghu],
      [SECRET_RULE_IDS.github, 'src/a.ts', `const refresh = "${T.ghr}";\n`, T.ghr],
      [SECRET_RULE_IDS.github, 'scripts/push.sh', `git remote add origin https://x-access-token:${T.ghp}@github.com/o/r.git\n`, T.ghp],
      [SECRET_RULE_IDS.openai, 'app.py', `openai.api_key = "${T.openai48}"\n`, T.openai48],
      [SECRET_RULE_IDS.openai, 'app.py', `OPENAI = '${T.openaiLegacy}'\n`, T.openaiLegacy],
      [SECRET_RULE_IDS.openai, 'config.json', `{"openai": {"key": "${T.openaiProj}"}}\n`, T.openaiProj],
      [SECRET_RULE_IDS.anthropic, '.env.local', `ANTHROPIC_API_KEY=${T.anthropic}\n`, T.anthropic],
      [SECRET_RULE_IDS.slackToken, 'bot.py', `client = WebClient(token="${T.slackUser}")\n`, T.slackUser],
      [SECRET_RULE_IDS.slackWebhook, 'src/notify.ts', `await fetch("${T.slackHook}", { method: "POST" });\n`, T.slackHook],
      [SECRET_RULE_IDS.googleApiKey, 'web/index.html', `<script src="https://maps.googleapis.com/maps/api/js?key=${T.google}"></script>\n`, T.google],
      [SECRET_RULE_IDS.stripe, 'billing.go', `stripe.Key = "${T.stripeRestricted}"\n`, T.stripeRestricted],
      [SECRET_RULE_IDS.npm, '.github/workflows/publish.yml', `      NODE_AUTH_TOKEN: ${T.npm}\n`, T.npm],
      [SECRET_RULE_IDS.jwt, 'src/api.ts', `headers: { Authorization: \`Bearer ${T.jwt}\` },\n`, T.jwt],
      [SECRET_RULE_IDS.connectionString, 'settings.py', `MONGO = "mongodb+srv://svc:${T.password}@cluster0.ab1cd.mongodb.net/prod"\n`, T.password],
      [SECRET_RULE_IDS.connectionString, 'app.yml', `url: amqps://worker:${T.password}@mq.internal:5671/vhost\n`, T.password],
    ];
    for (const [rule, path, code, secret] of cases) {
      it(`${rule} in ${path}`, () => {
        const found = scan(path, code).filter((f) => f.ruleId === rule);
        expect(found).toHaveLength(1);
        const f = found[0]!;
        expect(f.line).toBe(1);
        expect(code.slice((f.column ?? 0) - 1)).toContain(secret.slice(0, 4));
        // Never show the secret itself.
        expect(f.snippet).not.toContain(secret);
        expect(f.message ?? '').not.toContain(secret);
        expect(f.snippet).toMatch(/…\(\d+ chars\)/);
      });
    }
  });

  describe('one finding per secret, no generic duplicate', () => {
    it('reports a provider token assigned to a secret name only once', () => {
      expect(ids('config.py', `GITHUB_TOKEN = "${T.ghp}"\n`)).toEqual([SECRET_RULE_IDS.github]);
      expect(ids('.npmrc', `//registry.npmjs.org/:_authToken=${T.npm}\n`)).toEqual([SECRET_RULE_IDS.npm]);
      expect(ids('db.py', `password_url = "postgres://app:${T.password}@db.internal/app"\n`)).toEqual([
        SECRET_RULE_IDS.connectionString,
      ]);
    });

    it('reports two secrets on one line separately, in column order', () => {
      const found = scan('creds.ini', `key=${T.awsId} aws_secret_access_key=${T.awsSecret}\n`);
      expect(found.map((f) => f.ruleId)).toEqual([SECRET_RULE_IDS.awsAccessKeyId, SECRET_RULE_IDS.awsSecretAccessKey]);
    });
  });

  describe('confidence per finding', () => {
    /** The finding's own confidence, or `rule` when it keeps its rule's; a missing finding fails. */
    const confidenceOf = (path: string, code: string, ruleId: string) => {
      const found = scan(path, code).find((f) => f.ruleId === ruleId);
      expect(found, `${ruleId} in ${path}`).toBeDefined();
      return found!.confidence ?? 'rule';
    };

    it('leaves provider-prefixed tokens at their rule\'s high confidence', () => {
      expect(secretsAnalyzer.rules.find((r) => r.meta.id === SECRET_RULE_IDS.github)!.meta.confidence).toBe('high');
      expect(confidenceOf('config.py', `GITHUB_TOKEN = "${T.ghp}"\n`, SECRET_RULE_IDS.github)).toBe('rule');
    });

    it('is sure of an AWS secret access key only when its access key ID sits beside it', () => {
      expect(secretsAnalyzer.rules.find((r) => r.meta.id === SECRET_RULE_IDS.awsSecretAccessKey)!.meta.confidence).toBe('medium');
      // A secret-looking name and an entropy alone: the rule's medium.
      expect(confidenceOf('src/s3.py', `boto3.client("s3", aws_secret_access_key="${T.awsSecret}")\n`, SECRET_RULE_IDS.awsSecretAccessKey)).toBe('rule');
      // The key ID on the line above agrees.
      const paired = scan('creds.ini', `aws_access_key_id = ${T.awsId}\naws_secret_access_key = ${T.awsSecret}\n`);
      const secret = paired.find((f) => f.ruleId === SECRET_RULE_IDS.awsSecretAccessKey)!;
      expect(secret.confidence).toBe('high');
      expect(secret.message).toContain('paired with the AWS access key ID on line 1');
      // A placeholder key ID agrees with nothing.
      const placeholder = j('AKIA', 'XXXXXXXXXXXXXXXX');
      expect(confidenceOf('creds.ini', `aws_access_key_id = ${placeholder}\naws_secret_access_key = ${T.awsSecret}\n`, SECRET_RULE_IDS.awsSecretAccessKey)).toBe('rule');
    });

    it('is sure of a password in a connection string only when it looks random', () => {
      expect(secretsAnalyzer.rules.find((r) => r.meta.id === SECRET_RULE_IDS.connectionString)!.meta.confidence).toBe('medium');
      const random = j('Xq7Lm2', 'Vt9Rk4Wz8');
      expect(confidenceOf('db.py', `url = "postgres://app:${random}@db.internal/app"\n`, SECRET_RULE_IDS.connectionString)).toBe('high');
      expect(confidenceOf('docker-compose.yml', 'DATABASE_URL: postgres://app:devpass7@db/app\n', SECRET_RULE_IDS.connectionString)).toBe('rule');
    });

    it('leaves entropy-only assignments at medium', () => {
      expect(secretsAnalyzer.rules.find((r) => r.meta.id === SECRET_RULE_IDS.highEntropy)!.meta.confidence).toBe('medium');
      expect(confidenceOf('settings.py', `API_SECRET = "${T.password}"\n`, SECRET_RULE_IDS.highEntropy)).toBe('rule');
    });
  });

  describe('private keys', () => {
    it('finds OpenSSH, encrypted PEM and PGP keys', () => {
      expect(ids('id_ed25519', `${BEGIN('OPENSSH ')}\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n`)).toEqual([
        SECRET_RULE_IDS.privateKey,
      ]);
      const encrypted = `${BEGIN('RSA ')}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n${T.pemBody}\n`;
      expect(ids('key.pem', encrypted)).toEqual([SECRET_RULE_IDS.privateKey]);
      const pgp = `${j('-----BEGIN PGP ', 'PRIVATE KEY BLOCK-----')}\nVersion: GnuPG v2\n\n${T.pemBody}\n`;
      expect(ids('key.asc', pgp)).toEqual([SECRET_RULE_IDS.privateKey]);
    });

    it('finds a key embedded as a string with escaped newlines (JS, YAML)', () => {
      expect(ids('src/sign.js', `const key = "${BEGIN('')}\\n${T.pemBody}\\n-----END PRIVATE KEY-----";\n`)).toEqual([
        SECRET_RULE_IDS.privateKey,
      ]);
      expect(ids('values.yaml', `signingKey: |\n  ${BEGIN('EC ')}\n  ${T.pemBody}\n`)).toEqual([SECRET_RULE_IDS.privateKey]);
    });

    it('ignores headers used as constants or in docs without key material', () => {
      expect(ids('src/pem.go', `const header = "${BEGIN('')}"\n`)).toEqual([]);
      expect(ids('docs/tls.md', `${BEGIN('')}\n<your key here>\n-----END PRIVATE KEY-----\n`)).toEqual([]);
      expect(ids('docs/tls.md', `${BEGIN('')}\nMIIxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n`)).toEqual([]);
      expect(ids('src/a.py', `if line == "${BEGIN('RSA ')}":\n    start = True\n`)).toEqual([]);
    });

    it('shows the header, not the key, in the snippet', () => {
      const [f] = scan('k.pem', `${BEGIN('RSA ')}\n${T.pemBody}\n`);
      expect(f?.snippet).toBe(BEGIN('RSA '));
    });
  });

  describe('JWTs need credential context', () => {
    it('flags a service token assigned to a credential name', () => {
      expect(ids('src/a.ts', `const SUPABASE_SERVICE_KEY = "${T.jwt}";\n`)).toContain(SECRET_RULE_IDS.jwt);
      expect(ids('app.yml', `auth_header: Bearer ${T.jwt}\n`)).toContain(SECRET_RULE_IDS.jwt);
    });

    it('ignores JWTs without context and public anon keys', () => {
      expect(ids('src/parse.test.ts', `expect(decode("${T.jwt}").sub).toBe("usr_98237");\n`)).toEqual([]);
      expect(ids('src/supabase.ts', `const supabaseAnonKey = "${T.jwtAnon}";\n`)).toEqual([]);
    });
  });

  describe('connection strings', () => {
    it('ignores templated, placeholder and local development credentials', () => {
      const negatives = [
        'DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app',
        'url = "mysql://user:pass@host/db"',
        'url = "mysql://root:root@127.0.0.1:3306/db"',
        'url = "redis://:password@redis:6379"',
        'REDIS_URL=redis://default:%s@%s:6379',
        'url: postgres://app:<password>@db.example.com/app',
        'url: postgres://app:****@db.internal/app',
        'url: postgres://app:xxxxxxxx@db.internal/app',
        'git clone https://github.com/org/repo.git',
        'url: "mongodb://mongo:27017/test"',
      ];
      for (const line of negatives) expect(ids('config/app.yml', `${line}\n`), line).toEqual([]);
    });

    it('shows user and host but redacts the password', () => {
      const [f] = scan('a.py', `DSN = "postgresql://reporting:${T.password}@db.prod.internal:5432/app"\n`);
      expect(f?.snippet).toBe(`postgresql://reporting:${redact(T.password)}@db.prod.internal:5432`);
    });
  });

  describe('high-entropy values assigned to secret-looking names', () => {
    const v = T.password; // 16 random characters
    const positives: Array<[string, string]> = [
      ['src/settings.py', `API_KEY = '${v}'`],
      ['src/settings.py', `password: str = "${v}"`],
      ['src/client.js', `const clientSecret = "${v}";`],
      ['src/client.ts', `this.apiKey = \`${v}\`;`],
      ['src/Client.kt', `val authToken: String = "${v}"`],
      ['src/main.go', `dbPassword := "${v}"`],
      ['src/Main.java', `private static final String DB_PASSWORD = "${v}";`],
      ['app/models/user.rb', `  config.secret_key_base = '${v}'`],
      ['config/db.php', `  'password' => '${v}',`],
      ['conf/app.json', `  "encryption_key": "${v}",`],
      ['conf/app.yaml', `  signing-key: ${v}`],
      ['conf/app.yaml', `  access_token: "${v}"`],
      ['.env', `DB_PASSWORD=${v}`],
      ['deploy/run.sh', `export AUTH_TOKEN="${v}"`],
      ['Dockerfile', `ENV API_SECRET=${v}`],
      ['src/main.py', `os.environ.setdefault("SERVICE_TOKEN", "${v}")`],
      ['src/http.py', `headers["Authorization"] = "Bearer ${v}"`],
      ['settings.toml', `secret = "${v}"`],
      ['app.properties', `spring.datasource.password=${v}`],
    ];
    for (const [path, line] of positives) {
      it(`flags ${path}: ${line.replace(v, '<value>')}`, () => {
        const found = scan(path, `${line}\n`).filter((f) => f.ruleId !== SECRET_RULE_IDS.envFile);
        expect(found.map((f) => f.ruleId)).toEqual([SECRET_RULE_IDS.highEntropy]);
        const f = found[0]!;
        expect(f.column).toBe(line.indexOf(v) + 1);
        expect(f.snippet).toContain(redact(v));
        expect(f.snippet).not.toContain(v);
        expect(f.message ?? '').not.toContain(v);
      });
    }

    it('flags dashed random keys and base64 secrets in manifests', () => {
      expect(ids('src/keys.ts', 'const API_KEY = "Xk9q-2LmP-7vR4-w8Zt";\n')).toEqual([SECRET_RULE_IDS.highEntropy]);
      expect(ids('k8s/secret.yaml', '  password: cGFzc3dvcmQxMjM0NTY3OA==\n')).toEqual([SECRET_RULE_IDS.highEntropy]);
    });

    const negatives: Array<[string, string]> = [
      ['src/settings.py', 'API_KEY = os.environ["API_KEY"]'],
      ['src/settings.py', 'API_KEY = os.getenv("API_KEY", "")'],
      ['src/client.js', 'const apiKey = process.env.API_KEY;'],
      ['src/client.ts', 'const token = `${prefix}${process.env.TOKEN}`;'],
      ['src/client.ts', 'const password: string = input.password;'],
      ['src/client.ts', 'password: someVariableName1234,'],
      ['src/a.py', 'tokenizer = "bert-base-uncased-whole-word"'],
      ['src/a.py', 'max_tokens = 4096'],
      ['src/a.py', 'password_hash = "$2b$12$KIXQJm3yq0Vt9q2LmX7pR4kW8zOe2Ui9Hd3Fs6Jg0Ae2U"'],
      ['src/a.py', 'PASSWORD_FIELD = "user_password_input"'],
      ['src/a.py', 'password = ""'],
      ['src/a.py', 'password = "Enter your password to continue"'],
      ['src/a.py', 'token = "xxxxxxxxxxxxxxxxxxxxxxxx"'],
      ['src/a.py', 'api_key = "<YOUR_API_KEY>"'],
      ['src/a.py', 'api_key = "YOUR_API_KEY_HERE"'],
      ['src/a.py', 'secret = "aaaaaaaaaaaaaaaaaaaa"'],
      ['src/a.py', 'secret = "1234567890abcdefghij"'],
      ['src/a.py', 'secret = "abcdabcdabcdabcdabcd"'],
      ['src/a.py', 'SECRET = "changeme-in-production-please"'],
      ['src/a.py', 'secret = "{{ .Values.secret }}"'],
      ['src/a.py', 'secret = f"{secret_value}"'],
      ['src/a.py', 'secret_name = "prod/db/credentials-v2"'],
      ['src/a.py', 'token_url = "https://oauth2.googleapis.com/token"'],
      ['src/a.py', 'secretsFile = "/var/run/secrets/app/token9x"'],
      ['src/a.py', 'STRIPE_SECRET_KEY = "sk_test_51Hq8Vd2mZr7Ux9bLpT3wQn5"'],
      ['src/a.py', 'if password == "Vt9q2LmX7pR4kW8z":'],
      ['src/a.py', 'author = "Vt9q2LmX7pR4kW8z"'],
      ['.github/workflows/ci.yml', '          token: ${{ secrets.GITHUB_TOKEN }}'],
      ['group_vars/all.yml', 'db_password: !vault |'],
      ['conf/app.yaml', 'password: ENC[AES256_GCM,data:Vt9q2LmX7pR4kW8z,iv:abc]'],
      ['k8s/deploy.yaml', '          secretKeyRef:'],
      ['k8s/deploy.yaml', '              name: api-token-v2-7f9c'],
      ['package-lock.json', '      "integrity": "sha512-Vt9q2LmX7pR4kW8zKq8Vd2mZr7Ux9bLpT3wQn5sYc0HjGe4FaK1oW9xY=="'],
      ['yarn.lock', '  token "Vt9q2LmX7pR4kW8z"'],
      ['docs/guide.md', 'Set `password: hunter2isnotsecure` in your config.'],
      ['README.md', 'The token: it expires after 90 days and must be rotated by the admin.'],
      ['src/test.py', 'PWD=/home/runner/work/project'],
      ['src/store.ts', 'const STORAGE_TOKEN_KEY = "app.session.token.v2";'],
      ['src/store.ts', 'const TOKEN_KEY = "auth_token";'],
      ['conf/app.yaml', 'token_sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ];
    for (const [path, line] of negatives) {
      it(`ignores ${path}: ${line}`, () => {
        expect(ids(path, `${line}\n`)).toEqual([]);
      });
    }

    it('treats obviously dummy values in test code as dummy, but not elsewhere', () => {
      const line = 'const apiKey = "mockKey9Xk2mQ7vLp4";\n';
      expect(ids('src/__tests__/api.test.ts', line)).toEqual([]);
      expect(ids('test/fixtures/client.ts', line)).toEqual([]);
      expect(ids('src/api.ts', line)).toEqual([SECRET_RULE_IDS.highEntropy]);
      // A real-looking secret in a test file is still a secret.
      expect(ids('test/api.test.ts', `const apiKey = "${T.password}";\n`)).toEqual([SECRET_RULE_IDS.highEntropy]);
      expect(ids('test/api.test.ts', `const token = "${T.ghp}";\n`)).toEqual([SECRET_RULE_IDS.github]);
    });
  });

  describe('.env files', () => {
    it('recognises env files but not their templates', () => {
      for (const p of ['.env', '.env.local', 'app/.env.production', '.env.development.local']) expect(isEnvFile(p), p).toBe(true);
      for (const p of ['.env.example', '.env.sample', '.env.template', 'app/.env.production.example', '.envrc', 'config.env', 'env.ts', '.environment']) {
        expect(isEnvFile(p), p).toBe(false);
      }
    });

    it('reports a new .env once, on its first line, plus any secret inside', () => {
      const found = scan('.env', `DEBUG=1\nSTRIPE_KEY=${T.stripeRestricted}\n`, { status: 'added' });
      expect(found.map((f) => [f.ruleId, f.line])).toEqual([
        [SECRET_RULE_IDS.envFile, 1],
        [SECRET_RULE_IDS.stripe, 2],
      ]);
      expect(found[0]?.message).toContain('.env');
    });

    it('reports a template renamed into a real .env, not edits of an existing one', () => {
      expect(ids('.env', 'A=1\n')).toEqual([SECRET_RULE_IDS.envFile]);
      expect(scan('.env', 'A=1\n', { status: 'renamed', oldPath: '.env.example' }).map((f) => f.ruleId)).toEqual([SECRET_RULE_IDS.envFile]);
      expect(scan('.env', 'A=1\nB=2\n', { status: 'modified', added: [2] })).toEqual([]);
      expect(scan('.env.sample', 'A=1\n', { status: 'added' })).toEqual([]);
    });
  });

  it('only reports added lines', () => {
    const code = `a = "${T.ghp}"\nb = "${T.npm}"\n`;
    expect(scan('x.py', code, { added: [2] }).map((f) => [f.ruleId, f.line])).toEqual([[SECRET_RULE_IDS.npm, 2]]);
  });

  it('does not throw on odd input', () => {
    expect(() => scan('x.bin', '\uFFFD\uFFFD\0\0password="\uD800\uDC00\uD800"\n')).not.toThrow();
    expect(scan('x.txt', '')).toEqual([]);
    expect(scan('deleted.py', `a = "${T.ghp}"\n`, { status: 'deleted' })).toEqual([]);
  });

  it('handles secrets after non-ASCII text with correct columns', () => {
    const line = `// 密码 ünïcödé 🔑 token = "${T.ghp}"`;
    const [f] = scan('a.js', `${line}\n`);
    expect(f?.column).toBe(line.indexOf(T.ghp) + 1);
  });

  describe('helpers', () => {
    it('entropy and sequences', () => {
      expect(shannonEntropy('aaaa')).toBe(0);
      expect(shannonEntropy('abcd')).toBe(2);
      expect(hasObviousSequence('xx123456yy')).toBe(true);
      expect(hasObviousSequence('ZYXWVU')).toBe(true);
      expect(hasObviousSequence(T.password)).toBe(false);
    });

    it('placeholders', () => {
      for (const p of ['${TOKEN}', '$TOKEN', '%TOKEN%', '<token>', '[TOKEN]', 'your-token-here', 'REDACTED', 'xxxxxxxx', 'sk_test_abc123XYZ']) {
        expect(isPlaceholderValue(p, 'src/a.ts'), p).toBe(true);
      }
      expect(isPlaceholderValue(T.password, 'src/a.ts')).toBe(false);
      expect(isPlaceholderValue('latestVt9q2LmX7', 'src/a.ts')).toBe(false);
    });

    it('secret names', () => {
      for (const n of ['password', 'DB_PASSWORD', 'apiKey', 'api-key', 'client_secret', 'authToken', 'AUTH', 'Authorization', 'secretKey', 'privateKeyPem', 'x-api-key']) {
        expect(isSecretName(n), n).toBe(true);
      }
      for (const n of ['tokenizer', 'TOKENIZER', 'author', 'passwordless', 'secretary', 'secret_name', 'tokenUrl', 'password_file', 'api_key_id', 'PWD', 'maxTokens']) {
        expect(isSecretName(n), n).toBe(false);
      }
    });

    it('judging assigned values', () => {
      expect(judgeAssignedValue('Bearer ' + T.password, 'a.ts')?.value).toBe(T.password);
      expect(judgeAssignedValue('short1A', 'a.ts')).toBeNull();
      expect(judgeAssignedValue('123456789012345', 'a.ts')).toBeNull();
    });

    it('identifiers are names, not secrets: camelCase, PascalCase, a leading underscore', () => {
      // Seen in established code: a source map's "names" list ("auth","_autoConnect"), a list of
      // class names ("HTTPBasicAuthHandler", "ProxyBasicAuthHandler"), a getter assigned to a token field.
      for (const v of ['_autoConnect', 'ProxyBasicAuthHandler', 'ProxyDigestAuthHandler', 'refreshAccessTokenIfNeeded', '$sessionStoreAdapter', 'XMLHttpRequestUpload', 'OAuth2ClientCredentials']) {
        expect(judgeAssignedValue(v, 'a.js'), v).toBeNull();
      }
      // Random letters still are secrets, mixed case or not.
      for (const v of ['XkQpTzRmWvLnBgHs', 'qVbXmTzKwLpRnHdY', 'hQvTzLxKpRmWbNcS', 'aZbYcXdWeVfUgThS']) {
        expect(judgeAssignedValue(v, 'a.js'), v).not.toBeNull();
      }
    });

    it('MIME boundaries are separators, not secrets', () => {
      // Multipart boundaries look random but only need to be unique: form-data, Outlook, Python email, WebKit.
      for (const v of ['----=_NextPart_000_0012_01D6A1B2.C3D4E5F0', '----WebKitFormBoundary7MA4YWxkTrZu0gW', '===============7330845974216740156==', '--_Part_1234_567890.1600000000000', 'Boundary-x7MA4YWxkTrZu0gW']) {
        expect(judgeAssignedValue(v, 'src/mail.js'), v).toBeNull();
      }
      expect(isSecretName('authBoundary')).toBe(false);
      expect(isSecretName('token_boundary')).toBe(false);
      // A secret with dashes inside is still a secret.
      expect(judgeAssignedValue('kQ9x-Lm2v-Tz8r-Wp4n-Hs6d', 'src/a.js')).not.toBeNull();
    });

    it('finds no secret in lists of names', () => {
      const names = [
        'module.exports = {',
        '  urllib2: ["AbstractBasicAuthHandler",',
        '            "HTTPBasicAuthHandler", "ProxyBasicAuthHandler",',
        '            "HTTPDigestAuthHandler", "ProxyDigestAuthHandler"],',
        '};',
      ].join('\n');
      expect(scan('lib/fixers.js', names)).toEqual([]);
      const sourceMap = '{"version":3,"names":["flags","auth","_autoConnect","subEvents","token","_tokenRefreshTimer"],"mappings":"AAAA"}\n';
      expect(scan('dist/client.js.map', sourceMap)).toEqual([]);
    });

    it('test paths', () => {
      for (const p of ['test/a.ts', 'src/__tests__/a.ts', 'pkg/a_test.go', 'tests/test_api.py', 'src/a.spec.ts', 'internal/testdata/x.json']) {
        expect(isTestPath(p), p).toBe(true);
      }
      for (const p of ['src/a.ts', 'src/latest/a.ts', 'contest.py']) expect(isTestPath(p), p).toBe(false);
    });

    it('redaction keeps at most four characters', () => {
      expect(redact(T.ghp)).toBe(`ghp_…(40 chars)`);
      expect(redact('abcdefghijkl')).toBe('ab…(12 chars)');
      expect(redact('abcdef')).toBe('…(6 chars)');
    });
  });

  describe('hostile input stays linear', () => {
    const cases: Array<[string, string]> = [
      ['unterminated assignments', 'password="'.repeat(100_000)],
      ['glued AWS prefixes', 'AKIA'.repeat(250_000)],
      ['one huge base64 run with AWS context', `aws_secret_access_key=${'Ab1+'.repeat(250_000)}`],
      ['many almost-JWTs', 'token eyJhbGciOi.eyJzdWIi.'.repeat(40_000)],
      ['many URLs with userinfo', 'postgres://u:p@'.repeat(60_000)],
      ['many key=value pairs', `${'api_key=Vt9q2LmX7pR4kW8z '.repeat(40_000)}`],
      ['PEM headers without bodies', BEGIN('RSA ').repeat(30_000)],
    ];
    for (const [name, line] of cases) {
      it(`${name} (${(line.length / 1e6).toFixed(1)} MB line)`, () => {
        const t = performance.now();
        expect(() => scan('conf/x.yml', `${line}\n`)).not.toThrow();
        expect(performance.now() - t).toBeLessThan(15_000); // a guard against catastrophic (super-linear) matching, not a speed target
      });
    }

    it('100k lines of ordinary code', () => {
      const block = [
        'export function handler(req: Request, res: Response): void {',
        '  const token = req.headers.authorization?.split(" ")[1] ?? "";',
        '  if (!verify(token, process.env.JWT_SECRET)) return res.status(401).end();',
        '  const url = `https://api.example.com/v1/users/${req.params.id}`;',
        '  logger.info({ url, user: req.user?.id }, "fetching user");',
        '}',
      ].join('\n');
      const code = `${block}\n`.repeat(17_000);
      const t = performance.now();
      expect(scan('src/big.ts', code)).toEqual([]);
      expect(performance.now() - t).toBeLessThan(15_000); // a guard against catastrophic (super-linear) matching, not a speed target
    });

    it('100k lines of assignments', () => {
      const code = `api_token = "${T.password}"\n`.repeat(100_000);
      const t = performance.now();
      const found = scan('conf/x.py', code);
      expect(found).toHaveLength(100_000);
      // Generous: the point is linear growth (a quadratic walk would take hours), not a benchmark.
      expect(performance.now() - t).toBeLessThan(10_000);
    });
  });
});

describe('secrets in long files', () => {
  it('finds each kind of secret on whichever line it is, among many lines without one', () => {
    const filler = Array.from({ length: 300 }, (_, i) => `const value${i} = compute(${i}); // ordinary code`);
    const planted = new Map<number, string>([
      [17, `const token = "${'ghp_'}Zr7Ux9bLpT3wQn5sYc0HjGe4FaK1oW8mQ2vXb";`],
      [154, 'SESSION_SECRET = "q9Zt4LmX2vR8kWp3Jd7nB1cF6hY0sGaE"'],
      [288, `url = "postgres://admin:${'Xk9'}vLq2ZmP8tRw@db.internal:5432/app"`],
    ]);
    for (const [line, text] of planted) filler[line - 1] = text;
    const found = run(secretsAnalyzer, { path: 'src/config.js', code: `${filler.join('\n')}\n` });
    expect([...new Set(found.map((f) => f.line))].sort((a, b) => a - b)).toEqual([17, 154, 288]);
  });
});
