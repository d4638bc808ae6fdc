// 集計: the seed's figures, exact, in the JSON and in the sheet's cells, from one code path.
import { describe, expect, it } from 'vitest';
import { layoutSummary } from '../../src/sheets/summary-sheet';
import { call, newRuntime, OWNER, ok, PT, records, sampleRuntime, setUp, sheetValues } from '../helpers';

type Summary = {
  asOf: string;
  progress: Record<'user' | 'staff' | 'total', Record<string, number>>;
  notPresented: { user: number; staff: number };
  categories: { user: Record<string, number>; staff: Record<string, number> };
  byKind: { user: number; staff: number; total: number };
  ended: Record<string, number>;
  implementation: Record<string, number>;
  departments: { name: string; open: number; unsent: number; answered: number; oldestOpenDays: number }[];
};

const SEED = {
  user: { '1': 5, '2': 11, '3': 0, '4': 1, total: 17 },
  staff: { '1': 5, '2': 12, '3': 0, '4': 0, total: 17 },
  total: { '1': 10, '2': 23, '3': 0, '4': 1, total: 34 },
};

const summary = (rt: ReturnType<typeof newRuntime>, payload: Record<string, unknown> = {}) =>
  ok(call<Summary>(rt, 'apiRebuildSummary', payload, OWNER));
