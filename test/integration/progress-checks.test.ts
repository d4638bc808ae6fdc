// Progress checks (issue #20, "Across 年度"): after the 年度 is started, each department consulted
// (②) on a carried-over proposal the PT continues is asked for its 実施状況 on 設定's schedule, once
// per period, through the sealed queue; its answer (answer page or inbox) updates 実施状況 with
// sealed history, and as-of views replay 実施状況.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { SheetModel, WorkbookModel } from '../../local/runtime/workbook';
import { signToken } from '../../src/domain/token';
import {
  asLink,
  call,
  daily,
  edit,
  expectHistorySealed,
  newRuntime,
  OWNER,
  ok,
  pageData,
  records,
  secretOf,
  tick,
} from '../helpers';
import { carriedOverRegister, inboxToken, progressMails, progressToken } from './carried-over';

const DAY = 24 * 3600_000;
type Counts = Record<string, number>;
type Summary = { carriedOver?: { total: number; byStatus: Counts; byJudgment: Counts } };

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;
const answer = (rt: Runtime, payload: Record<string, unknown>) =>
  rt.callWeb<{
    ok: boolean;
    code?: string;
    message?: string;
    fieldErrors?: Counts;
    current?: unknown;
    data?: { recorded: boolean };
  }>('apiProgressAnswer', [payload]);
const summary = (rt: Runtime, asOf?: string) =>
  ok(call<Summary>(rt, 'apiRebuildSummary', { fiscalYear: 2026, ...(asOf ? { asOf } : {}) }, OWNER))
    .carriedOver!;

/** The register of carried-over.ts, one proposal at 予算化検討中; `expected`: who is due. */
function started() {
  const { rt, judged, due, emails } = carriedOverRegister({ firstStatus: '予算化検討中' });
  return { rt, judged, expected: due, emails };
}

