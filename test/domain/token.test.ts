import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../src/domain/token';

const SECRET = 'secret-made-at-setup';
const KEY = 'R7-U01|広報室|依頼|1';

describe('answer-link tokens', () => {
  it('bind one request until their expiry', () => {
    const t = signToken(KEY, '2026-03-31', SECRET);
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyToken(t, SECRET, '2026-03-31')).toEqual({ ok: true, key: KEY, expires: '2026-03-31' });
    expect(verifyToken(t, SECRET, '2026-04-01')).toEqual({ ok: false, reason: 'expired' });
  });
  it('refuse forged, altered and malformed tokens', () => {
    const t = signToken(KEY, '2026-03-31', SECRET);
    expect(verifyToken(t, 'another-secret', '2025-11-25')).toEqual({ ok: false, reason: 'forged' });
    const [payload, mac] = t.split('.');
    const other = signToken('R7-U02|広報室|依頼|1', '2026-03-31', SECRET).split('.')[0];
    expect(verifyToken(`${other}.${mac}`, SECRET, '2025-11-25')).toEqual({ ok: false, reason: 'forged' });
    const longer = signToken(KEY, '2099-12-31', SECRET).split('.')[0];
    expect(verifyToken(`${longer}.${mac}`, SECRET, '2025-11-25')).toEqual({ ok: false, reason: 'forged' });
    expect(verifyToken(`${payload}.${mac!.slice(0, -2)}AA`, SECRET, '2025-11-25').ok).toBe(false);
    for (const bad of ['', 'abc', 'a.b.c', '<script>.x'])
      expect(verifyToken(bad, SECRET, '2025-11-25')).toEqual({ ok: false, reason: 'malformed' });
  });
});