const version = (rt: ReturnType<typeof newRuntime>, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;

describe('the summary of the seed’s sample', () => {
  it('gives exactly the seed’s figures (page 4), categories 9/8 and 11/5/1', () => {
    const rt = sampleRuntime();
    const s = summary(rt);
    expect(s.progress).toEqual(SEED);
    expect(s.byKind).toEqual({ user: 17, staff: 17, total: 34 });
    expect(s.notPresented).toEqual({ user: 0, staff: 0 });
    expect(s.categories).toEqual({
      user: { 行政手続きの場面等: 9, 公共の場等: 8 },
      staff: { 業務効率に関すること: 11, '働き方・働きがい・働く環境に関すること': 5, 両方: 1 },
    });
  });

  it('shows the same numbers in the sheet’s cells, laid out as on the seed', () => {
    const rt = sampleRuntime();
    summary(rt);
    const cells = sheetValues(rt, '集計');
    expect(cells[0]![0]).toBe('プラチナ市役所プロジェクト 令和7年度 課題提案の進捗状況（11月25日時点）');
    const at = (label: string) => cells.find((r) => r[0] === label && r[1] !== '');
    // Numbers shown with their unit, as the seed prints them (5件); the cells hold numbers.
    expect(at('ユーザーの困りごと')).toEqual(['ユーザーの困りごと', '5件', '11件', '0件', '1件', '17件']);
    expect(at('職員の困りごと')).toEqual(['職員の困りごと', '5件', '12件', '0件', '0件', '17件']);
    expect(cells.filter((r) => r[0] === '合計').map((r) => r.slice(1).filter(Boolean))).toEqual([
      ['34件'],
      ['10件', '23件', '0件', '1件', '34件'],
    ]);
    // The sample's presentations were made by hand before the add-on: not unsent, not waited on.
    expect(cells.find((r) => r[0] === '保護課')!.slice(0, 5)).toEqual(['保護課', '1件', '0件', '0件', '0日']);
    expect(cells.find((r) => r[1] === '市HPで知りたい情報にたどりつかない')).toEqual([
      '1',
      '市HPで知りたい情報にたどりつかない',
      '公式ホームページの検索機能で知りたい情報へアクセスするための課題',
      '②PTと所管課で協議を行った段階',
      '',
      '',
    ]);
    expect(cells.find((r) => r[2] === '債権者登録に係るオンライン申請の導入について')![3]).toBe(
      '④既に所管課で対応済みのもの',
    );
    expect(cells.some((r) => r[0]!.startsWith('※1 所管が複数にまたがる課題は'))).toBe(true);
    const chart = rt.workbook.sheet('集計')!.charts;
    const header = cells.findIndex((r) => r[0] === '進捗の段階') + 1;
    expect(chart).toMatchObject([
      { type: 'BAR', options: { isStacked: true }, ranges: [`集計!A${header}:E${header + 2}`] },
    ]);
  });

  it('makes the same service calls for 34 proposals as for 340: reads once per sheet, one setValues', () => {
    const counts = (rt: ReturnType<typeof newRuntime>) => {
      rt.calls.clear();
      summary(rt);
      return Object.fromEntries(rt.calls);
    };
    const small = sampleRuntime();
    const large = sampleRuntime();
    for (let i = 0; i < 306; i++) {
      ok(
        call(large, 'apiCreateProposal', {
          kind: i % 2 ? '職員の困りごと' : 'ユーザーの困りごと',
          painPoint: `困りごと${i}`,
          category: i % 2 ? '両方' : '公共の場等',
          title: `課題${i}`,
          departments: ['人事課'],
        }),
      );
    }
    const a = counts(small);
    expect(a['Range.setValues']).toBe(1);
    // 設定, 課題一覧, 所管課別進捗 and 所管課 in one Sheets API request, and 送信記録 for 期限超過
    // (協議記録 is not counted, so not read).
    expect(a['Sheets.Spreadsheets.Values.batchGet']).toBe(1);
    expect(a['Range.getValues']).toBe(1);
    expect(counts(large)).toEqual(a);
  }, 120_000);

  it('an empty register gives zeros', () => {
    const rt = newRuntime();
    setUp(rt);
    const s = summary(rt);
    expect(s.progress.total).toEqual({ '1': 0, '2': 0, '3': 0, '4': 0, total: 0 });
    expect(s.byKind.total).toBe(0);
  });
});

describe('※1 and ③ with several departments', () => {
  it('a 判断 makes ③; ④ counts only when no department is at ①/②', () => {
    const rt = sampleRuntime();
    // R7-U07: 区政推進課 ②, 市民課 ④ → ②. Correct 区政推進課 back to ① and then to ④: the proposal becomes ④.
    ok(
      call(
        rt,
        'apiSetDepartmentStage',
        {
          id: 'R7-U07',
          version: version(rt, 'R7-U07'),
          department: '区政推進課',
          stage: '①',
          reason: '協議記録の誤り',
        },
        OWNER,
      ),
    );
    expect(summary(rt).progress.user).toEqual({ '1': 6, '2': 10, '3': 0, '4': 1, total: 17 });
    ok(
      call(
        rt,
        'apiSetDepartmentStage',
        { id: 'R7-U07', version: version(rt, 'R7-U07'), department: '区政推進課', stage: '④' },
        PT,
      ),
    );
    expect(summary(rt).progress.user).toEqual({ '1': 5, '2': 10, '3': 0, '4': 2, total: 17 });
    ok(
      call(
        rt,
        'apiRecordJudgment',
        { id: 'R7-S05', version: version(rt, 'R7-S05'), judgment: '検討終了', endReason: '解決が望めない' },
        PT,
      ),
    );
    const s = summary(rt);
    expect(s.progress.staff).toEqual({ '1': 5, '2': 11, '3': 1, '4': 0, total: 17 });
    expect(s.ended).toEqual({ 認識の誤り: 0, 解決が望めない: 1, その他: 0 });
  });
});

/** The sample on 2025-12-10, with R7-U03's consultation with 保護課 (① → ②) dated 2025-12-01. */
function consultedOnDecember1() {
  const rt = sampleRuntime({ now: '2025-12-10T10:00:00+09:00' });
  ok(
    call(rt, 'apiRecordConsultation', {
      id: 'R7-U03',
      version: version(rt, 'R7-U03'),
      department: '保護課',
      date: '2025-12-01',
      summary: 'オンライン申請の範囲を協議',
    }),
  );
  return rt;
}

describe('as of a date (replayed from 変更履歴 by 効力日)', () => {
  it('counts what stood at the end of each day', () => {
    const rt = consultedOnDecember1();
    ok(
      call(rt, 'apiRecordJudgment', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        judgment: '検討継続',
        effectiveDate: '2025-12-05',
      }),
    );
    expect(summary(rt, { asOf: '2025-11-25' }).progress).toEqual(SEED);
    expect(summary(rt, { asOf: '2025-12-02' }).progress.user).toEqual({
      '1': 4,
      '2': 12,
      '3': 0,
      '4': 1,
      total: 17,
    });
    expect(summary(rt, { asOf: '2025-12-05' }).progress.user).toEqual({
      '1': 4,
      '2': 11,
      '3': 1,
      '4': 1,
      total: 17,
    });
    // Before anything was presented (the sample's first 提示日 is 2025-09-01), nothing counts.
    expect(summary(rt, { asOf: '2025-08-31' }).progress.total.total).toBe(0);
    expect(summary(rt, { asOf: '2025-09-01' }).progress.total).toEqual({
      '1': 2,
      '2': 0,
      '3': 0,
      '4': 0,
      total: 2,
    });
    // On 2025-10-01 only September presentations count, and none had been consulted yet.
    const oct = summary(rt, { asOf: '2025-10-01' });
    expect(oct.progress.total['2']).toBe(0);
    expect(oct.progress.total.total).toBeGreaterThan(0);
    expect(oct.progress.total.total).toBeLessThan(34);
  });
});