describe('progress checks (実施状況の確認)', () => {
  it('asks each department once per period, whatever runs again; the answer updates 実施状況 with sealed history', () => {
    const { rt, judged, expected, emails } = started();
    expect(expected.size).toBeGreaterThanOrEqual(2);
    // 設定 carries the schedule, quarterly by default.
    expect(records(rt, '設定').find((r) => r.項目 === '実施状況の確認')?.値).toBe('四半期ごと');
    const before = summary(rt);
    expect(before.byStatus).toMatchObject({ 予算化検討中: 1, 未設定: 32, 実施中: 0 });

    daily(rt);
    const sent = progressMails(rt);
    expect(sent.map((m) => m.to).sort()).toEqual([...expected.keys()].map((d) => emails.get(d)).sort());
    for (const [department, ids] of expected) {
      const mail = sent.find((m) => m.to === emails.get(department))!;
      expect(mail.subject).toBe(`【実施状況の確認】令和8年4月 継続検討の課題 ${ids.length}件`);
      for (const id of ids) expect(mail.body).toContain(`■${id} `);
      for (const id of judged.filter((x) => !ids.includes(x))) expect(mail.body).not.toContain(`■${id} `);
      expect(mail.body).toContain('?i=');
    }
    const log = records(rt, '送信記録').filter((r) => r.種類 === '実施状況確認');
    expect(log.map((r) => r.状態)).toEqual(sent.map(() => '送信済'));

    // The same day again, the 10-minute run, the next day: nothing more.
    daily(rt);
    rt.advance(10 * 60_000);
    tick(rt);
    rt.advance(DAY);
    daily(rt);
    expect(progressMails(rt)).toHaveLength(sent.length);

    // The page shows the proposal, its 実施状況 now and 設定's list; opening it changes nothing.
    const [department, ids] = [...expected].find(([, x]) => x.includes(judged[0]!))!;
    expect(ids).toHaveLength(2);
    const to = emails.get(department)!;
    const id = judged[0]!;
    const token = progressToken(rt, to, id);
    const historyBefore = records(rt, '変更履歴').length;
    const page = pageData(rt.webGet({ p: token }));
    expect(page).toMatchObject({
      ok: true,
      progress: true,
      id,
      department,
      status: '予算化検討中',
      periodLabel: '令和8年4月',
      statuses: ['未着手', '予算化検討中', '実施中', '完了'],
      answer: null,
    });
    expect(records(rt, '変更履歴')).toHaveLength(historyBefore);

    // A 実施状況 not in the list is refused naming the field; nothing is written.
    expect(answer(rt, { token, status: '検討中', answeredBy: '山田' })).toMatchObject({
      ok: false,
      fieldErrors: { status: expect.stringContaining('実施状況は一覧') },
    });
    expect(answer(rt, { token, status: '実施中', answeredBy: '' })).toMatchObject({
      ok: false,
      fieldErrors: { answeredBy: expect.stringContaining('回答者') },
    });
    expect(records(rt, '変更履歴')).toHaveLength(historyBefore);

    const r = answer(rt, { token, status: '実施中', note: '10月から試行', answeredBy: `${department} 山田` });
    expect(r).toMatchObject({ ok: true, data: { recorded: true } });
    expect(records(rt, '課題一覧').find((x) => x.ID === id)?.実施状況).toBe('実施中');
    const rows = records(rt, '変更履歴').slice(historyBefore);
    expect(rows).toEqual([
      expect.objectContaining({
        ID: id,
        所管課: department,
        項目: '実施状況の回答',
        旧値: '予算化検討中',
        新値: '実施中',
        経路: '回答ページ',
        利用者: `${department} 山田`,
        理由: '令和8年4月の実施状況確認への回答: 10月から試行',
      }),
      expect.objectContaining({ ID: id, 所管課: '', 項目: '実施状況', 旧値: '予算化検討中', 新値: '実施中' }),
    ]);
    expectHistorySealed(rt, 'after the answer');
    expect(summary(rt).byStatus).toMatchObject({ 予算化検討中: 0, 実施中: 1, 未設定: 32 });

    // The same answer again changes nothing; a different one corrects it within the round, with history.
    expect(answer(rt, { token, status: '実施中', note: '10月から試行', answeredBy: '山田' })).toMatchObject({
      ok: true,
      data: { recorded: false },
    });
    expect(pageData(rt.webGet({ p: token })).answer).toMatchObject({
      status: '実施中',
      note: '10月から試行',
    });
    ok(answer(rt, { token, status: '予算化検討中', note: '訂正', answeredBy: '山田' }) as never);
    const last = records(rt, '変更履歴').slice(-2);
    expect(last[0]).toMatchObject({ 項目: '実施状況の回答', 理由: expect.stringContaining('回答の修正') });
    expect(records(rt, '課題一覧').find((x) => x.ID === id)?.実施状況).toBe('予算化検討中');
    ok(answer(rt, { token, status: '実施中', note: '10月から試行', answeredBy: '山田' }) as never);

    // The inbox lists the department's checks with the kind shown, and answers them too.
    const inbox = pageData(rt.webGet({ i: inboxToken(rt, to) }));
    expect(inbox.checks.map((x: { id: string }) => x.id).sort()).toEqual([...ids].sort());
    const other = ids.find((x) => x !== id)!;
    ok(answer(rt, { inbox: inboxToken(rt, to), id: other, status: '未着手', answeredBy: '山田' }) as never);
    expect(records(rt, '課題一覧').find((x) => x.ID === other)?.実施状況).toBe('未着手');
    // An inbox link of another department answers nothing of this one's.
    const stranger = [...expected.keys()].find((d) => d !== department)!;
    expect(
      answer(rt, {
        inbox: inboxToken(rt, emails.get(stranger)!),
        id: other,
        status: '完了',
        answeredBy: 'x',
      }),
    ).toMatchObject({ ok: false });
    // As-of views replay 実施状況: the day before the answer still shows 予算化検討中.
    rt.advance(DAY);
    const today = summary(rt);
    expect(today.byStatus.実施中).toBe(1);
    expect(summary(rt, '2026-04-01').byStatus).toMatchObject({ 予算化検討中: 1, 実施中: 0 });
    expect(summary(rt, '2026-04-02').byStatus).toMatchObject({ 予算化検討中: 0, 実施中: 1 });
  });

  it('refuses altered, expired and other-purpose links, and closed checks; the next period asks only what is still open', () => {
    const { rt, judged, expected, emails } = started();
    daily(rt);
    const [department, ids] = [...expected][0]!;
    const to = emails.get(department)!;
    const id = ids[0]!;
    const token = progressToken(rt, to, id);
    // The signature is the link's last part (an add-on link leads with its register's key).
    const payload = token.slice(0, token.lastIndexOf('.'));
    const mac = token.slice(token.lastIndexOf('.') + 1);
    const flip = (s: string) => s.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(pageData(rt.webGet({ p: `${payload}.${flip(mac)}` }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('改ざん'),
    });
    expect(answer(rt, { token: `${payload}.${flip(mac)}`, status: '実施中', answeredBy: 'x' })).toMatchObject(
      {
        ok: false,
        code: 'forbidden',
      },
    );
    const secret = secretOf(rt);
    const key = `${id}|${department}|2026-04`;
    // Expired; and the same key signed as a consultation request or an inbox link.
    expect(
      pageData(rt.webGet({ p: asLink(rt, signToken(key, '2026-03-31', secret, 'progress')) })),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining('有効期限'),
    });
    for (const purpose of ['request', 'inbox'] as const)
      expect(
        answer(rt, {
          token: asLink(rt, signToken(key, '2027-04-01', secret, purpose)),
          status: '実施中',
          answeredBy: 'x',
        }),
      ).toMatchObject({ ok: false, code: 'forbidden' });
    // A progress token is no consultation link, nor an inbox link.
    expect(pageData(rt.webGet({ t: token }))).toMatchObject({ ok: false });
    expect(pageData(rt.webGet({ i: token }))).toMatchObject({ ok: false });
    expect(rt.callWeb('apiAnswer', [{ token, kind: '協議に応じる', answeredBy: 'x' }])).toMatchObject({
      ok: false,
      code: 'forbidden',
    });

    // One department reports 完了; another proposal is ended; a third department moves to ④.
    ok(answer(rt, { token, status: '完了', answeredBy: '山田' }) as never);
    const ended = judged.find((x) => x !== id)!;
    ok(
      call(
        rt,
        'apiRecordJudgment',
        { id: ended, version: version(rt, ended), judgment: '検討終了', endReason: 'その他' },
        OWNER,
      ),
    );
    const endedTo = [...expected].find(([, x]) => x.includes(ended))![0];
    expect(
      answer(rt, {
        token: progressToken(rt, emails.get(endedTo)!, ended),
        status: '実施中',
        answeredBy: 'x',
      }),
    ).toMatchObject({ ok: false, current: { closed: true }, message: expect.stringContaining('検討終了') });
    expect(pageData(rt.webGet({ p: progressToken(rt, emails.get(endedTo)!, ended) }))).toMatchObject({
      ok: false,
      closed: true,
    });

    // The next quarter: asked again only for continued proposals not 完了, each department once.
    rt.advance(91 * DAY); // 2026-07-01
    const firstRound = progressMails(rt).length;
    daily(rt);
    daily(rt);
    const second = progressMails(rt).slice(firstRound);
    const stillOpen = judged.filter((x) => x !== id && x !== ended);
    const progress = records(rt, '所管課別進捗');
    const due = new Set(
      stillOpen.flatMap((x) => progress.filter((r) => r.ID === x && r.段階 === '②').map((r) => r.所管課!)),
    );
    expect(second.map((m) => m.to).sort()).toEqual([...due].map((d) => emails.get(d)).sort());
    for (const m of second) {
      expect(m.subject).toContain('令和8年7月');
      expect(m.body).not.toContain(`■${id} `);
      expect(m.body).not.toContain(`■${ended} `);
    }
    // A link of the April round is closed once a newer round asks about the same proposal.
    expect(stillOpen.length).toBeGreaterThan(0);
    {
      const x = stillOpen[0]!;
      const dept = [...due].find((d) =>
        progress.some((r) => r.ID === x && r.所管課 === d && r.段階 === '②'),
      )!;
      const april = asLink(rt, signToken(`${x}|${dept}|2026-04`, '2027-04-01', secret, 'progress'));
      expect(answer(rt, { token: april, status: '実施中', answeredBy: 'x' })).toMatchObject({
        ok: false,
        current: { closed: true },
        message: expect.stringContaining('新しい実施状況の確認依頼'),
      });
      ok(
        answer(rt, {
          token: progressToken(rt, emails.get(dept)!, x),
          status: '実施中',
          answeredBy: 'x',
        }) as never,
      );
      // Once the next 年度 is started, this 年度's rounds are closed (the proposal is carried anew).
      ok(call(rt, 'apiStartFiscalYear', { fiscalYear: 2027 }, OWNER));
      expect(
        answer(rt, { token: progressToken(rt, emails.get(dept)!, x), status: '完了', answeredBy: 'x' }),
      ).toMatchObject({
        ok: false,
        current: { closed: true },
        message: expect.stringContaining('令和9年度'),
      });
      expect(records(rt, '課題一覧').find((r) => r.ID === x)?.実施状況).toBe('実施中');
    }
  });

  it('an email whose proposals all closed before it went out is cancelled (取消), never sent', () => {
    const { rt, expected, emails } = started();
    rt.state.mail.dailyQuota = 0;
    daily(rt);
    rt.state.mail.dailyQuota = 100;
    expect(progressMails(rt)).toHaveLength(0);
    const queued = records(rt, '送信記録').filter((r) => r.種類 === '実施状況確認');
    expect(queued.map((r) => r.状態)).toEqual([...expected.keys()].map(() => '待機'));
    // The PT ends every proposal of one department's round before the email goes out.
    const [department, ids] = [...expected][0]!;
    for (const id of ids)
      ok(
        call(
          rt,
          'apiRecordJudgment',
          { id, version: version(rt, id), judgment: '検討終了', endReason: 'その他' },
          OWNER,
        ),
      );
    rt.advance(10 * 60_000);
    tick(rt);
    const after = records(rt, '送信記録').filter((r) => r.種類 === '実施状況確認');
    expect(after.find((r) => r.所管課 === department)).toMatchObject({
      状態: '取消',
      エラー: expect.stringContaining('送りません'),
    });
    expect(progressMails(rt).map((m) => m.to)).not.toContain(emails.get(department));
    expect(progressMails(rt)).toHaveLength(expected.size - 1);
  });

  it('follows 設定: しない sends nothing; a value it cannot read is told to the secretariat once, and nothing is sent', () => {
    const { rt } = started();
    const settings = () => records(rt, '設定');
    const ref = () => {
      const col = String.fromCharCode(65 + Object.keys(settings()[0]!).indexOf('値'));
      return `設定!${col}${settings().findIndex((r) => r.項目 === '実施状況の確認') + 2}`;
    };
    edit(rt, ref(), 'しない', OWNER);
    daily(rt);
    expect(progressMails(rt)).toHaveLength(0);
    const shown = rt.uiLog.length;
    edit(rt, ref(), '毎週', OWNER);
    // Said at once to whoever typed it.
    expect(rt.uiLog.slice(shown).find((u) => u.kind === 'toast')).toMatchObject({
      title: '設定を確認してください',
    });
    // A day apart: the add-on's hourly run does the daily work once a calendar day.
    rt.advance(DAY); // Thursday 4/2
    daily(rt);
    rt.advance(DAY);
    daily(rt);
    expect(progressMails(rt)).toHaveLength(0);
    const told = rt.state.outbox.filter((m) => m.body.includes('設定「実施状況の確認」'));
    expect(told).toHaveLength(1);
    expect(told[0]!.to).toBe(OWNER);
    edit(rt, ref(), '4月、10月', OWNER);
    rt.advance(3 * DAY); // Monday 4/6: the checks run on working days
    daily(rt);
    const sent = progressMails(rt).length;
    expect(sent).toBeGreaterThan(0);
    // Once a period is planned, later days do not ask again.
    rt.advance(DAY);
    daily(rt);
    expect(progressMails(rt)).toHaveLength(sent);
    // A mistake after a readable value is told again.
    edit(rt, ref(), '毎週', OWNER);
    rt.advance(DAY);
    daily(rt);
    expect(rt.state.outbox.filter((m) => m.body.includes('設定「実施状況の確認」'))).toHaveLength(2);
  });
});

