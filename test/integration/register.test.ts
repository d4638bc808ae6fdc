// The register's server API in the real bundle: create, edit, present, consult, decide, correct.
import { describe, expect, it } from 'vitest';
import {
  CLOCK_HANDLERS,
  call,
  daily,
  newRuntime,
  OUTSIDER,
  OWNER,
  ok,
  PT,
  records,
  registerProps,
  run,
  sampleRuntime,
  setUp,
  tick,
  tickHandler,
} from '../helpers';

type View = {
  proposal: { id: string; title: string; judgment: string };
  version: string;
  stage: string;
  departments: { department: string; stage: string }[];
};

const NEW_USER_PROPOSAL = {
  kind: 'ユーザーの困りごと',
  painPoint: '粗大ごみの申込みが電話だけで、つながらない',
  perspective: '市民の目線',
  category: '行政手続きの場面等',
  title: '粗大ごみ受付のオンライン化',
  solution: 'ウェブ申込みとキャッシュレス決済',
  departments: ['環境政策課', 'デジタル推進課'],
};

function historyOf(rt: ReturnType<typeof newRuntime>, id: string) {
  return records(rt, '変更履歴').filter((r) => r.ID === id);
}

describe('creating and editing proposals', () => {
  it('creates a proposal as 未提示 with the next ID of its kind, display columns, and history', () => {
    const rt = sampleRuntime();
    const v = ok(call<View>(rt, 'apiCreateProposal', NEW_USER_PROPOSAL));
    expect(v.proposal.id).toBe('R7-U18');
    expect(v.stage).toBe('未提示');
    const row = records(rt, '課題一覧').find((r) => r.ID === 'R7-U18')!;
    expect(row).toMatchObject({
      年度: 'R7',
      種別: 'ユーザーの困りごと',
      '課題(提案)名': '粗大ごみ受付のオンライン化',
      進捗: '未提示',
      所管課: '環境政策課(未提示)、デジタル推進課(未提示)',
    });
    expect(
      records(rt, '所管課別進捗')
        .filter((r) => r.ID === 'R7-U18')
        .map((r) => [r.所管課, r.段階]),
    ).toEqual([
      ['環境政策課', '未提示'],
      ['デジタル推進課', '未提示'],
    ]);
    expect(historyOf(rt, 'R7-U18').map((h) => [h.項目, h.利用者, h.経路])).toEqual([
      ['作成', PT, 'サイドバー'],
      ['種別', PT, 'サイドバー'],
      ['場面・分類', PT, 'サイドバー'],
      ['目線', PT, 'サイドバー'],
      ['所管課追加', PT, 'サイドバー'],
      ['所管課追加', PT, 'サイドバー'],
    ]);
    expect(
      ok(
        call<View>(rt, 'apiCreateProposal', {
          ...NEW_USER_PROPOSAL,
          kind: '職員の困りごと',
          perspective: '',
          category: '両方',
        }),
      ).proposal.id,
    ).toBe('R7-S18');
  });

  it('refuses bad input with a Japanese message naming the field, writing nothing', () => {
    const rt = sampleRuntime();
    const before = records(rt, '課題一覧').length;
    const r = call(rt, 'apiCreateProposal', { ...NEW_USER_PROPOSAL, title: '', category: '公共の場' });
    expect(r).toMatchObject({
      ok: false,
      code: 'invalid',
      fieldErrors: { title: '課題(提案)名を入力してください。' },
    });
    expect(call(rt, 'apiCreateProposal', { ...NEW_USER_PROPOSAL, category: '両方' })).toMatchObject({
      ok: false,
      fieldErrors: { category: expect.stringContaining('場面・分類は') },
    });
    expect(
      call(rt, 'apiCreateProposal', { ...NEW_USER_PROPOSAL, departments: ['存在しない課'] }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { department: '所管課「存在しない課」は所管課シートにありません。' },
    });
    expect(
      call(rt, 'apiCreateProposal', { ...NEW_USER_PROPOSAL, solution: 'x'.repeat(50_001) }),
    ).toMatchObject({ ok: false, fieldErrors: { solution: '解決策は50,000文字以内で入力してください。' } });
    expect(records(rt, '課題一覧')).toHaveLength(before);
  });

  it('stores text from people as text: formulas, numbers and dates are not interpreted', () => {
    const rt = sampleRuntime();
    const v = ok(
      call<View>(rt, 'apiCreateProposal', {
        ...NEW_USER_PROPOSAL,
        title: '=HYPERLINK("http://evil")',
        painPoint: '001',
        solution: '2025/11/20',
        departments: [],
      }),
    );
    const sheet = rt.workbook.sheet('課題一覧')!;
    const row = sheet.cells.findIndex((r) => r?.[0]?.v === v.proposal.id);
    expect(sheet.cells[row]!.map((c) => c?.f).filter(Boolean)).toEqual([]);
    expect(records(rt, '課題一覧').find((r) => r.ID === v.proposal.id)).toMatchObject({
      '課題(提案)名': '=HYPERLINK("http://evil")',
      困りごと: '001',
      解決策: '2025/11/20',
    });
    expect(typeof sheet.cells[row]![3]!.v).toBe('string');
  });

  it('refuses a stale update with the current values, and applies a fresh one', () => {
    const rt = sampleRuntime();
    const seen = ok(call<View>(rt, 'apiGetProposal', { id: 'R7-U02' }));
    ok(
      call(
        rt,
        'apiUpdateProposal',
        { id: 'R7-U02', version: seen.version, fields: { notes: '先に保存' } },
        PT,
      ),
    );
    const stale = call(
      rt,
      'apiUpdateProposal',
      { id: 'R7-U02', version: seen.version, fields: { notes: '後から保存' } },
      'pt.suzuki@example.jp',
    );
    expect(stale).toMatchObject({
      ok: false,
      code: 'stale',
      message: expect.stringContaining('他の人が更新しました'),
      current: { notes: '先に保存' },
    });
    expect(records(rt, '課題一覧').find((r) => r.ID === 'R7-U02')!.備考).toBe('先に保存');
  });

  it('a save makes the same service calls for 34 proposals as for 1,034 (変更履歴 grows with room to spare)', () => {
    const saveCalls = (rt: ReturnType<typeof newRuntime>) => {
      for (const note of ['一回目', '二回目']) {
        const { version } = ok(call<View>(rt, 'apiGetProposal', { id: 'R7-U02' }));
        rt.calls.clear();
        ok(call(rt, 'apiUpdateProposal', { id: 'R7-U02', version, fields: { notes: note } }));
      }
      return Object.fromEntries(rt.calls);
    };
    const small = sampleRuntime();
    const large = sampleRuntime();
    const rows = Array.from(
      { length: 1000 },
      (_, i) => `職員の困りごと,業務効率に関すること,困りごと${i},課題${i},人事課,①`,
    );
    ok(
      call(
        large,
        'apiImportCsv',
        { csv: ['種別,場面・分類,困りごと,課題(提案)名,所管課,進捗', ...rows].join('\n') },
        OWNER,
      ),
    );
    const a = saveCalls(small);
    expect(a['Range.setValues']).toBeGreaterThan(0);
    expect(saveCalls(large)).toEqual(a);
  });
});

