// 送信記録 is the add-on's: hand edits there are never obeyed. Sending reads the recipients from
// 所管課 when the mail goes out and sends only what the add-on itself queued (the state in script
// properties, every row sealed with the script's secret); only the secretariat's sidebar resends.
import { describe, expect, it } from 'vitest';
import { changeRows, typeInto } from '../../local/runtime/people';
import type { Runtime } from '../../local/runtime/runtime';
import {
  call,
  daily,
  edit,
  newProposal as newProposalOf,
  OWNER,
  ok,
  PT,
  records,
  registerProps,
  sampleRuntime,
  setUp,
  sheetValues,
  tick,
} from '../helpers';

const REPORT = '【プラチナ提案台帳】送信記録の変更を確認してください';
const ATTACKER = 'attacker@example.jp';

const newProposal = (rt: Runtime) => newProposalOf(rt, { departments: ['市民課', '区政推進課'] });

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;

const present = (rt: Runtime, id: string, departments: string[]) =>
  call<{ keys: string[]; sent: number; failed: number; deferred: number }>(rt, 'apiPresent', {
    id,
    version: version(rt, id),
    departments,
    effectiveDate: '2025-11-20',
  });

const requestsTo = (rt: Runtime, to: string) =>
  rt.state.outbox.filter((m) => m.to.split(',').includes(to) && m.subject.includes('協議依頼'));
const reports = (rt: Runtime) => rt.state.outbox.filter((m) => m.subject === REPORT);
/**
 * Each hand edit of 送信記録 is checked at once (onEdit), so each edit's findings come in its own
 * report; no finding is told twice, and later runs tell nothing more.
 */
const toldOnce = (rt: Runtime, edits: number) => {
  const told = reports(rt);
  expect(told.length).toBeGreaterThanOrEqual(1);
  expect(told.length).toBeLessThanOrEqual(edits);
  for (const m of told) expect(m.to).toBe(OWNER);
  return told.map((m) => m.body).join('\n');
};
const log = (rt: Runtime) => records(rt, '送信記録');
/** The sheet row (1-based) of an email by its key. */
const rowOf = (rt: Runtime, key: string) => log(rt).findIndex((r) => r.キー === key) + 2;

/** A proposal presented to 市民課 while the quota is spent: its request waits (待機), sealed. */
function waiting(rt: Runtime) {
  const id = newProposal(rt);
  rt.state.mail.dailyQuota = 0;
  expect(ok(present(rt, id, ['市民課']))).toMatchObject({ sent: 0, deferred: 1 });
  rt.state.mail.dailyQuota = 100;
  return { id, key: `${id}|市民課|依頼|1` };
}

