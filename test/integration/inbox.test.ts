// A department's inbox: one signed page per department listing its open requests with 回答期限,
// answered there through the answer page's own path; deadlines counted in working days.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { call, daily, ok, pageData, records, sampleRuntime, tick } from '../helpers';

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;

function present(rt: Runtime, id: string, departments: string[], effectiveDate: string) {
  ok(call(rt, 'apiPresent', { id, version: version(rt, id), departments, effectiveDate }));
}

/** The inbox token in the last email to `to`. */
const inboxToken = (rt: Runtime, to: string) =>
  /\?i=((?:[A-Za-z0-9]{16}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(
    rt.state.outbox.filter((m) => m.to === to).at(-1)!.body,
  )![1]!;
const requestToken = (rt: Runtime, to: string) =>
  /\?t=((?:[A-Za-z0-9]{16}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(
    rt.state.outbox.filter((m) => m.to === to).at(-1)!.body,
  )![1]!;

type Item = {
  id: string;
  sent: string;
  sentOn: string;
  dueDate: string;
  overdue: boolean;
  overdueDays: number;
  answer: unknown;
};

/** デジタル推進課 gets R7-U05 and R7-U09, 保護課 gets R7-U03 (all on 2025-11-20, sent on 2025-11-25). */
function threeRequests() {
  const rt = sampleRuntime();
  present(rt, 'R7-U05', ['デジタル推進課'], '2025-11-20');
  present(rt, 'R7-U09', ['デジタル推進課'], '2025-11-20');
  present(rt, 'R7-U03', ['保護課'], '2025-11-20');
  return rt;
}

describe("a department's inbox", () => {
  it('every request links to it; it lists that department’s open requests and nothing of another’s', () => {
    const rt = threeRequests();
    for (const m of rt.state.outbox) expect(m.body).toContain('貴課あての協議依頼の一覧');
    const before = JSON.stringify({ sheets: rt.workbook.sheets, outbox: rt.state.outbox.length });
    const page = pageData(rt.webGet({ i: inboxToken(rt, 'digital@example.jp') }));
    expect(page).toMatchObject({ ok: true, inbox: true, department: 'デジタル推進課' });
    const ids = (page.items as Item[]).map((x) => x.id);
    const mine = records(rt, '所管課別進捗')
      .filter((r) => r.所管課 === 'デジタル推進課' && r.段階 === '①')
      .map((r) => r.ID);
    expect(ids).toContain('R7-U05');
    expect(ids).toContain('R7-U09');
    expect([...ids].sort()).toEqual([...mine].sort());
    expect(ids).not.toContain('R7-U03');
    expect(JSON.stringify(page)).not.toContain('保護');
    const u05 = (page.items as Item[]).find((x) => x.id === 'R7-U05')!;
    // Sent on 11-25 (a Tuesday): 10 working days later is 12-09.
    expect(u05).toMatchObject({
      sent: 'mail',
      sentOn: '2025-11-25',
      dueDate: '2025-12-09',
      overdue: false,
      answer: null,
    });
    // Opening it changes nothing.
    expect(JSON.stringify({ sheets: rt.workbook.sheets, outbox: rt.state.outbox.length })).toBe(before);
    const hogo = pageData(rt.webGet({ i: inboxToken(rt, 'hogo@example.jp') }));
    expect((hogo.items as Item[]).map((x) => x.id)).toEqual(['R7-U03']);
  });

  it('refuses an altered link, another department’s name under the same MAC, an expired link, and a request link used as an inbox link (or the other way)', () => {
    const rt = threeRequests();
    const token = inboxToken(rt, 'digital@example.jp');
    // An add-on's link leads with its register's key (server/registers.ts); the signed part follows.
    const register = /^[A-Za-z0-9]{16}\./.exec(token)?.[0] ?? '';
    const [payload, mac] = token.slice(register.length).split('.') as [string, string];
    const flip = (s: string) => s.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(pageData(rt.webGet({ i: `${register}${payload}.${flip(mac)}` }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('改ざん'),
    });
    // The same expiry for 保護課, with デジタル推進課's MAC.
    const text = Buffer.from(payload, 'base64url').toString('latin1');
    const other = Buffer.from(text.replace(/^[^~]*/, encodeURIComponent('保護課')), 'latin1').toString(
      'base64url',
    );
    expect(pageData(rt.webGet({ i: `${register}${other}.${mac}` }))).toMatchObject({ ok: false });
    const request = requestToken(rt, 'digital@example.jp');
    expect(pageData(rt.webGet({ i: request }))).toMatchObject({ ok: false, inbox: true });
    expect(pageData(rt.webGet({ t: token }))).toMatchObject({ ok: false });
    expect(rt.callWeb('apiAnswer', [{ token, kind: '所管外', answeredBy: '攻撃者' }])).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(
      rt.callWeb('apiAnswer', [{ inbox: request, id: 'R7-U05', kind: '所管外', answeredBy: '攻撃者' }]),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    // Valid for 60 days from the email: 2025-11-25 + 60 = 2026-01-24.
    rt.setClock('2026-01-24T20:00:00+09:00');
    expect(pageData(rt.webGet({ i: token }))).toMatchObject({ ok: true });
    rt.setClock('2026-01-25T09:00:00+09:00');
    expect(pageData(rt.webGet({ i: token }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('有効期限'),
    });
    expect(
      records(rt, '所管課別進捗').filter((r) => r.回答区分 === '所管外' && r.回答者 === '攻撃者'),
    ).toEqual([]);
  });

  it('answers each request there with the same rules, recording the visitor’s account and the typed name', () => {
    const rt = threeRequests();
    const token = inboxToken(rt, 'digital@example.jp');
    const sent = rt.state.outbox.length;
    ok(
      rt.callWeb(
        'apiAnswer',
        [
          {
            inbox: token,
            id: 'R7-U09',
            kind: '協議に応じる',
            comment: '来週以降で',
            answeredBy: 'デジタル推進課 佐藤',
          },
        ],
        'sato@example.jp',
      ),
    );
    const row = (id: string, dept = 'デジタル推進課') =>
      records(rt, '所管課別進捗').find((r) => r.ID === id && r.所管課 === dept)!;
    expect(row('R7-U09')).toMatchObject({
      回答区分: '協議に応じる',
      回答者: 'デジタル推進課 佐藤 <sato@example.jp>',
      回答日: '2025-11-25',
    });
    expect(rt.state.outbox.slice(sent).map((m) => m.subject)).toEqual([
      expect.stringContaining('【回答】R7-U09'),
    ]);
    // Without the platform's account (usual for other users): the typed name only.
    ok(rt.callWeb('apiAnswer', [{ inbox: token, id: 'R7-U05', kind: 'その他', answeredBy: '鈴木' }]));
    expect(row('R7-U05').回答者).toBe('鈴木');
    const items = pageData(rt.webGet({ i: token })).items as Item[];
    expect(items.find((x) => x.id === 'R7-U09')!.answer).toMatchObject({ kind: '協議に応じる' });
    // Another department's request is not this inbox's to answer (デジタル推進課 is 未提示 on R7-U03 and
    // has no row on R7-U01).
    for (const id of ['R7-U03', 'R7-U01'])
      expect(
        rt.callWeb('apiAnswer', [{ inbox: token, id, kind: '所管外', answeredBy: '攻撃者' }]),
      ).toMatchObject({ ok: false });
    expect(row('R7-U03', '保護課').回答区分).toBe('');
    expect(row('R7-U01', '情報政策課').回答区分).toBe('');
    // A closed request stays closed: 所管外 removes it from the inbox and refuses an answer.
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U05',
        version: version(rt, 'R7-U05'),
        department: 'デジタル推進課',
        stage: '所管外',
        reason: '所管が異なる',
      }),
    );
    expect((pageData(rt.webGet({ i: token })).items as Item[]).map((x) => x.id)).not.toContain('R7-U05');
    expect(
      rt.callWeb('apiAnswer', [{ inbox: token, id: 'R7-U05', kind: '協議に応じる', answeredBy: '鈴木' }]),
    ).toMatchObject({ ok: false, code: 'forbidden', message: expect.stringContaining('所管外') });
  });
});

describe('回答期限', () => {
  it('is 10 working days after sending, across the year-end closure and 成人の日; overdue the day after', () => {
    const rt = sampleRuntime({ now: '2025-12-22T10:00:00+09:00' });
    present(rt, 'R7-U03', ['保護課'], '2025-12-22');
    const mail = rt.state.outbox.find((m) => m.to === 'hogo@example.jp')!;
    // 12/23–26 (4), 12/29–1/3 closed, 1/5–9 (9), 1/12 成人の日, 1/13 (10).
    expect(mail.body).toContain('回答期限: 令和8年1月13日');
    const token = inboxToken(rt, 'hogo@example.jp');
    const item = () => (pageData(rt.webGet({ i: token })).items as Item[])[0]!;
    type Dept = { name: string; overdue: number };
    const summaryOverdue = () =>
      ok(call<{ departments: Dept[] }>(rt, 'apiRebuildSummary', {})).departments.find(
        (d) => d.name === '保護課',
      )!.overdue;
    const card = () =>
      ok(
        call<{ deadlines: Record<string, { overdue: boolean; dueDate: string }> }>(rt, 'apiGetProposal', {
          id: 'R7-U03',
        }),
      ).deadlines.保護課;
    rt.setClock('2026-01-13T17:00:00+09:00');
    expect(item()).toMatchObject({ dueDate: '2026-01-13', overdue: false, overdueDays: 0 });
    expect(summaryOverdue()).toBe(0);
    expect(card()).toMatchObject({ dueDate: '2026-01-13', overdue: false });
    rt.setClock('2026-01-14T09:00:00+09:00');
    expect(item()).toMatchObject({ overdue: true, overdueDays: 1 });
    // The single answer page shows it too.
    expect(pageData(rt.webGet({ t: requestToken(rt, 'hogo@example.jp') }))).toMatchObject({
      ok: true,
      dueDate: '2026-01-13',
      overdue: true,
    });
    expect(summaryOverdue()).toBe(1);
    expect(card()).toMatchObject({ overdue: true });
    // 集計's department table has the column, and an as-of day before the deadline counts none.
    const sheet = records(rt, '集計');
    expect(JSON.stringify(sheet)).toContain('期限超過');
    rt.setClock('2026-01-14T10:00:00+09:00');
    const asOf = ok(call<{ departments: Dept[] }>(rt, 'apiRebuildSummary', { asOf: '2026-01-09' }));
    expect(asOf.departments.find((d) => d.name === '保護課')!.overdue).toBe(0);
    rt.setClock('2026-01-19T09:00:00+09:00');
    expect(item()).toMatchObject({ overdue: true, overdueDays: 4 });
  });
});

describe('escalation to the secretariat', () => {
  it('tells the secretariat once per request per level, by department, through the sealed queue', () => {
    const rt = sampleRuntime({ now: '2025-12-22T10:00:00+09:00' });
    present(rt, 'R7-U03', ['保護課'], '2025-12-22');
    present(rt, 'R7-U05', ['デジタル推進課'], '2025-12-22');
    // Both due 2026-01-13; 5 working days past it is 2026-01-20, 10 is 2026-01-27.
    const digital = inboxToken(rt, 'digital@example.jp');
    const escalations: { day: string; to: string; subject: string; body: string }[] = [];
    for (
      let day = Date.parse('2025-12-23T09:00:00+09:00');
      day <= Date.parse('2026-01-30T09:00:00+09:00');
      day += 86_400_000
    ) {
      const iso = new Date(day + 9 * 3600_000).toISOString().slice(0, 10);
      rt.setClock(new Date(day).toISOString());
      if (iso === '2026-01-22')
        ok(
          rt.callWeb('apiAnswer', [
            { inbox: digital, id: 'R7-U05', kind: '協議に応じる', answeredBy: '佐藤' },
          ]),
        );
      // Twice on the same day (a rerun): nothing more.
      for (const _ of [1, 2]) {
        const before = rt.state.outbox.length;
        daily(rt);
        for (const m of rt.state.outbox.slice(before))
          if (m.subject.startsWith('【回答期限超過】'))
            escalations.push({ day: iso, to: m.to, subject: m.subject, body: m.body });
      }
    }
    expect(escalations.map((m) => [m.day, m.to, m.subject])).toEqual([
      ['2026-01-20', 'secretariat@example.jp', '【回答期限超過】未回答の協議依頼 2件(2課)'],
      ['2026-01-27', 'secretariat@example.jp', '【回答期限超過】未回答の協議依頼 1件(1課)'],
    ]);
    const [first, second] = escalations as [(typeof escalations)[0], (typeof escalations)[0]];
    expect(first.body).toContain('■デジタル推進課(1件)');
    expect(first.body).toContain('■保護課(1件)');
    expect(first.body).toContain(
      'R7-U03 生活保護のオンライン申請等 送信日 R7.12.22 ／ 回答期限 R8.1.13 ／ 5営業日超過',
    );
    // Days as the seed writes them: R7.12.22 in a list line, 令和8年1月20日 in a sentence; never ISO.
    expect(first.body).toContain('(令和8年1月20日時点)');
    expect(first.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(second.body).toContain('R7-U03');
    expect(second.body).toContain('10営業日超過・2回目の報告');
    expect(second.body).not.toContain('R7-U05');
    const rows = records(rt, '送信記録').filter((r) => r.種類 === '期限超過');
    expect(rows.map((r) => [r.状態, r.回, r.所管課])).toEqual([
      ['送信済', '1', '事務局'],
      ['送信済', '2', '事務局'],
    ]);
  });

  it('waits for the days in 設定, counted in working days, and never for requests sent by hand', () => {
    const rt = sampleRuntime({ now: '2025-12-22T10:00:00+09:00' });
    const settings = rt.workbook.sheet('設定')!;
    const r = settings.cells.findIndex((x) => x?.[0]?.v === '期限超過の報告(営業日)');
    if (r >= 0) settings.cells[r]![1] = { v: 2 };
    else settings.cells.push([{ v: '期限超過の報告(営業日)' }, { v: 2 }]);
    present(rt, 'R7-U03', ['保護課'], '2025-12-22');
    const told = (iso: string) => {
      rt.setClock(`${iso}T09:00:00+09:00`);
      const before = rt.state.outbox.length;
      daily(rt);
      return rt.state.outbox.slice(before).filter((m) => m.subject.startsWith('【回答期限超過】')).length;
    };
    // Due 01-13; 01-14 is 1 working day past, 01-15 is 2.
    expect(told('2026-01-14')).toBe(0);
    expect(told('2026-01-15')).toBe(1);
    expect(told('2026-01-16')).toBe(0);
    // The sample's ① departments (presented before the add-on, no request sent) are never escalated.
    expect(rt.state.outbox.filter((m) => m.subject.startsWith('【回答期限超過】'))[0]!.body).not.toContain(
      '情報政策課',
    );
  });

  it('a run that dies while sending it leaves 要確認 and tells no one twice; the next level still comes', () => {
    const rt = sampleRuntime({ now: '2025-12-22T10:00:00+09:00' });
    const settings = rt.workbook.sheet('設定')!;
    const r = settings.cells.findIndex((x) => x?.[0]?.v === '督促間隔(営業日)');
    settings.cells[r]![1] = { v: 99 };
    present(rt, 'R7-U03', ['保護課'], '2025-12-22');
    const escalations = () => rt.state.outbox.filter((m) => m.subject.startsWith('【回答期限超過】'));
    // 2026-01-20: 5 working days past 回答期限 (01-13); the run dies sending the escalation.
    rt.setClock('2026-01-20T09:00:00+09:00');
    rt.host.mailFailAfter = rt.host.mailSentThisProcess;
    try {
      daily(rt);
    } catch {
      // The platform stops the run.
    }
    rt.host.mailFailAfter = null;
    expect(escalations()).toEqual([]);
    const row = () => records(rt, '送信記録').find((x) => x.種類 === '期限超過')!;
    expect(row().状態).toBe('送信中');
    rt.setClock('2026-01-20T09:20:00+09:00');
    tick(rt);
    expect(row().状態).toBe('要確認');
    for (const day of ['2026-01-21', '2026-01-22', '2026-01-23', '2026-01-26']) {
      rt.setClock(`${day}T09:00:00+09:00`);
      daily(rt);
      tick(rt);
    }
    expect(escalations()).toEqual([]);
    expect(records(rt, '送信記録').filter((x) => x.種類 === '期限超過')).toHaveLength(1);
    rt.setClock('2026-01-27T09:00:00+09:00');
    daily(rt);
    expect(escalations().map((m) => m.subject)).toEqual(['【回答期限超過】未回答の協議依頼 1件(1課)']);
    expect(escalations()[0]!.body).toContain('10営業日超過・2回目の報告');
  });
});