describe('who may call', () => {
  it('refuses a person without a role, and calls from the web app context (visitor hidden or someone else)', () => {
    const rt = sampleRuntime();
    expect(call(rt, 'apiSearch', {}, OUTSIDER)).toMatchObject({ ok: false, code: 'forbidden' });
    const asWebApp = (active: string) =>
      rt.execute('apiSearch', { mode: 'web', activeUser: active, effectiveUser: OWNER }, () => [{}]);
    expect(asWebApp('')).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: expect.stringContaining('利用者を確認できません'),
    });
    expect(asWebApp(PT)).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: 'この機能はスプレッドシートのサイドバーからだけ使えます。',
    });
    expect(call(rt, 'apiSearch', { query: '公用車' }, PT)).toMatchObject({ ok: true, data: { total: 3 } });
  });

  it('trigger handlers do nothing unless run as the recorded owner', () => {
    const rt = newRuntime();
    setUp(rt);
    registerProps(rt).SUMMARY_DIRTY = '1';
    // The mode's clock handler with its trigger's own event, but run as someone else.
    const handler = tickHandler(rt);
    const uid = rt.triggersHere().find((t) => t.handler === handler)!.id;
    rt.execute(handler, { mode: 'time', activeUser: PT, effectiveUser: PT }, (ctx) => [
      rt.eventFor(ctx, 'time', { triggerUid: uid }),
    ]);
    run(rt, handler, { mode: 'time', activeUser: PT, effectiveUser: PT }, [{}]);
    expect(registerProps(rt).SUMMARY_DIRTY).toBe('1');
    tick(rt);
    expect(registerProps(rt).SUMMARY_DIRTY).toBe('');
  });
});

