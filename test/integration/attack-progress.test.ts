// Attacks on 実施状況 progress checks (#20): departments answering emailed links wrongly, late, twice
// or for another department, hostile text in the answer, forged names, and a PT member turning 設定's
// schedule to spam departments.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import {
  call,
  cellAt,
  cellRef,
  daily,
  edit,
  expectHistorySealed,
  OWNER,
  ok,
  PT,
  pageData,
  records,
} from '../helpers';
import { carriedOverRegister, inboxToken, progressMails, progressToken } from './carried-over';

const DAY = 24 * 3600_000;
type Answer = {
  ok: boolean;
  code?: string;
  message?: string;
  fieldErrors?: Record<string, string>;
  current?: { closed?: boolean };
  data?: { recorded: boolean };
};

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;
const answer = (rt: Runtime, payload: Record<string, unknown>, visitor = '') =>
  rt.callWeb<Answer>('apiProgressAnswer', [payload], visitor);
const implementationOf = (rt: Runtime, id: string) =>
  records(rt, '課題一覧').find((r) => r.ID === id)!.実施状況;
const settingRef = (rt: Runtime, key: string) => {
  const rows = records(rt, '設定');
  const header = Object.keys(rows[0]!);
  return `設定!${String.fromCharCode(65 + header.indexOf('値'))}${rows.findIndex((r) => r.項目 === key) + 2}`;
};
const setting = (rt: Runtime, key: string) => records(rt, '設定').find((r) => r.項目 === key)!.値!;

/** The register of carried-over.ts with the first round sent (2026-04-01). */
function started() {
  const register = carriedOverRegister();
  daily(register.rt);
  return { ...register, asked: register.due };
}