describe('送信記録 hand edits are never obeyed', () => {
  it('an edited 宛先 with 状態 失敗 sends nothing to the new address: put back and reported once', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    ok(present(rt, id, ['市民課']));
    const key = `${id}|市民課|依頼|1`;
    const row = rowOf(rt, key);
    expect(log(rt)[row - 2]).toMatchObject({ 宛先: 'shimin@example.jp', 状態: '送信済', 試行回数: '1' });
    const sent = rt.state.outbox.length;
    edit(rt, `送信記録!F${row}`, ATTACKER, PT);
    edit(rt, `送信記録!G${row}`, '失敗', PT);
    tick(rt);
    rt.advance(10 * 60_000);
    tick(rt);
    expect(rt.state.outbox.filter((m) => m.to.includes(ATTACKER))).toEqual([]);
    expect(requestsTo(rt, 'shimin@example.jp')).toHaveLength(1);
    expect(log(rt)[row - 2]).toMatchObject({ 宛先: 'shimin@example.jp', 状態: '送信済', 試行回数: '1' });
    const told = toldOnce(rt, 2);
    expect(told).toContain(`送信記録 ${row}行目(${key})`);
    expect(told).toContain('「宛先」');
    expect(told).toContain('「状態」');
    expect(rt.state.outbox.length).toBe(sent + reports(rt).length);
  });

  it('a failure the add-on recorded goes out again to the address in 所管課, never to the one typed in 宛先', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    const dir = rt.workbook.sheet('所管課')!;
    const d = dir.cells.findIndex((r) => r?.[0]?.v === '市民課');
    edit(rt, `所管課!C${d + 1}`, '', OWNER);
    ok(present(rt, id, ['市民課']));
    const key = `${id}|市民課|依頼|1`;
    expect(log(rt).find((r) => r.キー === key)).toMatchObject({
      状態: '失敗',
      エラー: '所管課シートに「市民課」のメールアドレスがありません。',
    });
    edit(rt, `所管課!C${d + 1}`, 'shimin-new@example.jp', OWNER);
    edit(rt, `送信記録!F${rowOf(rt, key)}`, ATTACKER, PT);
    tick(rt);
    expect(rt.state.outbox.filter((m) => m.to.includes(ATTACKER))).toEqual([]);
    expect(requestsTo(rt, 'shimin-new@example.jp')).toHaveLength(1);
    expect(log(rt).find((r) => r.キー === key)).toMatchObject({
      宛先: 'shimin-new@example.jp',
      状態: '送信済',
      試行回数: '2',
    });
    expect(reports(rt)).toHaveLength(1);
  });

  it('typing 待機 over 送信済 resends nothing; the sidebar refuses to resolve a sent email', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    ok(present(rt, id, ['市民課']));
    const key = `${id}|市民課|依頼|1`;
    edit(rt, `送信記録!G${rowOf(rt, key)}`, '待機', PT);
    edit(rt, `送信記録!H${rowOf(rt, key)}`, '0', PT);
    expect(call(rt, 'apiResolveMail', { key, action: 'resend' }, OWNER)).toMatchObject({
      ok: false,
      message: 'この送信は確認の必要がありません。',
    });
    tick(rt);
    daily(rt);
    expect(requestsTo(rt, 'shimin@example.jp')).toHaveLength(1);
    expect(log(rt).find((r) => r.キー === key)).toMatchObject({ 状態: '送信済', 試行回数: '1' });
    toldOnce(rt, 2);
  });

  it('an older sealed version pasted back (待機 after it was sent) resends nothing, in place or as a new row', () => {
    const rt = sampleRuntime();
    const { key } = waiting(rt);
    const header = sheetValues(rt, '送信記録')[0]!;
    const before = sheetValues(rt, '送信記録')[rowOf(rt, key) - 1]!;
    expect(before[header.indexOf('状態')]).toBe('待機');
    expect(before[header.indexOf('封印')]).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    tick(rt);
    expect(requestsTo(rt, 'shimin@example.jp')).toHaveLength(1);
    const row = rowOf(rt, key);
    // The old row, seal and all, pasted over the sent one and again below it.
    typeInto(rt, `送信記録!A${row}`, [before], { user: PT });
    typeInto(rt, `送信記録!A${row + 1}`, [before], { user: PT });
    rt.advance(10 * 60_000);
    tick(rt);
    rt.advance(10 * 60_000);
    tick(rt);
    expect(requestsTo(rt, 'shimin@example.jp')).toHaveLength(1);
    expect(
      log(rt)
        .filter((r) => r.キー === key)
        .map((r) => r.状態),
    ).toEqual(['送信済', '待機']);
    const told = toldOnce(rt, 2);
    expect(told).toContain(`送信記録 ${row}行目(${key})は送信済みですが、「待機」の古い版`);
    expect(told).toContain(`送信記録 ${row + 1}行目は ${row}行目と同じ送信(${key})の写しです`);
    // The sidebar's queue shows no email waiting, and what was found.
    const queue = ok(call<{ pending: unknown[]; problems: string[] }>(rt, 'apiMailQueue', undefined, OWNER));
    expect(queue.pending).toEqual([]);
    expect(queue.problems).toEqual([expect.stringContaining('の写しです')]);
  });

  it('a row typed or pasted without the seal is never sent', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    ok(present(rt, id, ['市民課']));
    const next = log(rt).length + 2;
    typeInto(
      rt,
      `送信記録!A${next}`,
      [[`${id}|市民課|依頼|2`, id, '市民課', '依頼', '2', ATTACKER, '待機', '0', '', '', '', 'forged.seal']],
      { user: PT },
    );
    tick(rt);
    rt.advance(10 * 60_000);
    tick(rt);
    expect(rt.state.outbox.filter((m) => m.to.includes(ATTACKER))).toEqual([]);
    expect(requestsTo(rt, 'shimin@example.jp')).toHaveLength(1);
    expect(reports(rt)).toHaveLength(1);
    expect(reports(rt)[0]!.body).toContain(`送信記録 ${next}行目は台帳が記録した行ではありません`);
    expect(call(rt, 'apiResolveMail', { key: `${id}|市民課|依頼|2`, action: 'resend' }, OWNER)).toMatchObject(
      {
        ok: false,
      },
    );
  });

  it('a waiting row whose 所管課 and 宛先 were changed goes, once, to the department the add-on queued', () => {
    const rt = sampleRuntime();
    const { key } = waiting(rt);
    const row = rowOf(rt, key);
    typeInto(rt, `送信記録!C${row}`, [['保護課', '', '', 'hogo@example.jp']], { user: PT });
    tick(rt);
    expect(requestsTo(rt, 'hogo@example.jp')).toEqual([]);
    expect(requestsTo(rt, 'shimin@example.jp')).toHaveLength(1);
    expect(log(rt)[row - 2]).toMatchObject({ 所管課: '市民課', 宛先: 'shimin@example.jp', 状態: '送信済' });
    expect(reports(rt)).toHaveLength(1);
  });

  it('a deleted waiting row is restored and sent once; a deleted sent row is reported and not sent again', () => {
    const rt = sampleRuntime();
    const { id, key } = waiting(rt);
    changeRows(rt, '送信記録', rowOf(rt, key), rowOf(rt, key), 'REMOVE_ROW', { user: PT });
    expect(log(rt).find((r) => r.キー === key)).toBeUndefined();
    tick(rt);
    expect(requestsTo(rt, 'shimin@example.jp')).toHaveLength(1);
    expect(log(rt).find((r) => r.キー === key)).toMatchObject({ 状態: '送信済' });
    expect(
      reports(rt)
        .map((m) => m.body)
        .join('\n'),
    ).toContain(`送信記録から ${key} の行が消えていた`);
    changeRows(rt, '送信記録', rowOf(rt, key), rowOf(rt, key), 'REMOVE_ROW', { user: PT });
    rt.advance(10 * 60_000);
    tick(rt);
    expect(reports(rt)).toHaveLength(2);
    expect(reports(rt)[1]!.body).toContain('送信済み)が削除されています');
    // Presenting the department again is refused: the request was sent.
    expect(present(rt, id, ['市民課'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('送信済み'),
    });
    expect(requestsTo(rt, 'shimin@example.jp')).toHaveLength(1);
  });

  it('only the secretariat resends from the sidebar, to the address in 所管課; the properties hold only open emails', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    rt.host.mailFailAfter = 0;
    expect(() => present(rt, id, ['市民課'])).toThrow(/Exceeded maximum execution time/);
    rt.host.mailFailAfter = null;
    rt.advance(8 * 60_000);
    tick(rt);
    const key = `${id}|市民課|依頼|1`;
    expect(log(rt).find((r) => r.キー === key)).toMatchObject({ 状態: '要確認' });
    expect(requestsTo(rt, 'shimin@example.jp')).toEqual([]);
    const dir = rt.workbook.sheet('所管課')!;
    edit(
      rt,
      `所管課!C${dir.cells.findIndex((r) => r?.[0]?.v === '市民課') + 1}`,
      'shimin-2@example.jp',
      OWNER,
    );
    edit(rt, `送信記録!F${rowOf(rt, key)}`, ATTACKER, PT);
    expect(call(rt, 'apiResolveMail', { key, action: 'resend' }, PT)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(rt.state.outbox.filter((m) => m.subject.includes('協議依頼'))).toEqual([]);
    expect(Object.keys(registerProps(rt)).filter((k) => k.startsWith('MAIL_OPEN_'))).toHaveLength(1);
    expect(ok(call(rt, 'apiResolveMail', { key, action: 'resend' }, OWNER))).toMatchObject({ sent: 1 });
    expect(rt.state.outbox.filter((m) => m.subject.includes('協議依頼')).map((m) => m.to)).toEqual([
      'shimin-2@example.jp',
    ]);
    expect(Object.keys(registerProps(rt)).filter((k) => k.startsWith('MAIL_OPEN_'))).toEqual([]);
    tick(rt);
    expect(rt.state.outbox.filter((m) => m.subject.includes('協議依頼'))).toHaveLength(1);
  });
});

