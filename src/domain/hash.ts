// SHA-256 in the bundle (@noble/hashes, audited, ~4 KB) rather than Utilities.computeDigest: the
// history chain hashes every row, and one service call per row would make an import of 2,000
// proposals cost thousands of calls.
import { sha256 } from '@noble/hashes/sha2.js';

/** UTF-8 bytes without TextEncoder, which Apps Script's V8 does not provide. */
export function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

export function sha256Hex(s: string): string {
  let hex = '';
  for (const b of sha256(utf8(s))) hex += b.toString(16).padStart(2, '0');
  return hex;
}