/** A copy of a runtime's workbook and state, as if its .xlsx were opened again. */
function copyOf(from: Runtime): Runtime {
  const wb = new WorkbookModel(from.workbook.id, from.workbook.name, from.workbook.owner);
  Object.assign(wb, {
    timeZone: from.workbook.timeZone,
    locale: from.workbook.locale,
    nextSheetId: from.workbook.nextSheetId,
    nextObjectId: from.workbook.nextObjectId,
  });
  for (const s of from.workbook.sheets) {
    const copy = new SheetModel(s.id, s.name);
    Object.assign(copy, structuredClone({ ...s }));
    wb.sheets.push(copy);
  }
  return newRuntime({
    workbook: wb,
    state: structuredClone(from.state),
    now: new Date(from.now()).toISOString(),
  });
}

/** Every service call from the k-th on fails, as when the platform stops the run there. */
function killFrom(rt: Runtime, k: number): () => string[] {
  const made: string[] = [];
  const calls = rt.calls as Map<string, number>;
  Object.defineProperty(calls, 'set', {
    configurable: true,
    value(key: string, value: number) {
      if (made.length + 1 >= k) throw new Error('Exceeded maximum execution time');
      made.push(key);
      return Map.prototype.set.call(calls, key, value);
    },
  });
  return () => {
    Reflect.deleteProperty(calls, 'set');
    return made;
  };
}

