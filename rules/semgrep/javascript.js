const { BrowserWindow, BrowserView } = require('electron');
const crypto = require('crypto');
const nodeCrypto = require('node:crypto');

function share(popup, frame, token) {
  // ruleid: js.postmessage.wildcard-target-origin
  popup.postMessage({ token }, '*');
  // ruleid: js.postmessage.wildcard-target-origin
  frame.contentWindow.postMessage(token, "*", [buffer]);
  // ruleid: js.postmessage.wildcard-target-origin
  window.parent.postMessage(token, { targetOrigin: "*" });
  // ok: js.postmessage.wildcard-target-origin
  popup.postMessage({ token }, 'https://app.example.com');
  // ok: js.postmessage.wildcard-target-origin
  worker.postMessage(token);
  // ok: js.postmessage.wildcard-target-origin
  shared.port.postMessage(token, "*");
}

// ruleid: js.electron.node-integration-enabled
const main = new BrowserWindow({ width: 800, webPreferences: { nodeIntegration: true } });
// ruleid: js.electron.node-integration-enabled
const other = new BrowserWindow({
  webPreferences: { preload: path.join(__dirname, 'preload.js'), contextIsolation: false },
  height: 600,
});
// ruleid: js.electron.node-integration-enabled
const view = new BrowserView({ webPreferences: { nodeIntegration: true, webviewTag: false } });
// ok: js.electron.node-integration-enabled
const safe = new BrowserWindow({ webPreferences: { nodeIntegration: false, contextIsolation: true } });
// ok: js.electron.node-integration-enabled
const plain = new BrowserWindow({ width: 800 });

// ruleid: js.crypto.pseudo-random-bytes
const token = crypto.pseudoRandomBytes(32).toString('hex');
// ruleid: js.crypto.pseudo-random-bytes
const iv = nodeCrypto.prng(16);
// ok: js.crypto.pseudo-random-bytes
const good = crypto.randomBytes(32).toString('hex');
// ok: js.crypto.pseudo-random-bytes
const alsoGood = crypto.getRandomValues(new Uint8Array(16));

class Profile {
  constructor(sanitizer) { this.sanitizer = sanitizer; }
  render(bio) {
    // ruleid: js.angular.bypass-security-trust
    this.html = this.sanitizer.bypassSecurityTrustHtml(bio);
    // ruleid: js.angular.bypass-security-trust
    this.frame = this.sanitizer.bypassSecurityTrustResourceUrl(`https://embed.example.com/${bio}`);
    // ok: js.angular.bypass-security-trust
    this.icon = this.sanitizer.bypassSecurityTrustUrl('data:image/png;base64,iVBORw0KGgo=');
    // ok: js.angular.bypass-security-trust
    this.safe = this.sanitizer.sanitize(SecurityContext.HTML, bio);
  }
}

// ruleid: js.electron.web-security-disabled
const unsafeWin = new BrowserWindow({ webPreferences: { webSecurity: false } });
// ruleid: js.electron.web-security-disabled
const prefs = {
  preload: 'preload.js',
  webPreferences: { allowRunningInsecureContent: true, contextIsolation: true },
};
// ok: js.electron.web-security-disabled
const secureWin = new BrowserWindow({ webPreferences: { webSecurity: true } });
// ok: js.electron.web-security-disabled
fetchOptions({ webSecurity: false });

const Handlebars = require('handlebars');
const nunjucks = require('nunjucks');
// ruleid: js.template.autoescape-disabled
const tpl = Handlebars.compile(source, { noEscape: true });
// ruleid: js.template.autoescape-disabled
nunjucks.configure('views', { autoescape: false, express: app });
// ruleid: js.template.autoescape-disabled
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader('views'), { autoescape: false });
// ok: js.template.autoescape-disabled
const tpl2 = Handlebars.compile(source, { strict: true });
// ok: js.template.autoescape-disabled
nunjucks.configure('views', { autoescape: true });

const express = require('express');
// ruleid: js.express.static-dotfiles-allowed
app.use(express.static(path.join(__dirname, 'public'), { dotfiles: 'allow' }));
// ruleid: js.express.static-dotfiles-allowed
app.use('/files', serveStatic(root, { maxAge: '1d', dotfiles: 'allow' }));
// ok: js.express.static-dotfiles-allowed
app.use(express.static('public', { dotfiles: 'ignore' }));
// ok: js.express.static-dotfiles-allowed
app.use(express.static('public'));

// ruleid: js.helmet.protection-disabled
app.use(helmet({ contentSecurityPolicy: false }));
// ruleid: js.helmet.protection-disabled
app.use(helmet({ crossOriginEmbedderPolicy: false, frameguard: false }));
// ok: js.helmet.protection-disabled
app.use(helmet({ crossOriginEmbedderPolicy: false }));
// ok: js.helmet.protection-disabled
app.use(helmet());

// ruleid: js.cookie.insecure-session-cookie
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { httpOnly: false } }));
// ruleid: js.cookie.insecure-session-cookie
app.use(session({ secret, resave: false, cookie: { maxAge: 3600000, secure: false } }));
// ok: js.cookie.insecure-session-cookie
app.use(session({ secret, resave: false, cookie: { secure: true, httpOnly: true } }));
function login(req, res, token) {
  // ruleid: js.cookie.insecure-session-cookie
  res.cookie('auth_token', token, { httpOnly: false, maxAge: 900000 });
  // ok: js.cookie.insecure-session-cookie
  res.cookie('theme', 'dark', { httpOnly: false });
}