describe('a department answering its progress links', () => {
  it('an inbox link of one department, sent with another’s progress token or proposal, answers nothing of the other’s', () => {
    const { rt, shared, third, thirdDept, emails } = started();
    const sharedInbox = inboxToken(rt, emails.get(shared)!);
    const thirdToken = progressToken(rt, emails.get(thirdDept)!, third);
    const before = records(rt, '変更履歴').length;
    // The inbox decides the department; the other's token rides along and is not obeyed.
    expect(
      answer(rt, { inbox: sharedInbox, token: thirdToken, id: third, status: '完了', answeredBy: 'x' }),
    ).toMatchObject({ ok: false });
    // An ID with padding or in another case is no other proposal.
    for (const id of [` ${third} `, third.toLowerCase(), `${third}|${thirdDept}|2026-04`])
      expect(answer(rt, { inbox: sharedInbox, id, status: '完了', answeredBy: 'x' })).toMatchObject({
        ok: false,
      });
    expect(implementationOf(rt, third)).toBe('');
    expect(records(rt, '変更履歴')).toHaveLength(before);
  });

  it('an answer after the department moved on (④) or after the 判断 was undone is refused as closed', () => {
    const { rt, shared, judged, third, thirdDept, emails } = started();
    const [a, b] = judged as [string, string];
    const tokenA = progressToken(rt, emails.get(shared)!, a);
    const tokenB = progressToken(rt, emails.get(shared)!, b);
    const tokenThird = progressToken(rt, emails.get(thirdDept)!, third);
    // The PT records ④ for the shared department on A, 所管外 on B; the secretariat undoes the third's 判断.
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id: a,
        version: version(rt, a),
        department: shared,
        stage: '④',
        reason: '',
      }),
    );
    const r = call(rt, 'apiSetDepartmentStage', {
      id: b,
      version: version(rt, b),
      department: shared,
      stage: '所管外',
      reason: '担当外',
    });
    ok(
      call(
        rt,
        'apiRecordJudgment',
        { id: third, version: version(rt, third), judgment: '', reason: '誤り' },
        OWNER,
      ),
    );
    expect(answer(rt, { token: tokenA, status: '実施中', answeredBy: 'x' })).toMatchObject({
      ok: false,
      current: { closed: true },
    });
    // 所管外 on B is refused (検討継続 needs a ② department; B has no other): B stays open to its answer.
    expect(r).toMatchObject({ ok: false, fieldErrors: { stage: expect.stringContaining('検討継続') } });
    ok(answer(rt, { token: tokenB, status: '実施中', answeredBy: 'x' }) as never);
    expect(answer(rt, { token: tokenThird, status: '実施中', answeredBy: 'x' })).toMatchObject({
      ok: false,
      current: { closed: true },
    });
    expect([implementationOf(rt, a), implementationOf(rt, third)]).toEqual(['', '']);
  });

  it('two answers of one round (two people, or a page left open) both go to 変更履歴; the last one stands', () => {
    const { rt, shared, judged, emails } = started();
    const id = judged[0]!;
    const token = progressToken(rt, emails.get(shared)!, id);
    const pageOpenedEarlier = pageData(rt.webGet({ p: token }));
    expect(pageOpenedEarlier.answer).toBeNull();
    ok(answer(rt, { token, status: '実施中', note: '山田', answeredBy: '山田' }) as never);
    ok(answer(rt, { token, status: '未着手', note: '佐藤', answeredBy: '佐藤' }) as never);
    expect(implementationOf(rt, id)).toBe('未着手');
    const rows = records(rt, '変更履歴').filter((h) => h.ID === id && h.項目 === '実施状況の回答');
    expect(rows.map((h) => [h.旧値, h.新値, h.利用者])).toEqual([
      ['', '実施中', '山田'],
      ['実施中', '未着手', '佐藤'],
    ]);
    expect(pageData(rt.webGet({ p: token })).answer).toMatchObject({ status: '未着手', by: '佐藤' });
    expectHistorySealed(rt);
  });

  it('altered and replayed tokens: junk is refused, the same answer again changes nothing', () => {
    const { rt, shared, judged, emails } = started();
    const id = judged[0]!;
    const token = progressToken(rt, emails.get(shared)!, id);
    const before = records(rt, '変更履歴').length;
    const [payload, mac] = [token.slice(0, token.lastIndexOf('.')), token.slice(token.lastIndexOf('.') + 1)];
    // The other proposal's key pasted under this mac; the mac alone; padding; an empty token.
    const other = progressToken(rt, emails.get(shared)!, judged[1]!);
    const otherPayload = other.slice(0, other.lastIndexOf('.'));
    for (const t of [`${otherPayload}.${mac}`, mac, `${payload}.`, ` ${token}`, `${token}.${mac}`, '', '.'])
      expect(answer(rt, { token: t, status: '完了', answeredBy: 'x' })).toMatchObject({ ok: false });
    expect(records(rt, '変更履歴')).toHaveLength(before);
    ok(answer(rt, { token, status: '実施中', answeredBy: '山田' }) as never);
    expect(answer(rt, { token, status: '実施中', answeredBy: '別人' })).toMatchObject({
      ok: true,
      data: { recorded: false },
    });
    expect(records(rt, '変更履歴')).toHaveLength(before + 2);
  });
});

describe('設定’s 実施状況 list and the stop condition', () => {
  // Was a bug (found by the attack review, fixed): progress checks stop asking at the hard-coded 完了 (domain/progress-checks.ts
  // DONE_STATUS), though 設定's 実施状況 list is now the one source of the values. A secretariat that
  // renames 完了 (e.g. 実施済) sees departments asked again every period about finished work, and
  // nothing warns. Fix: the last entry of 設定's list is the finished state (or 設定 names it), or a
  // list without 完了 is reported like an unreadable schedule.
  it('a department that answered the list’s finished state (renamed from 完了) is not asked again', () => {
    const { rt, shared, judged, emails } = started();
    edit(rt, settingRef(rt, '実施状況'), '未着手、予算化検討中、実施中、実施済', OWNER);
    const to = emails.get(shared)!;
    for (const id of judged.filter((x) =>
      progressMails(rt).some((m) => m.to === to && m.body.includes(`■${x} `)),
    ))
      ok(answer(rt, { token: progressToken(rt, to, id), status: '実施済', answeredBy: '山田' }) as never);
    rt.advance(91 * DAY); // 2026-07-01
    const before = progressMails(rt).length;
    daily(rt);
    expect(
      progressMails(rt)
        .slice(before)
        .filter((m) => m.to === to),
    ).toHaveLength(0);
  });
});