const CHANGES = /\.(set[A-Z]\w*|deleteProperty|sendEmail|insert\w*|delete[A-Z]\w*|append\w*|clear\w*)$/;

describe('the daily run killed at every service call', () => {
  it('never asks a department twice for a period: each gets its email once, or it is left 要確認', () => {
    const { rt: base, expected, emails } = started();
    const dailyKilledAt = (k: number) => {
      const rt = copyOf(base);
      const revive = killFrom(rt, k);
      let died = false;
      try {
        daily(rt);
      } catch {
        died = true;
      }
      const made = revive();
      // The runs after it: the 10-minute run (after a dead claim's lifetime), the daily run again, the next day's.
      rt.advance(8 * 60_000);
      tick(rt);
      daily(rt);
      rt.advance(DAY);
      daily(rt);
      tick(rt);
      return { rt, made, died };
    };
    const { made, died } = dailyKilledAt(Number.POSITIVE_INFINITY);
    expect(died).toBe(false);
    const sends = made.flatMap((m, i) => (m === 'MailApp.sendEmail' ? [i] : []));
    expect(sends).toHaveLength(expected.size);
    // Stopping before a read leaves what stopping before the next write leaves: every write is tried.
    const stops = made.flatMap((m, i) => (CHANGES.test(m) ? [i + 1] : []));
    expect(stops.length).toBeGreaterThan(5);
    const outcomes = new Set<string>();
    for (const k of stops) {
      const { rt, died: stopped } = dailyKilledAt(k);
      expect(stopped, `k=${k}`).toBe(true);
      const log = records(rt, '送信記録').filter((r) => r.種類 === '実施状況確認');
      for (const department of expected.keys()) {
        const got = progressMails(rt).filter((m) => m.to === emails.get(department));
        const rows = log.filter((r) => r.所管課 === department);
        expect(got.length, `k=${k} ${department}`).toBeLessThanOrEqual(1);
        expect(rows.length, `k=${k} ${department}`).toBe(1);
        const outcome = `${got.length ? 'sent' : 'unsent'}:${rows[0]!.状態}`;
        expect(['sent:送信済', 'sent:要確認', 'unsent:要確認'], `k=${k} ${department}`).toContain(outcome);
        outcomes.add(outcome);
      }
    }
    expect([...outcomes].sort()).toEqual(['sent:要確認', 'sent:送信済', 'unsent:要確認']);
  }, 600_000);
});
