import { describe, expect, it } from 'vitest';
import { type MailRow, openMailSeal, sealMail } from '../../src/domain/mail';
import { openSealed, sealText, signToken, verifyToken } from '../../src/domain/token';

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

describe('inbox tokens', () => {
  it('bind one department; a request token is never an inbox token, nor the other way', () => {
    const inbox = signToken('情報政策課', '2026-01-24', SECRET, 'inbox');
    expect(verifyToken(inbox, SECRET, '2026-01-24', 'inbox')).toEqual({
      ok: true,
      key: '情報政策課',
      expires: '2026-01-24',
    });
    expect(verifyToken(inbox, SECRET, '2026-01-25', 'inbox')).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(inbox, SECRET, '2025-11-25')).toEqual({ ok: false, reason: 'forged' });
    const request = signToken(KEY, '2026-03-31', SECRET);
    expect(verifyToken(request, SECRET, '2025-11-25', 'inbox')).toEqual({ ok: false, reason: 'forged' });
    // The same payload, signed for either purpose, has different MACs.
    expect(signToken(KEY, '2026-03-31', SECRET, 'inbox').split('.')[1]).not.toBe(request.split('.')[1]);
    expect(verifyToken(inbox, '', '2025-11-25', 'inbox')).toEqual({ ok: false, reason: 'forged' });
  });
});

describe('progress-check tokens', () => {
  it('verify only as progress tokens: never as a request or inbox token, nor the other way', () => {
    const key = 'R7-U01|広報室|2026-07';
    const progress = signToken(key, '2027-07-01', SECRET, 'progress');
    expect(verifyToken(progress, SECRET, '2026-07-01', 'progress')).toEqual({
      ok: true,
      key,
      expires: '2027-07-01',
    });
    for (const purpose of ['request', 'inbox'] as const) {
      expect(verifyToken(progress, SECRET, '2026-07-01', purpose)).toEqual({ ok: false, reason: 'forged' });
      const other = signToken(key, '2027-07-01', SECRET, purpose);
      expect(verifyToken(other, SECRET, '2026-07-01', 'progress')).toEqual({ ok: false, reason: 'forged' });
    }
    expect(verifyToken(progress, SECRET, '2027-07-02', 'progress')).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('sealed 送信記録 rows', () => {
  const row: MailRow = {
    seq: 7,
    key: KEY,
    id: 'R7-U01',
    department: '広報室',
    mailKind: '依頼',
    round: 1,
    recipients: 'koho@example.jp',
    state: '送信済',
    attempts: 1,
    createdAt: '2025-11-25 15:00:00',
    sentAt: '2025-11-25 15:00:01',
    error: '',
  };
  it('read back whole, non-ASCII text included', () => {
    const seal = sealMail(row, SECRET);
    expect(seal).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(openMailSeal(seal, SECRET)).toEqual(row);
    expect(openSealed('x', sealText('x', '所管課「広報室」', SECRET), SECRET)).toBe('所管課「広報室」');
  });
  it('refuse another secret, another purpose, an altered body or MAC, and a token', () => {
    const seal = sealMail(row, SECRET);
    const [body, mac] = seal.split('.') as [string, string];
    expect(openMailSeal(seal, 'another-secret')).toBeNull();
    expect(openMailSeal(seal, '')).toBeNull();
    expect(openSealed('history-row', seal, SECRET)).toBeNull();
    const other = sealMail({ ...row, state: '待機' }, SECRET).split('.')[0];
    expect(openMailSeal(`${other}.${mac}`, SECRET)).toBeNull();
    expect(openMailSeal(`${body}.${mac.slice(1)}A`, SECRET)).toBeNull();
    expect(openMailSeal(signToken(KEY, '2026-03-31', SECRET), SECRET)).toBeNull();
    expect(openMailSeal('', SECRET)).toBeNull();
  });
});
