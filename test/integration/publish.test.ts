// Publishing a report (確定): a dated sheet that stays as reported, the figures kept in a sealed
// history row, and every later change with an earlier 効力日 listed against it.
import { describe, expect, it } from 'vitest';
import { call, edit, OUTSIDER, OWNER, ok, PT, sampleRuntime, sheetValues } from '../helpers';

type Counts = Record<string, number>;
type Change = {
  id: string;
  department: string;
  field: string;
  from: string;
  to: string;
  effective: string;
  recordedAt: string;
  who: string;
  reason: string;
};
type View = {
  view: 'shared' | 'personal';
  asOf: string;
  fiscalYear: number;
  warnings: string[];
  progress: Record<'user' | 'staff' | 'total', Counts>;
  published: null | { sheet: string; publishedAt: string; by: string; progress: Record<string, Counts> };
  changesSincePublished: Change[];
};

const SEED_STAFF = { '1': 5, '2': 12, '3': 0, '4': 0, total: 17 };
const DAY = 24 * 3600_000;

/** The sample on 11/25; published on 11/28 (three days later, 10:00 Tokyo). */
function published() {
  const rt = sampleRuntime();
  rt.advance(3 * DAY - 5 * 3600_000);
  const r = ok(call<{ sheet: string }>(rt, 'apiPublishReport', { asOf: 'R7.11.25' }, OWNER));
  return { rt, sheet: r.sheet };
}

const view = (rt: ReturnType<typeof sampleRuntime>, payload: Record<string, unknown>) =>
  ok(call<View>(rt, 'apiRebuildSummary', payload, OWNER));

function consultBackdated(rt: ReturnType<typeof sampleRuntime>) {
  const version = ok(call<{ version: string }>(rt, 'apiGetProposal', { id: 'R7-S02' })).version;
  ok(
    call(rt, 'apiRecordConsultation', {
      id: 'R7-S02',
      version,
      department: '契約課',
      date: '2025-11-20',
      summary: '押印廃止の範囲を協議',
    }),
  );
}

