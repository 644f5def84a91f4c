import { decodeUtf8 } from '../text.js';

// String escapes and the decoders the constants pass folds through.

const SIMPLE: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

/**
 * Decodes backslash escapes of a JS or Python string body. Null when an escape is one the
 * folder does not know (Python's `\N{…}`), so the value is treated as unknown, not as wrong text.
 */
export function unescapeString(body: string, python: boolean): string | null {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === undefined) return null;
    const hex = (len: number): string | null => {
      const digits = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== len) return null;
      i += len;
      return String.fromCodePoint(parseInt(digits, 16));
    };
    let piece: string | null;
    if (next === 'x') piece = hex(2);
    else if (next === 'u' && body[i + 1] === '{' && !python) {
      const end = body.indexOf('}', i);
      const digits = body.slice(i + 2, end);
      piece = end > 0 && /^[0-9a-fA-F]{1,6}$/.test(digits) ? String.fromCodePoint(parseInt(digits, 16)) : null;
      i = end;
    } else if (next === 'u') piece = hex(4);
    else if (next === 'U' && python) piece = hex(8);
    else if (python && /[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      i += digits.length - 1;
      piece = String.fromCharCode(parseInt(digits, 8));
    } else if (next === 'N' && python) piece = null;
    else if (next === '\n') piece = '';
    else if (next in SIMPLE) piece = SIMPLE[next]!;
    else piece = python && !'\\\'"'.includes(next) ? `\\${next}` : next;
    if (piece === null) return null;
    out += piece;
  }
  return out;
}

const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Base64 (standard or URL-safe) to text; null when it is not base64. */
export function fromBase64(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return null;
  return decodeUtf8(Buffer.from(compact, 'base64'));
}

/** Hex digits (spaces allowed between pairs) to text; null when it is not hex. */
export function fromHex(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!HEX.test(compact)) return null;
  return decodeUtf8(Buffer.from(compact, 'hex'));
}

/** `atob`: base64 to a binary string, one character per byte. */
export function fromBase64Binary(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return null;
  return Buffer.from(compact, 'base64').toString('latin1');
}