describe('one summary, whichever path rebuilds it', () => {
  it('a rebuild after a sidebar save lays out the same cells as a rebuild from the menu', () => {
    const rt = sampleRuntime();
    ok(
      call(rt, 'apiUpdateProposal', {
        id: 'R7-S05',
        version: version(rt, 'R7-S05'),
        fields: { notes: '保存後の集計' },
      }),
    );
    ok(
      call(rt, 'apiRecordJudgment', {
        id: 'R7-U07',
        version: version(rt, 'R7-U07'),
        judgment: '検討終了',
        endReason: '解決が望めない',
      }),
    );
    // The saves marked 集計; the sidebar's next call rebuilds only the rows that changed, the menu
    // everything.
    ok(call(rt, 'apiRefreshSummary', undefined, OWNER));
    const afterSave = sheetValues(rt, '集計');
    expect(afterSave.flat()).toContain('③PTにおいて判断が終わった段階');
    summary(rt);
    expect(sheetValues(rt, '集計')).toEqual(afterSave);
  });

  it('the replay finds 変更履歴’s columns by header after a person reorders them', () => {
    const rt = sampleRuntime({ now: '2025-12-10T10:00:00+09:00' });
    const before = summary(rt, { asOf: '2025-10-01' });
    // Swap 効力日 (B) and 新値 (I), header included, as dragging the columns would.
    const history = rt.workbook.sheet('変更履歴')!;
    for (const row of history.cells) if (row) [row[1], row[8]] = [row[8], row[1]];
    expect(sheetValues(rt, '変更履歴')[0]![1]).toBe('新値');
    expect(summary(rt, { asOf: '2025-10-01' })).toEqual(before);
    expect(summary(rt, { asOf: '2025-11-25' }).progress).toEqual(SEED);
  });
});

describe('per department', () => {
  it('counts open consultations, unsent requests, answers and the longest wait', () => {
    const rt = sampleRuntime();
    const dept = (name: string) => summary(rt).departments.find((d) => d.name === name)!;
    // In the sample R7-U03 is 保護課's one proposal: at ① since 2025-09-10, presented by hand
    // before the add-on (依頼状態 台帳外で送付済): neither unsent nor waited on.
    expect(dept('保護課')).toEqual({
      name: '保護課',
      open: 1,
      unsent: 0,
      answered: 0,
      oldestOpenDays: 0,
      overdue: 0,
    });
    expect(
      records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U03' && r.所管課 === '保護課')!.依頼状態,
    ).toBe('台帳外で送付済');
    const digital = dept('デジタル推進課');
    ok(
      call(rt, 'apiPresent', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        departments: ['保護課', 'デジタル推進課'],
        effectiveDate: '2025-11-20',
      }),
    );
    // Both requests went out through the add-on: each now waits, from its 提示日.
    expect(dept('保護課')).toMatchObject({ open: 1, unsent: 0, answered: 0, oldestOpenDays: 76 });
    expect(dept('デジタル推進課')).toMatchObject({
      open: digital.open + 1,
      unsent: digital.unsent,
      oldestOpenDays: 5,
    });
    const mail = rt.state.outbox.find((m) => m.to === 'hogo@example.jp')!;
    const token = /\?t=((?:[A-Za-z0-9]{16}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.body)![1]!;
    ok(rt.callWeb('apiAnswer', [{ token, kind: '協議に応じる', answeredBy: '保護課 山田' }]));
    // Answered: still open (no 判断 yet) but no longer waiting.
    expect(dept('保護課')).toMatchObject({ open: 1, answered: 1, oldestOpenDays: 0 });
    ok(
      call(rt, 'apiRecordJudgment', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        judgment: '検討終了',
        endReason: '解決が望めない',
      }),
    );
    expect(dept('保護課')).toMatchObject({ open: 0, answered: 1 });
    expect(dept('デジタル推進課').open).toBe(digital.open);
  });
});