describe('publishing a report (確定)', () => {
  it('writes 報告 R7.11.25 with the seed’s figures, protected warning-only, and records it', () => {
    const { rt, sheet } = published();
    expect(sheet).toBe('報告 R7.11.25');
    const cells = sheetValues(rt, sheet);
    expect(cells[0]![0]).toBe('プラチナ市役所プロジェクト 令和7年度 課題提案の進捗状況（11月25日時点）');
    expect(cells.find((r) => r[0] === '職員の困りごと' && r[5])).toEqual([
      '職員の困りごと',
      '5件',
      '12件',
      '0件',
      '0件',
      '17件',
    ]);
    // The two lists and the chart, as on 集計.
    expect(cells.filter((r) => /^\(\d\)『/.test(r[0]!)).length).toBe(2);
    expect(cells.flat()).toContain('生活保護のオンライン申請等');
    expect(rt.workbook.sheet(sheet)!.charts.length).toBe(1);
    expect(cells.at(-1)![0]).toMatch(/^確定：令和7年11月28日 10:00\(日本時間\) secretariat@example\.jp/);
    const protection = rt.workbook.sheet(sheet)!.protections.find((p) => p.range === null);
    expect(protection).toMatchObject({ warningOnly: true });
    const history = sheetValues(rt, '変更履歴');
    const row = history.find((r) => r[6] === '報告確定')!;
    expect(row.slice(0, 4)).toEqual(['2025-11-28 10:00:00', '2025-11-25', OWNER, 'サイドバー']);
    expect(row[9]).toContain('報告 R7.11.25');
  });

  it('publishing the same day again makes a new version beside it, never overwriting', () => {
    const { rt, sheet } = published();
    const first = sheetValues(rt, sheet);
    const again = ok(call<{ sheet: string }>(rt, 'apiPublishReport', { asOf: '2025-11-25' }, OWNER));
    expect(again.sheet).toBe('報告 R7.11.25 (2)');
    expect(sheetValues(rt, sheet)).toEqual(first);
    expect(ok(call<{ sheet: string }>(rt, 'apiPublishReport', { asOf: '2025-11-25' }, OWNER)).sheet).toBe(
      '報告 R7.11.25 (3)',
    );
  });

  it('is the secretariat’s: a PT member and an outsider are refused, and nothing is written', () => {
    const rt = sampleRuntime();
    const sheets = rt.workbook.sheets.map((s) => s.name);
    expect(call(rt, 'apiPublishReport', { asOf: '2025-11-25' }, PT)).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: expect.stringContaining('事務局'),
    });
    expect(call(rt, 'apiPublishReport', { asOf: '2025-11-25' }, OUTSIDER)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(call(rt, 'apiPublishReport', { asOf: '2025-11-26' }, OWNER)).toMatchObject({
      ok: false,
      fieldErrors: { asOf: expect.stringContaining('時点') },
    });
    expect(rt.workbook.sheets.map((s) => s.name)).toEqual(sheets);
    expect(sheetValues(rt, '変更履歴').some((r) => r[6] === '報告確定')).toBe(false);
  });

  it('a backdated consultation afterwards leaves the report unchanged and is listed against it', () => {
    const { rt, sheet } = published();
    const before = sheetValues(rt, sheet);
    rt.advance(3600_000);
    consultBackdated(rt);
    expect(sheetValues(rt, sheet)).toEqual(before);
    const v = view(rt, { asOf: '2025-11-25' });
    expect(v.view).toBe('personal');
    // The replay now counts the consultation; the report stays as published.
    expect(v.progress.staff).toEqual({ '1': 4, '2': 13, '3': 0, '4': 0, total: 17 });
    expect(v.published).toMatchObject({ sheet: '報告 R7.11.25', by: OWNER, progress: { staff: SEED_STAFF } });
    expect(v.changesSincePublished).toEqual([
      {
        id: 'R7-S02',
        department: '契約課',
        field: '段階',
        from: '①',
        to: '②',
        effective: '2025-11-20',
        recordedAt: expect.stringMatching(/^2025-11-28 11:00:\d\d$/),
        who: PT,
        reason: '',
      },
    ]);
    // 集計 (today) footnotes it too, once the sidebar's call after the save has brought it up to date.
    ok(call(rt, 'apiRefreshSummary', undefined, PT));
    const footnotes = sheetValues(rt, '集計')
      .map((r) => r[0]!)
      .filter((t) => t.startsWith('※ 11/25') || t.startsWith('　R7-S02'));
    expect(footnotes).toEqual([
      '※ 11/25時点の報告後に訂正 1件（確定した報告「報告 R7.11.25」は変わりません）',
      '　R7-S02 契約課：段階 ①→②（11月20日付、11月28日 11:00記録、pt.tanaka@example.jp）',
    ]);
    // A change dated after the report's day is not a correction of it.
    const later = view(rt, { asOf: '2025-11-28' });
    expect(later.published).toBeNull();
  });

  it('the figures come from the sealed history row, not from the sheet people can edit', () => {
    const { rt, sheet } = published();
    const model = rt.workbook.sheet(sheet)!;
    const r = sheetValues(rt, sheet).findIndex((row) => row[0] === '職員の困りごと' && row[5]);
    model.cells[r]![1] = { v: 99 };
    expect(sheetValues(rt, sheet)[r]![1]).toBe('99');
    expect(view(rt, { asOf: '2025-11-25' }).published!.progress.staff).toEqual(SEED_STAFF);
    // A 報告確定 row copied in 変更履歴 by hand, its figures changed, is no publication.
    const history = rt.workbook.sheet('変更履歴')!;
    const real = history.cells.find((row) => row?.[6]?.v === '報告確定')!;
    const forged = structuredClone(real);
    forged[8] = { v: String(real[8]!.v).replaceAll('報告 R7.11.25', '偽の報告').replace('"1":5', '"1":0') };
    history.cells[history.lastRow()] = forged;
    const v = ok(
      call<{ reported: { sheet: string }[] }>(rt, 'apiRebuildSummary', { asOf: '2025-11-25' }, OWNER),
    );
    expect(v.reported.map((x) => x.sheet)).toEqual(['報告 R7.11.25']);
  });
});

describe('views: 集計 is today’s, other days and 年度 are the viewer’s own', () => {
  it('an as-of view or another 年度 returns its figures and leaves 集計 as it was', () => {
    const rt = sampleRuntime({ now: '2025-12-10T10:00:00+09:00' });
    view(rt, {});
    const shared = sheetValues(rt, '集計');
    const oct = view(rt, { asOf: '2025-10-01' });
    expect(oct.view).toBe('personal');
    expect(oct.progress.total.total).toBeLessThan(34);
    const next = view(rt, { fiscalYear: 2026 });
    expect(next.view).toBe('personal');
    expect(next.progress.total.total).toBe(0);
    expect(sheetValues(rt, '集計')).toEqual(shared);
    expect(view(rt, {}).view).toBe('shared');
  });

  it('a day outside the chosen 年度 is warned about, and its caption takes the year from the day', () => {
    const rt = sampleRuntime({ now: '2026-12-01T10:00:00+09:00' });
    const v = view(rt, { asOf: '2026-12-01', fiscalYear: 2025 });
    expect(v.warnings).toEqual([expect.stringMatching(/^時点\(令和8年12月1日\)は令和7年度/)]);
    expect(view(rt, { asOf: '2025-11-25', fiscalYear: 2025 }).warnings).toEqual([]);
  });
});

describe('a published sheet edited by hand', () => {
  it('a typed cell is put back with a note; the report stays as published', () => {
    const { rt, sheet } = published();
    const r = sheetValues(rt, sheet).findIndex((row) => row[0] === '職員の困りごと' && row[5]) + 1;
    const before = sheetValues(rt, sheet);
    edit(rt, `${sheet}!B${r}`, '99', PT);
    expect(sheetValues(rt, sheet)).toEqual(before);
    expect(rt.workbook.sheet(sheet)!.cells[r - 1]![1]).toMatchObject({
      v: 5,
      note: expect.stringContaining('手での変更'),
    });
  });
});
