// Answer-link tokens: HMAC-SHA256 over a request's key and expiry with the secret made at setup.
// A token binds one request; forged, altered or expired tokens are refused; comparison is
// constant-time. (@noble/hashes and @scure/base: audited, small, no platform APIs.)
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import { utf8 } from './hash';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const fromAscii = (b: Uint8Array) => String.fromCharCode(...b);

/**
 * What a token opens. A request link (`request`), a department's inbox link (`inbox`) and a
 * progress-check link (`progress`: one carried-over proposal's 実施状況 for one period) are MACed
 * differently: the MAC input of the latter two starts with their purpose and a line break, which
 * no request payload holds, so no kind verifies as another.
 */
export type TokenPurpose = 'request' | 'inbox' | 'progress';
const macInput = (purpose: TokenPurpose, payload: Uint8Array) =>
  purpose === 'request' ? payload : Uint8Array.from([...ascii(`${purpose}\n`), ...payload]);

/** `expires` is an ISO day; the token is valid through the end of it. */
export function signToken(
  key: string,
  expires: string,
  secret: string,
  purpose: TokenPurpose = 'request',
): string {
  const payload = `${encodeURIComponent(key)}~${expires}`;
  const mac = hmac(sha256, utf8(secret), macInput(purpose, ascii(payload)));
  return `${base64urlnopad.encode(ascii(payload))}.${base64urlnopad.encode(mac)}`;
}

function equalConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export type TokenCheck =
  | { ok: true; key: string; expires: string }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function verifyToken(
  token: string,
  secret: string,
  today: string,
  purpose: TokenPurpose = 'request',
): TokenCheck {
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token ?? '');
  if (!m) return { ok: false, reason: 'malformed' };
  let payload: Uint8Array;
  let mac: Uint8Array;
  try {
    payload = base64urlnopad.decode(m[1]!);
    mac = base64urlnopad.decode(m[2]!);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!secret || !equalConstantTime(mac, hmac(sha256, utf8(secret), macInput(purpose, payload))))
    return { ok: false, reason: 'forged' };
  const [encodedKey, expires] = fromAscii(payload).split('~') as [string, string];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(expires ?? '')) return { ok: false, reason: 'malformed' };
  if (expires < today) return { ok: false, reason: 'expired' };
  return { ok: true, key: decodeURIComponent(encodedKey), expires };
}

/** UTF-8 bytes back to a string (Apps Script's V8 has no TextDecoder). */
function fromUtf8(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += `%${b.toString(16).padStart(2, '0')}`;
  return decodeURIComponent(s);
}

/**
 * A text sealed with the secret: `base64url(text).base64url(mac)`. Only the script can make one;
 * the text is readable back from it, so whatever a sealed cell says can be put back. The MAC
 * input starts with `purpose` and a line break, which no token payload holds.
 */
export function sealText(purpose: string, text: string, secret: string): string {
  const body = base64urlnopad.encode(utf8(text));
  const mac = hmac(sha256, utf8(secret), utf8(`${purpose}\n${body}`));
  return `${body}.${base64urlnopad.encode(mac)}`;
}

/** The text a seal holds, or null when it was not made by `sealText` with this secret and purpose. */
export function openSealed(purpose: string, sealed: string, secret: string): string | null {
  const m = /^([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)$/.exec(sealed ?? '');
  if (!m || !secret) return null;
  let mac: Uint8Array;
  let body: Uint8Array;
  try {
    mac = base64urlnopad.decode(m[2]!);
    body = base64urlnopad.decode(m[1]!);
  } catch {
    return null;
  }
  if (!equalConstantTime(mac, hmac(sha256, utf8(secret), utf8(`${purpose}\n${m[1]}`)))) return null;
  try {
    return fromUtf8(body);
  } catch {
    return null;
  }
}
