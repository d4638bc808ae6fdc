// The answer page (web app as the deployer) and reminders: close the loop without anyone chasing.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import {
  call,
  daily,
  edit,
  OWNER,
  ok,
  PT,
  pageData,
  records,
  registerProps,
  sampleRuntime,
  tickHandler,
} from '../helpers';

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;

/** Presents R7-U03 (保護課 ①, デジタル推進課 未提示) and returns the answer link's token for 保護課. */
function presented(rt: Runtime, date = '2025-11-20') {
  ok(
    call(rt, 'apiPresent', {
      id: 'R7-U03',
      version: version(rt, 'R7-U03'),
      departments: ['保護課', 'デジタル推進課'],
      effectiveDate: date,
    }),
  );
  const m = rt.state.outbox.find((x) => x.to === 'hogo@example.jp')!;
  return /\?t=((?:[A-Za-z0-9]{16}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(m.body)![1]!;
}

describe('the answer page', () => {
  it('shows the request; opening it (as a mail scanner would) changes nothing', () => {
    const rt = sampleRuntime();
    const token = presented(rt);
    const before = JSON.stringify({ sheets: rt.workbook.sheets, outbox: rt.state.outbox.length });
    const data = pageData(rt.webGet({ t: token }));
    expect(data).toMatchObject({
      ok: true,
      id: 'R7-U03',
      department: '保護課',
      title: '生活保護のオンライン申請等',
      answer: null,
    });
    rt.webGet({ t: token });
    expect(JSON.stringify({ sheets: rt.workbook.sheets, outbox: rt.state.outbox.length })).toBe(before);
  });

  it('refuses forged, altered and expired tokens with a clear page, recording nothing', () => {
    const rt = sampleRuntime();
    const token = presented(rt);
    // The MAC is the last part (an add-on link leads with its register's key).
    const cut = token.lastIndexOf('.');
    const [payload, mac] = [token.slice(0, cut), token.slice(cut + 1)];
    expect(
      pageData(rt.webGet({ t: `${payload}.${mac.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}` })),
    ).toMatchObject({ ok: false, message: expect.stringContaining('改ざん') });
    expect(pageData(rt.webGet({ t: 'nonsense' }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('リンクが正しくありません'),
    });
    expect(pageData(rt.webGet({}))).toMatchObject({ ok: false });
    const forged = rt.callWeb<{ ok: boolean; code: string }>('apiAnswer', [
      { token: `${payload}.${mac.slice(1)}A`, kind: '所管外', answeredBy: '攻撃者' },
    ]);
    expect(forged).toMatchObject({ ok: false, code: 'forbidden' });
    rt.setClock('2026-12-01T09:00:00+09:00');
    expect(pageData(rt.webGet({ t: token }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('有効期限'),
    });
    expect(
      records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U03' && r.所管課 === '保護課')!.回答区分,
    ).toBe('');
  });

  it('records an answer and notifies the secretariat and the PT contact; answering again is a revision, not a duplicate', () => {
    const rt = sampleRuntime();
    const token = presented(rt);
    const sent = rt.state.outbox.length;
    ok(
      rt.callWeb('apiAnswer', [
        {
          token,
          kind: '協議に応じる',
          comment: '12月上旬に協議したい',
          answeredBy: '保護課 山田',
          proposedDate: '2025/12/03',
        },
      ]),
    );
    const row = () => records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U03' && r.所管課 === '保護課')!;
    expect(row()).toMatchObject({
      回答区分: '協議に応じる',
      回答内容: '12月上旬に協議したい',
      回答者: '保護課 山田',
      回答日: '2025-11-25',
      協議希望日: '2025-12-03',
      段階: '①',
    });
    const notice = rt.state.outbox.slice(sent);
    expect(notice.map((m) => [m.to, m.subject])).toEqual([
      [`${OWNER},${PT}`, '【回答】R7-U03 生活保護のオンライン申請等(保護課:協議に応じる)'],
    ]);
    // The notice reads its days as the seed writes them, whatever form the department typed (2025/12/03).
    expect(notice[0]!.body).toContain('回答日: 令和7年11月25日');
    expect(notice[0]!.body).toContain('協議希望日: 令和7年12月3日');
    expect(notice[0]!.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(pageData(rt.webGet({ t: token })).answer).toMatchObject({
      kind: '協議に応じる',
      by: '保護課 山田',
    });
    ok(
      rt.callWeb('apiAnswer', [
        { token, kind: '既に対応済み・対応予定', comment: '来年度から実施予定', answeredBy: '保護課 山田' },
      ]),
    );
    expect(row()).toMatchObject({ 回答区分: '既に対応済み・対応予定', 段階: '①' });
    const h = records(rt, '変更履歴').filter((r) => r.ID === 'R7-U03' && r.項目 === '回答区分');
    expect(h.map((r) => [r.旧値, r.新値, r.経路, r.理由])).toEqual([
      ['', '協議に応じる', '回答ページ', ''],
      ['協議に応じる', '既に対応済み・対応予定', '回答ページ', '回答の修正'],
    ]);
    expect(rt.state.outbox.at(-1)!.body).toContain('④(対応済)にするか確認');
  });

  it('refuses every other public function from the web app context', () => {
    const rt = sampleRuntime();
    expect(rt.callWeb('apiSearch', [{}])).toMatchObject({ ok: false, code: 'forbidden' });
    expect(
      rt.callWeb('apiSetDepartmentStage', [
        { id: 'R7-U01', version: 'x', department: '広報室', stage: '①', reason: 'x' },
      ]),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    registerProps(rt).SUMMARY_DIRTY = '1';
    rt.callWeb(tickHandler(rt), [{ triggerUid: '999' }]);
    expect(registerProps(rt).SUMMARY_DIRTY).toBe('1');
    expect(() => rt.callWeb('menuSetup', [])).toThrow();
  });
});

describe('reminders', () => {
  it('come after N working days without an answer, then every N working days, across the year-end closure and 成人の日', () => {
    const rt = sampleRuntime({ now: '2025-12-22T10:00:00+09:00' });
    presented(rt, '2025-12-22');
    const reminders: string[] = [];
    for (
      let day = Date.parse('2025-12-23T09:00:00+09:00');
      day <= Date.parse('2026-01-15T09:00:00+09:00');
      day += 86_400_000
    ) {
      const before = rt.state.outbox.length;
      rt.setClock(new Date(day).toISOString());
      daily(rt);
      for (const m of rt.state.outbox.slice(before))
        if (m.to === 'hogo@example.jp')
          reminders.push(`${new Date(day + 9 * 3600_000).toISOString().slice(0, 10)} ${m.subject}`);
    }
    expect(reminders).toEqual([
      '2026-01-05 【再送・協議依頼】R7-U03 生活保護のオンライン申請等',
      '2026-01-13 【再送・協議依頼】R7-U03 生活保護のオンライン申請等',
    ]);
    // Same link as the request.
    const link = (s: string) => /\?t=(\S+)/.exec(s)![1];
    const request = rt.state.outbox.find(
      (m) => m.to === 'hogo@example.jp' && m.subject.startsWith('【協議依頼】'),
    )!;
    expect(link(rt.state.outbox.filter((m) => m.to === 'hogo@example.jp').at(-1)!.body)).toBe(
      link(request.body),
    );
  });

  it('stop once the department has answered; a changed address applies to the next reminder', () => {
    const rt = sampleRuntime({ now: '2025-11-20T10:00:00+09:00' });
    const token = presented(rt, '2025-11-20');
    const dir = rt.workbook.sheet('所管課')!;
    const row = dir.cells.findIndex((r) => r?.[0]?.v === 'デジタル推進課');
    // The secretariat's edit: a department's address is theirs to change (a PT member's is put back).
    edit(rt, `所管課!C${row + 1}`, 'digital-new@example.jp', OWNER);
    ok(rt.callWeb('apiAnswer', [{ token, kind: '協議に応じる', answeredBy: '保護課' }]));
    rt.setClock('2025-12-01T09:00:00+09:00');
    daily(rt);
    const reminders = rt.state.outbox.filter((m) => m.subject.startsWith('【再送'));
    expect(reminders.map((m) => m.to)).toEqual(['digital-new@example.jp']);
  });

  it('in digest mode, one email per department lists all its open requests', () => {
    const rt = sampleRuntime({ now: '2025-11-20T10:00:00+09:00' });
    const settings = rt.workbook.sheet('設定')!;
    const r = settings.cells.findIndex((x) => x?.[0]?.v === 'ダイジェスト送信');
    settings.cells[r]![1] = { v: 'はい' };
    ok(
      call(rt, 'apiPresent', {
        id: 'R7-U05',
        version: version(rt, 'R7-U05'),
        departments: ['デジタル推進課'],
        effectiveDate: '2025-11-20',
      }),
    );
    ok(
      call(rt, 'apiPresent', {
        id: 'R7-U09',
        version: version(rt, 'R7-U09'),
        departments: ['デジタル推進課'],
        effectiveDate: '2025-11-20',
      }),
    );
    rt.setClock('2025-12-01T09:00:00+09:00');
    daily(rt);
    const digests = rt.state.outbox.filter((m) => m.subject.startsWith('【協議依頼のまとめ】'));
    expect(digests.map((m) => [m.to, m.subject])).toEqual([
      ['digital@example.jp', '【協議依頼のまとめ】未回答 2件'],
    ]);
    expect(digests[0]!.body).toContain('R7-U05');
    expect(digests[0]!.body).toContain('R7-U09');
    expect(digests[0]!.body).toContain('R7-U05 行政手続きのオンライン化(提示日 R7.9.16)');
    expect(digests[0]!.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});

describe('directory changes', () => {
  it('keep the old address in history; an inactive department is not offered for new presentations', () => {
    const rt = sampleRuntime();
    const dir = rt.workbook.sheet('所管課')!;
    const row = dir.cells.findIndex((r) => r?.[0]?.v === '市民課') + 1;
    edit(rt, `所管課!C${row}`, 'shimin-madoguchi@example.jp', OWNER);
    expect(
      records(rt, '変更履歴')
        .filter((r) => r.項目 === '所管課:メールアドレス')
        .at(-1),
    ).toMatchObject({
      所管課: '市民課',
      旧値: 'shimin@example.jp',
      新値: 'shimin-madoguchi@example.jp',
    });
    edit(rt, `所管課!D${row}`, 'FALSE', OWNER);
    expect(ok(call<{ departments: string[] }>(rt, 'apiSettings', undefined)).departments).not.toContain(
      '市民課',
    );
    const created = call(rt, 'apiCreateProposal', {
      kind: '職員の困りごと',
      category: '両方',
      painPoint: 'x',
      title: 'y',
      departments: ['市民課'],
    });
    expect(created).toMatchObject({
      ok: false,
      fieldErrors: { department: '所管課「市民課」は無効になっています。' },
    });
  });
});