describe('beyond the seed: 未提示, 実施状況 and another 年度', () => {
  it('counts a new proposal as 未提示 apart from the table, 実施状況 of continued ones, and only the 年度 asked for', () => {
    const rt = sampleRuntime();
    ok(
      call(rt, 'apiCreateProposal', {
        kind: 'ユーザーの困りごと',
        painPoint: '窓口の呼出しが聞こえない',
        category: '公共の場等',
        title: '呼出し表示の改善',
        departments: ['庁舎管理課'],
      }),
    );
    ok(
      call(rt, 'apiRecordJudgment', {
        id: 'R7-U02',
        version: version(rt, 'R7-U02'),
        judgment: '検討継続',
      }),
    );
    ok(
      call(rt, 'apiUpdateProposal', {
        id: 'R7-U02',
        version: version(rt, 'R7-U02'),
        fields: { implementation: '予算化検討中' },
      }),
    );
    const s = summary(rt);
    expect(s.notPresented).toEqual({ user: 1, staff: 0 });
    expect(s.byKind.user).toBe(18);
    expect(s.progress.user).toEqual({ '1': 5, '2': 10, '3': 1, '4': 1, total: 17 });
    expect(s.implementation).toEqual({ 未着手: 0, 予算化検討中: 1, 実施中: 0, 完了: 0 });
    const listed = sheetValues(rt, '集計').find((r) => r[2] === '呼出し表示の改善')!;
    expect(listed[3]).toBe('未提示');
    // 令和8年度 has no proposals yet: every figure is zero. The view is the viewer's own: 集計
    // stays today's, for 設定's 年度.
    const next = summary(rt, { fiscalYear: 2026 }) as Summary & { view: string };
    expect(next.byKind.total).toBe(0);
    expect(next.progress.total.total).toBe(0);
    expect(next.view).toBe('personal');
    expect(sheetValues(rt, '集計')[0]![0]).toContain('令和7年度');
  });
});

describe('corrections in an as-of replay', () => {
  it('apply from their own 効力日 and are footnoted (※3) on the tab and in the numbers', () => {
    const rt = consultedOnDecember1();
    ok(
      call(
        rt,
        'apiSetDepartmentStage',
        {
          id: 'R7-U03',
          version: version(rt, 'R7-U03'),
          department: '保護課',
          stage: '①',
          effectiveDate: '2025-12-03',
          reason: '別の課題の協議を誤って記録',
        },
        OWNER,
      ),
    );
    type WithCorrections = Summary & { corrections: { id: string; old: string; new: string }[] };
    const footnotes = () =>
      sheetValues(rt, '集計')
        .filter((r) => /^(※3|　R7-)/.test(r[0]!))
        .map((r) => r[0]);
    // Before the correction's 効力日 the consultation counts, and nothing is footnoted.
    const dec2 = summary(rt, { asOf: '2025-12-02' }) as WithCorrections;
    expect(dec2.progress.user['2']).toBe(12);
    expect(dec2.corrections).toEqual([]);
    expect(footnotes()).toEqual([]);
    const dec5 = summary(rt, { asOf: '2025-12-05' }) as WithCorrections;
    expect(dec5.progress.user).toEqual(SEED.user);
    expect(dec5.corrections).toMatchObject([{ id: 'R7-U03', old: '②', new: '①' }]);
    // An as-of view is the viewer's own (the sidebar footnotes it): 集計 stays today's.
    expect(footnotes()).toEqual([]);
    expect(
      layoutSummary({ ...dec5, lists: { user: [], staff: [] } } as never)
        .cells.map((r) => String(r[0]))
        .filter((t) => /^(※3|　R7-)/.test(t)),
    ).toEqual([
      '※3 12月5日時点の集計は変更履歴から再現しており、次の訂正をその効力日から反映しています。',
      '　R7-U03 保護課：段階 ②→①（12月3日付、12月10日記録）理由：別の課題の協議を誤って記録',
    ]);
    // Today's tab is the register itself: no replay, no footnote.
    expect(summary(rt).progress.user).toEqual(SEED.user);
    expect(footnotes()).toEqual([]);
  });
});
