// What users wait for (issue #19), asserted as calls and round trips, never as times: the
// 10-minute run with nothing to do, and 集計 after a sidebar save.
import { describe, expect, it } from 'vitest';
import { call, edit, OWNER, ok, registerProps, sampleRuntime, sheetValues, tick } from '../helpers';

const version = (rt: ReturnType<typeof sampleRuntime>, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id }, OWNER)).version;

describe('the 10-minute run', () => {
  it('with nothing pending reads no cell and makes no more than one properties read', () => {
    const rt = sampleRuntime();
    tick(rt);
    tick(rt);
    rt.calls.clear();
    tick(rt);
    expect(rt.lastExecution).toMatchObject({
      outcome: 'ok',
      readRoundTrips: 0,
      cellsRead: 0,
      cellsWritten: 0,
    });
    expect(rt.calls.get('Properties.getProperties')).toBe(1);
    expect(rt.calls.get('ScriptApp.getProjectTriggers')).toBeUndefined();
  });

  it('with a dirty summary still rebuilds it, and is idle again after', () => {
    const rt = sampleRuntime();
    tick(rt);
    registerProps(rt).SUMMARY_DIRTY = '1';
    rt.workbook.sheet('集計')!.ensure(0, 0).v = '（印）';
    tick(rt);
    expect(rt.workbook.sheet('集計')!.cell(0, 0)?.v).toMatch(/課題提案の進捗状況/);
    tick(rt);
    expect(rt.lastExecution!.readRoundTrips).toBe(0);
  });
});

describe('集計 after a sidebar save', () => {
  it('is marked by the save, which reads the proposal’s rows, and brought up to date by the sidebar’s next call', () => {
    const rt = sampleRuntime();
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    const before = sheetValues(rt, '集計');
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        department: '保護課',
        stage: '②',
      }),
    );
    // 課題一覧 and 所管課別進捗 are not read whole: their key columns and R7-U03's rows only.
    const cellsRead = rt.lastExecution!.cellsRead;
    expect(registerProps(rt).SUMMARY_DIRTY).toBe('1');
    expect(sheetValues(rt, '集計')).toEqual(before);
    expect(ok(call(rt, 'apiRefreshSummary', undefined, OWNER))).toEqual({ refreshed: true });
    expect(sheetValues(rt, '集計')).not.toEqual(before);
    const refreshed = sheetValues(rt, '集計');
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    expect(sheetValues(rt, '集計')).toEqual(refreshed);
    // Nothing marked: the call reads nothing more than the properties.
    expect(ok(call(rt, 'apiRefreshSummary', undefined, OWNER))).toEqual({ refreshed: false });
    expect(rt.lastExecution!.readRoundTrips).toBe(0);

    const csv = [
      '種別,場面・分類,困りごと,課題(提案)名,所管課,進捗,提示日,協議日',
      ...Array.from(
        { length: 20 },
        (_, i) => `職員の困りごと,業務効率に関すること,困りごと${i},課題${i},人事課,①,2025-10-01,`,
      ),
    ].join('\n');
    ok(call(rt, 'apiImportCsv', { csv }, OWNER));
    ok(
      call(
        rt,
        'apiSetDepartmentStage',
        {
          id: 'R7-U03',
          version: version(rt, 'R7-U03'),
          department: '保護課',
          stage: '①',
          reason: '戻す',
        },
        OWNER,
      ),
    );
    expect(rt.lastExecution!.outcome).toBe('ok');
    // Four cells more per proposal, its ID cells: in 課題一覧, in 所管課別進捗 (its one row), and in
    // 台帳状態 (its two rows). No whole row of another proposal. And one cell more in the last look
    // before writing: the 協議日 it clears holds the day the first change wrote (the API leaves an
    // empty cell at a row's end out).
    expect(rt.lastExecution!.cellsRead - cellsRead).toBe(20 * 4 + 1);
  });

  it('is brought up to date by the 10-minute run when the sidebar did not', () => {
    const rt = sampleRuntime();
    tick(rt);
    const before = sheetValues(rt, '集計');
    ok(
      call(rt, 'apiRecordJudgment', {
        id: 'R7-U07',
        version: version(rt, 'R7-U07'),
        judgment: '検討終了',
        endReason: '解決が望めない',
      }),
    );
    expect(sheetValues(rt, '集計')).toEqual(before);
    tick(rt);
    expect(sheetValues(rt, '集計').flat()).toContain('解決が望めない');
  });

  it('refuses someone with no role in 設定', () => {
    const rt = sampleRuntime();
    registerProps(rt).SUMMARY_DIRTY = '1';
    const r = call(rt, 'apiRefreshSummary', undefined, 'stranger@example.jp');
    expect(r).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('writes values only: no clear, no chart removed or inserted, and the same cells as a full rebuild', () => {
    const rt = sampleRuntime();
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    const chart = structuredClone(rt.workbook.sheet('集計')!.charts);
    rt.calls.clear();
    ok(
      call(rt, 'apiUpdateProposal', { id: 'R7-U02', version: version(rt, 'R7-U02'), fields: { notes: 'x' } }),
    );
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        department: '保護課',
        stage: '②',
      }),
    );
    ok(call(rt, 'apiRefreshSummary', undefined, OWNER));
    for (const m of ['Sheet.clear', 'Sheet.removeChart', 'Sheet.insertChart', 'Range.setWrap'])
      expect(rt.calls.get(m), m).toBeUndefined();
    expect(rt.workbook.sheet('集計')!.charts).toEqual(chart);
    const afterSave = sheetValues(rt, '集計');
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    expect(sheetValues(rt, '集計')).toEqual(afterSave);
  });

  it('lays the tab out again when its shape changes (a new proposal), chart included', () => {
    const rt = sampleRuntime();
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    ok(
      call(rt, 'apiCreateProposal', {
        kind: '職員の困りごと',
        painPoint: '新しい困りごと',
        category: '両方',
        title: '新しい課題',
        departments: ['人事課'],
      }),
    );
    const afterCreate = sheetValues(rt, '集計');
    expect(afterCreate.some((r) => r.includes('新しい課題'))).toBe(true);
    expect(rt.workbook.sheet('集計')!.charts).toHaveLength(1);
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    expect(sheetValues(rt, '集計')).toEqual(afterCreate);
  });
});