describe('a request closed before it went out', () => {
  it('is 取消: sent to no one, not pending, and the department can be presented again later', () => {
    const rt = sampleRuntime();
    const { id, key } = waiting(rt);
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id,
        version: version(rt, id),
        department: '市民課',
        stage: '所管外',
        reason: '所管が違う',
      }),
    );
    tick(rt);
    rt.advance(10 * 60_000);
    tick(rt);
    expect(requestsTo(rt, 'shimin@example.jp')).toEqual([]);
    expect(log(rt).find((r) => r.キー === key)).toMatchObject({
      状態: '取消',
      エラー: expect.stringContaining('所管外'),
    });
    expect(ok(call<{ pending: unknown[] }>(rt, 'apiMailQueue', undefined, OWNER)).pending).toEqual([]);
    expect(reports(rt)).toEqual([]);
  });
});

describe('a 送信記録 kept before rows were sealed', () => {
  it('is adopted when setup adds 封印: sent rows stay sent, unsent ones wait for the secretariat', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    rt.state.mail.dailyQuota = 1;
    expect(ok(present(rt, id, ['市民課', '区政推進課']))).toMatchObject({ sent: 1, deferred: 1 });
    rt.state.mail.dailyQuota = 100;
    // As an older version left it: no 封印 column, nothing in the properties.
    const sheet = rt.workbook.sheet('送信記録')!;
    const sealCol = sheetValues(rt, '送信記録')[0]!.indexOf('封印');
    for (const r of sheet.cells) r?.splice(sealCol, 1);
    sheet.maxCols -= 1;
    for (const k of Object.keys(registerProps(rt))) if (k.startsWith('MAIL_')) delete registerProps(rt)[k];
    expect(call(rt, 'apiPresent', { id, departments: ['区政推進課'] })).toMatchObject({
      ok: false,
      code: 'not_set_up',
    });
    setUp(rt);
    expect(log(rt).map((r) => [r.キー, r.状態, r.封印 !== ''])).toEqual([
      [`${id}|市民課|依頼|1`, '送信済', true],
      [`${id}|区政推進課|依頼|1`, '要確認', true],
    ]);
    tick(rt);
    expect(requestsTo(rt, 'kusei@example.jp')).toEqual([]);
    expect(reports(rt)).toEqual([]);
    ok(call(rt, 'apiResolveMail', { key: `${id}|区政推進課|依頼|1`, action: 'resend' }, OWNER));
    expect(requestsTo(rt, 'kusei@example.jp')).toHaveLength(1);
  });
});