describe('stages and 判断 through the API', () => {
  const version = (rt: ReturnType<typeof newRuntime>, id: string) =>
    ok(call<View>(rt, 'apiGetProposal', { id })).version;

  it('presenting, a consultation moving ① to ②, 検討継続, then a refused backward move and a secretariat correction', () => {
    const rt = sampleRuntime();
    const id = ok(call<View>(rt, 'apiCreateProposal', NEW_USER_PROPOSAL)).proposal.id;
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id,
        version: version(rt, id),
        department: '環境政策課',
        stage: '①',
        effectiveDate: '2025/11/20',
      }),
    );
    expect(
      call(rt, 'apiRecordJudgment', { id, version: version(rt, id), judgment: '検討継続' }),
    ).toMatchObject({ ok: false, fieldErrors: { judgment: expect.stringContaining('②') } });
    const after = ok(
      call<View>(rt, 'apiRecordConsultation', {
        id,
        version: version(rt, id),
        department: '環境政策課',
        date: 'R7.11.24',
        attendees: 'PT 田中、環境政策課 係長',
        summary: '実現性を協議',
      }),
    );
    expect(after.stage).toBe('②');
    expect(records(rt, '協議記録').filter((r) => r.ID === id)).toMatchObject([
      { 記録番号: `${id}-K01`, 協議日: '2025-11-24', 概要: '実現性を協議' },
    ]);
    expect(
      ok(call<View>(rt, 'apiRecordJudgment', { id, version: version(rt, id), judgment: '検討継続' })).stage,
    ).toBe('③');
    const back = call(rt, 'apiSetDepartmentStage', {
      id,
      version: version(rt, id),
      department: '環境政策課',
      stage: '①',
    });
    expect(back).toMatchObject({ ok: false, fieldErrors: { stage: expect.stringContaining('事務局') } });
    const undo = {
      id,
      judgment: '',
      reason: '判断日の誤り',
      effectiveDate: '2025-11-25',
    };
    expect(call(rt, 'apiRecordJudgment', { ...undo, version: version(rt, id) }, PT)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(
      call(rt, 'apiRecordJudgment', { ...undo, version: version(rt, id), reason: '' }, OWNER),
    ).toMatchObject({
      ok: false,
      fieldErrors: { reason: '訂正の理由を入力してください。' },
    });
    expect(ok(call<View>(rt, 'apiRecordJudgment', { ...undo, version: version(rt, id) }, OWNER)).stage).toBe(
      '②',
    );
    const fields = records(rt, '変更履歴')
      .filter((r) => r.ID === id)
      .map((r) => `${r.項目}:${r.旧値}→${r.新値}@${r.効力日}`);
    expect(fields).toContain('段階:①→②@2025-11-24');
    expect(fields).toContain('判断:検討継続→@2025-11-25');
    expect(records(rt, '変更履歴').find((r) => r.ID === id && r.項目 === '判断' && r.新値 === '')!.理由).toBe(
      '判断日の誤り',
    );
  });

  it('removing a department as 所管外 needs a reason, keeps its row, and drops it from the display', () => {
    const rt = sampleRuntime();
    const v = ok(call<View>(rt, 'apiGetProposal', { id: 'R7-U01' }));
    expect(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U01',
        version: v.version,
        department: '情報政策課',
        stage: '所管外',
      }),
    ).toMatchObject({ ok: false });
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U01',
        version: v.version,
        department: '情報政策課',
        stage: '所管外',
        reason: '検索機能は広報室の所管',
      }),
    );
    expect(records(rt, '課題一覧').find((r) => r.ID === 'R7-U01')!.所管課).toBe('広報室(②)');
    expect(
      records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U01' && r.所管課 === '情報政策課'),
    ).toMatchObject({ 段階: '所管外', 所管外の理由: '検索機能は広報室の所管' });
  });

  it('every change is in 変更履歴 and its hash chain verifies; an edited row breaks it', () => {
    const rt = sampleRuntime();
    for (const handler of CLOCK_HANDLERS)
      expect(
        run(rt, handler, { mode: 'time', activeUser: OWNER, effectiveUser: OWNER }, [{}]),
      ).toBeUndefined();
    expect(rt.state.outbox).toHaveLength(0);
    const sheet = rt.workbook.sheet('変更履歴')!;
    sheet.cells[5]![8] = { v: '改ざん' };
    daily(rt);
    expect(rt.state.outbox.map((m) => [m.to, m.subject])).toEqual([
      [OWNER, '【プラチナ提案台帳】変更履歴の改ざん・削除の可能性'],
    ]);
    expect(rt.state.outbox[0]!.body).toContain('6行目');
  });
});