describe('what a department types is text', () => {
  it('HTML and formulas in the note and the name are stored as text and escaped on the page', () => {
    const { rt, shared, judged, emails } = started();
    const id = judged[0]!;
    const token = progressToken(rt, emails.get(shared)!, id);
    const note = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const name = '=HYPERLINK("https://evil.example/","事務局")';
    ok(answer(rt, { token, status: '実施中', note, answeredBy: name }) as never);
    const html = rt.webGet({ p: token });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(1)');
    expect(pageData(html).answer).toMatchObject({ note, by: name });
    const history = rt.workbook.sheet('変更履歴')!;
    for (let r = 0; r < history.lastRow(); r++)
      for (let c = 0; c < history.lastColumn(); c++) expect(history.cell(r, c)?.f).toBeUndefined();
    const row = records(rt, '変更履歴').find((h) => h.項目 === '実施状況の回答')!;
    expect(row.利用者).toBe(name);
    expect(row.理由).toContain(note);
  });

  it('a 実施状況 not in 設定 is refused; one a PT member adds to 設定 is offered and taken, and refused once removed', () => {
    const { rt, shared, judged, emails } = started();
    const id = judged[0]!;
    const token = progressToken(rt, emails.get(shared)!, id);
    expect(answer(rt, { token, status: '一部実施', answeredBy: 'x' })).toMatchObject({
      ok: false,
      fieldErrors: { status: expect.any(String) },
    });
    const list = setting(rt, '実施状況');
    edit(rt, settingRef(rt, '実施状況'), `${list}、一部実施、</script><b>x`, PT);
    const page = rt.webGet({ p: token });
    expect(page).not.toContain('</script><b>');
    expect(pageData(page).statuses).toContain('一部実施');
    ok(answer(rt, { token, status: '一部実施', answeredBy: 'x' }) as never);
    expect(implementationOf(rt, id)).toBe('一部実施');
    edit(rt, settingRef(rt, '実施状況'), list, PT);
    expect(answer(rt, { token, status: '一部実施', note: '再送', answeredBy: 'x' })).toMatchObject({
      ok: false,
      fieldErrors: { status: expect.any(String) },
    });
  });

  // Was a bug (fixed; same root as attack-settings' formula entry): a 実施状況 a PT member added to 設定
  // as '=IMAGE("https://evil.example/x")' and chosen by a department on the answer page is written
  // into 課題一覧 as a formula (list columns are not written as text: sheets/table.ts textColumns).
  it('a formula-looking 実施状況 from 設定, answered by a department, is stored as text', () => {
    const { rt, shared, judged, emails } = started();
    const id = judged[0]!;
    const token = progressToken(rt, emails.get(shared)!, id);
    const evil = '=IMAGE("https://evil.example/x")';
    edit(rt, settingRef(rt, '実施状況'), `${setting(rt, '実施状況')}、${evil}`, PT);
    ok(answer(rt, { token, status: evil, answeredBy: 'x' }) as never);
    const ref = cellRef(rt, '課題一覧', '実施状況', id);
    expect(cellAt(rt, ref).f).toBeUndefined();
    expect(implementationOf(rt, id)).toBe(evil);
  });

  // Was a bug (fixed): the answer page runs as the deployer and Apps Script usually gives no visitor, so
  // 変更履歴's 利用者 is whatever the visitor typed as 回答者 — here the secretariat's own address —
  // and mutateAs even gives the run the 事務局 role (roleOf on that text). Nothing tells it from
  // the secretariat's own entries but 経路. Fix in server/progress-checks.ts submitProgressAnswer
  // (and answers.ts submitAnswer): record a typed name marked as such (e.g. "回答者: 山田 (未確認)")
  // and run with no role.
  it('a name typed on the answer page never records as a registered person’s address', () => {
    const { rt, shared, judged, emails } = started();
    const id = judged[0]!;
    const token = progressToken(rt, emails.get(shared)!, id);
    ok(answer(rt, { token, status: '完了', answeredBy: OWNER }) as never);
    const row = records(rt, '変更履歴').find((h) => h.項目 === '実施状況の回答')!;
    expect(row.利用者).not.toBe(OWNER);
  });
});

