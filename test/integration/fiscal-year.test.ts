// Starting a new 年度 in the same register (issue #20, "Across 年度"): 設定's 年度 moves on, new
// proposals get R8- IDs, every open R7 proposal is carried over (継続検討) and counted apart in
// 集計, and the R7 replay as of 11/25 still gives the seed's figures.
import { describe, expect, it } from 'vitest';
import {
  call,
  edit,
  expectHistorySealed,
  newProposal,
  OWNER,
  ok,
  PT,
  records,
  registerProps,
  sampleRuntime,
} from '../helpers';

const DAY = 24 * 3600_000;
type Counts = Record<string, number>;
type View = {
  view: string;
  fiscalYear: number;
  byKind: Counts;
  progress: Record<'user' | 'staff' | 'total', Counts>;
  carriedOver?: {
    fromFiscalYear: number;
    label: string;
    total: number;
    byJudgment: Counts;
    byStatus: Counts;
    ids: string[];
    rows: { id: string; judgment: string; implementation: string }[];
  };
};

const version = (rt: ReturnType<typeof sampleRuntime>, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;

/** The sample, 100 days after 11/25, with 検討継続 on three proposals at ② (one also 予算化検討中). */
function judged() {
  const rt = sampleRuntime();
  rt.advance(100 * DAY);
  const atTwo = records(rt, '課題一覧')
    .filter((r) => r.進捗 === '②')
    .map((r) => r.ID!);
  const judgedIds = [atTwo[0]!, atTwo[5]!, atTwo[20]!];
  for (const id of judgedIds)
    ok(call(rt, 'apiRecordJudgment', { id, version: version(rt, id), judgment: '検討継続' }));
  ok(
    call(rt, 'apiUpdateProposal', {
      id: judgedIds[0],
      version: version(rt, judgedIds[0]!),
      fields: { implementation: '予算化検討中' },
    }),
  );
  return { rt, judgedIds };
}

const SEED = {
  user: { '1': 5, '2': 11, '3': 0, '4': 1, total: 17 },
  staff: { '1': 5, '2': 12, '3': 0, '4': 0, total: 17 },
};

describe('starting a 年度 (継続検討)', () => {
  it('moves 設定 on, carries the open R7 proposals over with history, issues R8 IDs, counts them apart', () => {
    const { rt, judgedIds } = judged();
    const before = records(rt, '課題一覧');
    const done = before.filter((r) => r.進捗 === '④').map((r) => r.ID);
    expect(done).toHaveLength(1);

    const started = ok(
      call<{ carriedOver: number; ids: string[] }>(rt, 'apiStartFiscalYear', { fiscalYear: 2026 }, OWNER),
    );
    expect(started.carriedOver).toBe(33);
    expect(started.ids).not.toContain(done[0]);

    // Nothing deleted or renumbered; 設定's 年度 moved on.
    expect(records(rt, '課題一覧').map((r) => [r.ID, r.年度])).toEqual(before.map((r) => [r.ID, r.年度]));
    expect(records(rt, '設定').find((r) => r.項目 === '年度')?.値).toBe('令和8年度');
    const history = records(rt, '変更履歴');
    const carried = history.filter((h) => h.項目 === '継続検討');
    expect(carried.map((h) => h.ID).sort()).toEqual([...started.ids].sort());
    expect(carried.every((h) => h.旧値 === '令和7年度' && h.新値 === '令和8年度')).toBe(true);
    expect(history.filter((h) => h.項目 === '設定:年度')).toMatchObject([
      { 旧値: '令和7年度', 新値: '令和8年度', 利用者: OWNER },
    ]);
    expectHistorySealed(rt, 'after the start');

    // New proposals take the new year's IDs.
    expect(newProposal(rt)).toBe('R8-U01');
    expect(
      newProposal(rt, { kind: '職員の困りごと', category: '業務効率に関すること', perspective: '' }),
    ).toBe('R8-S01');

    // 集計 for 令和8年度: its own two proposals in the tables, the 33 carried over apart.
    const r8 = ok(call<View>(rt, 'apiRebuildSummary', { fiscalYear: 2026 }, OWNER));
    expect(r8.view).toBe('shared');
    expect(r8.byKind).toEqual({ user: 1, staff: 1, total: 2 });
    expect(r8.carriedOver).toMatchObject({
      fromFiscalYear: 2025,
      label: 'R7継続検討',
      total: 33,
      byJudgment: { 検討継続: 3, 未判断: 30, 検討終了: 0 },
      byStatus: { 予算化検討中: 1, 未設定: 32, 未着手: 0, 実施中: 0, 完了: 0 },
    });
    expect(r8.carriedOver!.ids).toEqual(expect.arrayContaining(judgedIds));
    const tab = records(rt, '集計')
      .flatMap((r) => Object.values(r))
      .join(' ');
    expect(tab).toContain('R7継続検討');

    // R7 as of 11/25 is replayed exactly as before; today's R7 view has no carry-over of its own.
    const r7 = ok(call<View>(rt, 'apiRebuildSummary', { fiscalYear: 2025, asOf: '2025-11-25' }, OWNER));
    expect(r7.progress.user).toEqual(SEED.user);
    expect(r7.progress.staff).toEqual(SEED.staff);
    expect(r7.carriedOver).toBeUndefined();

    // A later view of 令和8年度 as of a past day replays the carry-over by its 効力日 (the start).
    rt.advance(30 * DAY);
    const asOf = (day: string) =>
      ok(call<View>(rt, 'apiRebuildSummary', { fiscalYear: 2026, asOf: day }, OWNER)).carriedOver;
    expect(asOf('2026-03-04')).toMatchObject({ total: 0, ids: [] });
    expect(asOf('2026-03-05')).toMatchObject({ total: 33, byJudgment: { 検討継続: 3, 未判断: 30 } });
    // Today's 集計 reads only the rows the index names; an index pointing elsewhere reads all.
    const props = registerProps(rt);
    const index = JSON.parse(props['FISCAL_YEAR_STARTED:2026']!) as { row: number; count: number };
    expect(index.count).toBe(33);
    expect(records(rt, '変更履歴')[index.row - 2]).toMatchObject({ 項目: '継続検討' });
    props['FISCAL_YEAR_STARTED:2026'] = JSON.stringify({ ...index, row: 2 });
    const again = ok(call<View>(rt, 'apiRebuildSummary', { fiscalYear: 2026 }, OWNER)).carriedOver!;
    expect(again.total).toBe(33);
  });

  it('is refused for a PT member, for a year that is not the next one, and a second time', () => {
    const { rt } = judged();
    expect(call(rt, 'apiStartFiscalYear', { fiscalYear: 2026 }, PT)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(call(rt, 'apiStartFiscalYear', { fiscalYear: 2027 }, OWNER)).toMatchObject({
      ok: false,
      fieldErrors: { fiscalYear: expect.stringContaining('令和8年度') },
    });
    expect(call(rt, 'apiStartFiscalYear', { fiscalYear: 2024 }, OWNER)).toMatchObject({
      ok: false,
      fieldErrors: { fiscalYear: expect.stringContaining('過去の年度') },
    });
    expect(call(rt, 'apiStartFiscalYear', { fiscalYear: '2026' }, OWNER)).toMatchObject({
      ok: false,
      fieldErrors: { fiscalYear: expect.stringContaining('年度') },
    });
    const historyBefore = records(rt, '変更履歴').length;
    expect(records(rt, '設定').find((r) => r.項目 === '年度')?.値).toBe('令和7年度');
    ok(call(rt, 'apiStartFiscalYear', { fiscalYear: 2026 }, OWNER));
    expect(records(rt, '変更履歴').length).toBe(historyBefore + 1 + 33);
    expect(call(rt, 'apiStartFiscalYear', { fiscalYear: 2026 }, OWNER)).toMatchObject({
      ok: false,
      fieldErrors: { fiscalYear: expect.stringContaining('すでに始まっています') },
    });
    expect(records(rt, '変更履歴').length).toBe(historyBefore + 1 + 33);
  });

  it('after a start, 設定 年度 typed by hand (even by the secretariat) is put back and reported', () => {
    const { rt } = judged();
    const settings = () => records(rt, '設定');
    const ref = () => {
      const header = Object.keys(settings()[0]!);
      const col = String.fromCharCode(65 + header.indexOf('値'));
      return `設定!${col}${settings().findIndex((r) => r.項目 === '年度') + 2}`;
    };
    // Before any start the cell stays people's to edit, as before.
    edit(rt, ref(), '令和7年度', PT);
    ok(call(rt, 'apiStartFiscalYear', { fiscalYear: 2026 }, OWNER));
    for (const who of [PT, OWNER]) {
      edit(rt, ref(), '令和9年度', who);
      expect(settings().find((r) => r.項目 === '年度')?.値).toBe('令和8年度');
    }
    expect(newProposal(rt)).toBe('R8-U01');
    expect(rt.state.outbox.some((m) => m.body.includes('設定「年度」'))).toBe(true);
  });
});