describe('a hand edit', () => {
  it('reads as many cells however long 変更履歴 grows', () => {
    const rt = sampleRuntime();
    const row = sheetValues(rt, '課題一覧').findIndex((r) => r[0] === 'R7-U02') + 1;
    const typed = (text: string) => {
      const from = rt.executions.length;
      edit(rt, `課題一覧!O${row}`, text, OWNER);
      const run = rt.executions.slice(from).find((r) => r.fn === 'onEditInstalled')!;
      expect(run.outcome).toBe('ok');
      return run.cellsRead;
    };
    rt.advance(120_000);
    const before = typed('手で一回目');
    const historyBefore = rt.workbook.sheet('変更履歴')!.lastRow();
    for (let i = 0; i < 30; i++)
      ok(
        call(rt, 'apiUpdateProposal', {
          id: 'R7-U05',
          version: version(rt, 'R7-U05'),
          fields: { notes: `n${i}` },
        }),
      );
    expect(rt.workbook.sheet('変更履歴')!.lastRow()).toBeGreaterThanOrEqual(historyBefore + 30);
    rt.advance(120_000);
    expect(typed('手で二回目')).toBe(before);
  });
});

describe('集計 after rows were inserted or deleted in it', () => {
  it('is written whole again, so no row is left where it moved', () => {
    const rt = sampleRuntime();
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    const whole = sheetValues(rt, '集計');
    const tab = rt.workbook.sheet('集計')!;
    // A person deletes a row in the middle of the lists (the chart's table above stays put).
    tab.cells.splice(40, 1);
    tab.maxRows -= 1;
    rt.calls.clear();
    ok(
      call(rt, 'apiUpdateProposal', { id: 'R7-U02', version: version(rt, 'R7-U02'), fields: { notes: 'y' } }),
    );
    ok(call(rt, 'apiRefreshSummary', undefined, OWNER));
    expect(rt.calls.get('Sheet.clear')).toBe(1);
    expect(sheetValues(rt, '集計')).toEqual(whole);
  });
});
