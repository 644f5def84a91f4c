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