describe('a PT member editing 設定「実施状況の確認」', () => {
  it('cannot run the daily work itself (a trigger handler called from the sidebar or the web app) to ask again', () => {
    const { rt } = started();
    const sent = progressMails(rt).length;
    expect(sent).toBeGreaterThan(0);
    rt.advance(DAY);
    // The clock trigger's own ID: a copied triggerUid is no proof of a trigger run.
    const forged = {
      triggerUid: rt.triggersHere().find((t) => t.eventType === 'CLOCK')!.id,
      authMode: 'FULL',
    };
    for (const fn of ['onDailyNine', 'onTenMinutes', 'onHourly'])
      for (const args of [[], [forged]]) {
        for (const attempt of [() => rt.call(fn, args, PT), () => rt.callWeb(fn, args, PT)])
          try {
            attempt();
          } catch {
            // Refused by the runtime or the add-on: either is fine, as long as nothing is sent.
          }
      }
    // Next period not begun, and the period asked: nothing more, whoever runs what.
    expect(progressMails(rt)).toHaveLength(sent);
    edit(rt, settingRef(rt, '実施状況の確認'), '毎月', PT);
    rt.advance(35 * DAY); // Thursday 7 May: a new period under 毎月, due only by the real trigger
    for (const fn of ['onDailyNine', 'onHourly'])
      try {
        rt.call(fn, [forged], PT);
      } catch {
        // as above
      }
    expect(progressMails(rt)).toHaveLength(sent);
    // The real daily trigger does ask now: the forged runs were refused, not merely idle.
    daily(rt);
    expect(progressMails(rt).length).toBeGreaterThan(sent);
  });

  it('cannot make a department be asked more than once a month, however the schedule is flipped', () => {
    const { rt, emails } = started();
    const ref = settingRef(rt, '実施状況の確認');
    const schedules = ['毎月', '4月', '5月', '4、5、6', '毎月', '6月、7月', '半年ごと', '毎月'];
    // 75 days (April to mid-June), the schedule changed every morning before the daily run.
    for (let day = 0; day < 75; day++) {
      edit(rt, ref, schedules[day % schedules.length]!, PT);
      daily(rt);
      rt.advance(DAY);
    }
    const perMonth = new Map<string, number>();
    for (const m of progressMails(rt)) {
      const month = /令和8年(\d+)月/.exec(m.subject)![1]!;
      perMonth.set(`${m.to}|${month}`, (perMonth.get(`${m.to}|${month}`) ?? 0) + 1);
    }
    expect(Math.max(...perMonth.values())).toBe(1);
    // Asked in April, May and June (the schedule said 毎月 or named the month on some day of each).
    expect(new Set([...perMonth.keys()].map((k) => k.split('|')[1])).size).toBe(3);
    // And only departments that are due are ever written to.
    const known = new Set(emails.values());
    for (const m of progressMails(rt)) expect(known.has(m.to)).toBe(true);
    expect(cellAt(rt, ref).v).toBe(schedules[74 % schedules.length]);
  }, 20_000);
});
