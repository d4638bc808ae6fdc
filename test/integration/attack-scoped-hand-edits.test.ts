// Attacks on the scoped check of a hand edit (server/hand-edit-scope.ts): a typed cell or pasted
// block judged from the rows it touched, the whole check (server/hand-edits.ts openWholeCheck)
// taken only when keys, unknown rows or a mismatched store call for it. The yardstick is the whole
// check itself: each scenario runs on two copies of the same register, one with the Sheets API
// (the scoped check, or its fallback) and one without it (the whole check always), and the
// decisions must be the same. Careless editors first, then hostile ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeInto } from '../../local/runtime/people';
import type { Runtime } from '../../local/runtime/runtime';
import { SheetsValues } from '../../local/runtime/sheets-api';
import { xorSeal } from '../../src/domain/seal';
import {
  call,
  cellAt,
  cellRef,
  edit,
  expectHistorySealed,
  OUTSIDER,
  OWNER,
  ok,
  PT,
  records,
  registerProps,
  sampleRuntime,
  sheetValues,
  tick,
} from '../helpers';
import { REGISTER_SHEETS, snapshot, twins, version as versionAs } from './twins';

// Every range the Sheets API was asked for: tells the scoped check (台帳状態's ID and seal columns)
// from the whole check (台帳状態 read from A1).
const ranges: string[] = [];
const realBatchGet = SheetsValues.prototype.batchGet;
beforeAll(() => {
  SheetsValues.prototype.batchGet = function (this: SheetsValues, id: string, args?: { ranges?: unknown }) {
    const asked = args?.ranges;
    for (const r of Array.isArray(asked) ? asked : asked === undefined ? [] : [asked]) ranges.push(String(r));
    return realBatchGet.call(this, id, args as never);
  };
});
afterAll(() => {
  SheetsValues.prototype.batchGet = realBatchGet;
});

/** Which check a hand edit ran: 'whole' when 台帳状態 was read whole, 'scoped' when only its columns. */
function checkOf(run: () => void): 'whole' | 'scoped' | 'none' {
  ranges.length = 0;
  run();
  if (ranges.some((r) => r.startsWith("'台帳状態'!A1:"))) return 'whole';
  return ranges.some((r) => r.startsWith("'台帳状態'!B2:")) ? 'scoped' : 'none';
}

/** The tables people see and the history (台帳状態 left out: a rebuild may write it in another order). */
const VISIBLE = ['課題一覧', '所管課別進捗', '変更履歴'];

/** Runs `scenario` on both twins; the API twin's check is returned for the caller to hold. */
function sameAsWhole(scenario: (rt: Runtime) => void, sheets = REGISTER_SHEETS) {
  const [api, old] = twins();
  const check = checkOf(() => scenario(api));
  scenario(old);
  expect(snapshot(api, sheets)).toEqual(snapshot(old, sheets));
  expectHistorySealed(api);
  return { api, old, check };
}

const version = (rt: Runtime, id: string) => versionAs(rt, id, OWNER);
const colOf = (rt: Runtime, sheet: string, header: string) => {
  const model = rt.workbook.sheet(sheet)!;
  return Array.from({ length: model.lastColumn() }, (_, c) => model.cell(0, c)?.v).indexOf(header);
};
/** 0-based row of (ID[, 所管課]) in a table sheet. */
const rowOf = (rt: Runtime, sheet: string, id: string, department?: string) => {
  const model = rt.workbook.sheet(sheet)!;
  const idCol = colOf(rt, sheet, 'ID');
  const deptCol = colOf(rt, sheet, '所管課');
  for (let r = 1; r < model.lastRow(); r++)
    if (
      model.cell(r, idCol)?.v === id &&
      (department === undefined || model.cell(r, deptCol)?.v === department)
    )
      return r;
  throw new Error(`no ${id} ${department ?? ''}`);
};
const history = (rt: Runtime, id: string) => records(rt, '変更履歴').filter((h) => h.ID === id);
const proposal = (rt: Runtime, id: string) => records(rt, '課題一覧').find((r) => r.ID === id)!;
const progressRow = (rt: Runtime, id: string, dept: string) =>
  records(rt, '所管課別進捗').find((r) => r.ID === id && r.所管課 === dept);
const reported = (rt: Runtime, words: string) =>
  rt.state.outbox.some((m) => m.to === OWNER && m.body.includes(words));

// 台帳状態: 種類, ID, 所管課, 値1..値14, 封印 (column R).
const STORE = '台帳状態';
const SEAL = 17;
const store = (rt: Runtime) => rt.workbook.sheet(STORE)!;
/** 0-based row of a stored record: kind 課題 (proposal) or 所管課別 (department). */
function storeRow(rt: Runtime, id: string, department = '') {
  const s = store(rt);
  for (let r = 1; r < s.lastRow(); r++)
    if (s.cell(r, 1)?.v === id && String(s.cell(r, 2)?.v ?? '') === department) return r;
  throw new Error(`no stored ${id} ${department}`);
}
const storeCells = (rt: Runtime, row: number) => structuredClone(store(rt).cells[row]!);
const sealAt = (rt: Runtime, row: number) => String(store(rt).cell(row, SEAL)?.v ?? '');

describe('a careless editor', () => {
  it('types 備考 into a proposal: the scoped check records it as the whole check does', () => {
    const { api, check } = sameAsWhole((rt) =>
      edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U10'), '土日のみ'),
    );
    expect(check).toBe('scoped');
    expect(proposal(api, 'R7-U10').備考).toBe('土日のみ');
  });

  it('types into a blank row below the table: the whole check notes it (no ID), as without the API', () => {
    let ref = '';
    const { api, check } = sameAsWhole((rt) => {
      ref = `課題一覧!O${rt.workbook.sheet('課題一覧')!.lastRow() + 2}`;
      typeInto(rt, ref, [['行のないメモ']], { user: PT });
    });
    expect(check).toBe('whole');
    expect(cellAt(api, ref).note).toContain('この行にはIDがありません');
    expect(records(api, '変更履歴').some((h) => h.新値 === '行のないメモ')).toBe(false);
  });

  it('pastes 備考 over two proposals: both recorded, one history row each, as the whole check does', () => {
    const { api, check } = sameAsWhole((rt) => {
      const at = cellRef(rt, '課題一覧', '備考', 'R7-U10');
      typeInto(rt, at, [['一つ目'], ['二つ目']], { user: PT });
    });
    expect(check).toBe('scoped');
    expect([proposal(api, 'R7-U10').備考, proposal(api, 'R7-U11').備考]).toEqual(['一つ目', '二つ目']);
  });

  it('pastes a block from the last proposal down into empty rows: the whole check, same decision', () => {
    const { check } = sameAsWhole((rt) => {
      const last = rt.workbook.sheet('課題一覧')!.lastRow();
      typeInto(rt, `課題一覧!O${last}`, [['最後の行'], ['空の行'], ['もう一つ']], { user: PT });
    });
    expect(check).toBe('whole');
  });

  it('types into the display columns 所管課 and 進捗 of 課題一覧: put back as the whole check does', () => {
    const { api, check } = sameAsWhole((rt) => {
      edit(rt, cellRef(rt, '課題一覧', '進捗', 'R7-U03'), '④');
      edit(rt, cellRef(rt, '課題一覧', '所管課', 'R7-U03'), '総務課(④)');
    });
    expect(check).toBe('scoped');
    expect(proposal(api, 'R7-U03')).toMatchObject({ 進捗: '①', 所管課: '保護課(①)、デジタル推進課(未提示)' });
  });

  it('a person without a role types into a proposal: put back on the scoped check, as the whole check does', () => {
    const { api, check } = sameAsWhole((rt) =>
      edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U10'), '部外者', OUTSIDER),
    );
    expect(check).toBe('scoped');
    expect(proposal(api, 'R7-U10').備考).toBe('');
  });

  it('types a stage the transitions refuse (② → ①, and 未提示 → ③): put back, as the whole check does', () => {
    const { api, check } = sameAsWhole((rt) => {
      edit(rt, cellRef(rt, '所管課別進捗', '段階', 'R7-U10', '庁舎管理課'), '①');
      edit(rt, cellRef(rt, '所管課別進捗', '段階', 'R7-U03', 'デジタル推進課'), '③');
    });
    expect(check).toBe('scoped');
    expect(progressRow(api, 'R7-U10', '庁舎管理課')!.段階).toBe('②');
    expect(progressRow(api, 'R7-U03', 'デジタル推進課')!.段階).toBe('未提示');
  });

  it('types into the second copy of a row pasted without a trigger: the whole check clears the copy', () => {
    const { api, check } = sameAsWhole((rt) => {
      const sheet = rt.workbook.sheet('課題一覧')!;
      const below = sheet.lastRow();
      sheet.cells[below] = structuredClone(sheet.cells[rowOf(rt, '課題一覧', 'R7-U10')]!);
      typeInto(rt, `課題一覧!O${below + 1}`, [['写しへのメモ']], { user: PT });
    });
    expect(check).toBe('whole');
    expect(records(api, '課題一覧').filter((r) => r.ID === 'R7-U10')).toHaveLength(1);
    expect(history(api, 'R7-U10').some((h) => h.新値 === '写しへのメモ')).toBe(false);
  });

  it('types into the first copy of a duplicated row: the scoped check records it on that row only', () => {
    const [api] = twins();
    const sheet = api.workbook.sheet('課題一覧')!;
    const below = sheet.lastRow();
    sheet.cells[below] = structuredClone(sheet.cells[rowOf(api, '課題一覧', 'R7-U10')]!);
    const check = checkOf(() => edit(api, cellRef(api, '課題一覧', '備考', 'R7-U10'), '本物へのメモ'));
    expect(check).toBe('scoped');
    const rows = records(api, '課題一覧').filter((r) => r.ID === 'R7-U10');
    expect(rows.map((r) => r.備考)).toEqual(['本物へのメモ', '']);
    expect(history(api, 'R7-U10').filter((h) => h.新値 === '本物へのメモ')).toHaveLength(1);
    expectHistorySealed(api);
  });

  it('removes a department row without onChange, then types into the proposal: the whole check, same decision', () => {
    // An edit of 課題一覧 settles 課題一覧's rows only: the department row waits for onChange or the daily check.
    const { api, check } = sameAsWhole((rt) => {
      const sheet = rt.workbook.sheet('所管課別進捗')!;
      sheet.cells.splice(rowOf(rt, '所管課別進捗', 'R7-U07', '区政推進課'), 1);
      edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U07'), '窓口メモ');
    });
    expect(check).toBe('whole');
    expect(proposal(api, 'R7-U07').備考).toBe('窓口メモ');
  });

  it('removes a department row without onChange, then types into its other department: restored, as before', () => {
    const { api, check } = sameAsWhole((rt) => {
      const sheet = rt.workbook.sheet('所管課別進捗')!;
      sheet.cells.splice(rowOf(rt, '所管課別進捗', 'R7-U07', '区政推進課'), 1);
      edit(rt, cellRef(rt, '所管課別進捗', '段階', 'R7-U07', '市民課'), '①');
    });
    expect(check).toBe('whole');
    expect(progressRow(api, 'R7-U07', '区政推進課')).toMatchObject({ 段階: '②' });
    expect(progressRow(api, 'R7-U07', '市民課')).toMatchObject({ 段階: '④' });
  });

  /**
   * R7-U03's ID cell (row 4) retyped as R7-U10 with no check run (its onEdit deferred while the
   * lock was busy, or lost), then 備考 typed in that row. Row 4 is now the first row of R7-U10.
   */
  function idRetypedAbove(rt: Runtime) {
    rt.workbook.sheet('課題一覧')!.ensure(rowOf(rt, '課題一覧', 'R7-U03'), colOf(rt, '課題一覧', 'ID')).v =
      'R7-U10';
    typeInto(rt, `課題一覧!O${rowOf(rt, '課題一覧', 'R7-U10') + 1}`, [['保護のメモ']], { user: PT });
  }

  it('the whole check (yardstick): an ID retyped without a check is put back and the edit is R7-U03’s', () => {
    const old = twins()[1];
    idRetypedAbove(old);
    expect(proposal(old, 'R7-U03').備考).toBe('保護のメモ');
    expect(history(old, 'R7-U10')).toEqual(history(sampleRuntime(), 'R7-U10'));
  });

  it('an ID retyped without a check to an ID further down: the edit is not recorded on the wrong proposal', () => {
    const api = twins()[0];
    const before = history(api, 'R7-U10');
    idRetypedAbove(api);
    expect(history(api, 'R7-U10')).toEqual(before);
    expect(proposal(api, 'R7-U03').備考).toBe('保護のメモ');
  });

  /** (R7-U03, デジタル推進課) retyped as R7-U05 without a check (R7-U05 has デジタル推進課 further down), then ② typed. */
  function deptRowRetyped(rt: Runtime) {
    const r = rowOf(rt, '所管課別進捗', 'R7-U03', 'デジタル推進課');
    rt.workbook.sheet('所管課別進捗')!.ensure(r, colOf(rt, '所管課別進捗', 'ID')).v = 'R7-U05';
    typeInto(rt, `所管課別進捗!C${r + 1}`, [['②']], { user: PT });
  }

  it('the whole check (yardstick): a department row retyped as another proposal’s is put back, 未提示 → ② refused', () => {
    const old = twins()[1];
    deptRowRetyped(old);
    expect(progressRow(old, 'R7-U03', 'デジタル推進課')!.段階).toBe('未提示');
    expect(progressRow(old, 'R7-U05', 'デジタル推進課')!.段階).toBe('①');
    expect(history(old, 'R7-U05').filter((h) => h.経路 === '直接編集')).toEqual([]);
  });

  it('a department row retyped as another proposal’s without a check: no move recorded for that proposal', () => {
    const api = twins()[0];
    deptRowRetyped(api);
    expect(history(api, 'R7-U05').filter((h) => h.経路 === '直接編集')).toEqual([]);
    expect(progressRow(api, 'R7-U03', 'デジタル推進課')!.段階).toBe('未提示');
  });

  it('edits a proposal while a save’s journal is unfinished: the whole check finishes it first, as before', () => {
    const { api, check } = sameAsWhole((rt) => {
      const v = version(rt, 'R7-U01');
      rt.interleave('Properties.setProperties', () => rt.advance(6 * 60_000), 1);
      expect(() =>
        call(rt, 'apiUpdateProposal', { id: 'R7-U01', version: v, fields: { title: '新しい題' } }),
      ).toThrow('Exceeded maximum execution time');
      rt.clearInterleaves();
      expect(registerProps(rt).LEDGER_JOURNAL).toBeTruthy();
      edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U01'), '中断の後');
    }, VISIBLE);
    expect(check).toBe('whole');
    expect(registerProps(api).LEDGER_JOURNAL).toBe('');
    expect(proposal(api, 'R7-U01')).toMatchObject({ '課題(提案)名': '新しい題', 備考: '中断の後' });
  });

  it('集計 after scoped edits: rebuilt at once when due, else marked and rebuilt next run, as a full rebuild counts', () => {
    const [api] = twins();
    ok(call(api, 'apiRebuildSummary', {}, OWNER));
    const fresh = () => {
      const shown = sheetValues(api, '集計');
      ok(call(api, 'apiRebuildSummary', {}, OWNER));
      return [shown, sheetValues(api, '集計')];
    };
    api.advance(61_000);
    expect(checkOf(() => edit(api, cellRef(api, '所管課別進捗', '段階', 'R7-U03', '保護課'), '②'))).toBe(
      'scoped',
    );
    expect(registerProps(api).SUMMARY_DIRTY).toBe('');
    const [shown, rebuilt] = fresh();
    expect(shown).toEqual(rebuilt);
    // Within the minute: marked dirty, then the 10-minute run counts it.
    edit(api, cellRef(api, '所管課別進捗', '段階', 'R7-S02', '契約課'), '②');
    expect(registerProps(api).SUMMARY_DIRTY).toBe('1');
    tick(api);
    expect(registerProps(api).SUMMARY_DIRTY).toBe('');
    const [shown2, rebuilt2] = fresh();
    expect(shown2).toEqual(rebuilt2);
    expect(shown2).not.toEqual(shown);
  });
});

describe('a hostile editor of 台帳状態', () => {
  it('changes the edited proposal’s stored 備考, seal kept: the whole check rebuilds the store and reports', () => {
    const { api, check } = sameAsWhole((rt) => {
      const r = storeRow(rt, 'R7-U10');
      const s = store(rt);
      // 値1.. hold the proposal's fields: change one that is set (課題(提案)名).
      const title = (s.cells[r] ?? []).findIndex((x) => x?.v === '区役所駐車場の閉庁日開放について');
      s.ensure(r, title).v = '別の題';
      edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U10'), 'メモ');
    }, VISIBLE);
    expect(check).toBe('whole');
    expect(reported(api, '台帳状態シートが手で変更されています')).toBe(true);
    expect(proposal(api, 'R7-U10').備考).toBe('メモ');
  });

  it('blanks the seal of the edited proposal’s stored row: the whole check, same decision', () => {
    const { api, check } = sameAsWhole((rt) => {
      store(rt).ensure(storeRow(rt, 'R7-U10'), SEAL).v = '';
      edit(rt, cellRef(rt, '所管課別進捗', '段階', 'R7-U10', '庁舎管理課'), '①');
    }, VISIBLE);
    expect(check).toBe('whole');
    expect(progressRow(api, 'R7-U10', '庁舎管理課')!.段階).toBe('②');
  });

  it('copies the edited department’s stored row twice below: the whole check, same decision', () => {
    const { check } = sameAsWhole((rt) => {
      const s = store(rt);
      const row = storeCells(rt, storeRow(rt, 'R7-U10', '庁舎管理課'));
      const end = s.lastRow();
      s.cells[end] = structuredClone(row);
      s.cells[end + 1] = structuredClone(row);
      edit(rt, cellRef(rt, '所管課別進捗', '段階', 'R7-U10', '庁舎管理課'), '③');
    }, VISIBLE);
    expect(check).toBe('whole');
  });

  it('tampers another proposal’s stored row, then types: scoped (that row not used), same decision; the daily check reports it', () => {
    const { api, check } = sameAsWhole(
      (rt) => {
        const r = storeRow(rt, 'R7-U11');
        const s = store(rt);
        const title = (s.cells[r] ?? []).findIndex((x) => x?.v === '本庁案内図が分かりづらい');
        s.ensure(r, title).v = '書き換えた題';
        edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U10'), 'メモ');
      },
      ['課題一覧', '所管課別進捗'],
    );
    expect(check).toBe('scoped');
    expect(history(api, 'R7-U10').at(-1)).toMatchObject({ 項目: '備考', 新値: 'メモ' });
    // The tampered row is found by the next check that reads the store whole.
    edit(api, cellRef(api, '課題一覧', '備考', 'R7-U11'), 'メモ2');
    expect(reported(api, '台帳状態シートが手で変更されています')).toBe(true);
    expect(proposal(api, 'R7-U11')['課題(提案)名']).toBe('本庁案内図が分かりづらい');
  });

  /**
   * R7-U03 保護課 moved ① → ② from the sidebar; the editor had kept a copy of its stored row at ①
   * (version history, or a copy of the sheet) and pastes it back, then types ① into the stage:
   * a backward move only the secretariat may make, with a reason.
   */
  function olderVersionPastedBack(rt: Runtime, balance: boolean) {
    const before = storeCells(rt, storeRow(rt, 'R7-U03', '保護課'));
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        department: '保護課',
        stage: '②',
      }),
    );
    const r = storeRow(rt, 'R7-U03', '保護課');
    const current = sealAt(rt, r);
    store(rt).cells[r] = before;
    if (balance) {
      // The store's digest is the XOR of the seal column: another record's seal cell, changed by
      // the difference, keeps it as the head says (a seal is public: it is in the sheet).
      const other = storeRow(rt, 'R7-U11');
      const s = store(rt);
      s.ensure(other, SEAL).v = xorSeal(xorSeal(sealAt(rt, other), current), String(before[SEAL]!.v));
    }
    edit(rt, cellRef(rt, '所管課別進捗', '段階', 'R7-U03', '保護課'), '①');
  }

  // BUG (ledger.ts Ledger.rebuild): the store's digest shows the tampering, but the rebuild keeps every
  // row whose own seal verifies over verified history, so the older ① row wins and the typed ① stands.
  // (The same without the Sheets API: a bug of the whole check the scoped check falls back to.)
  it.fails('pastes an older sealed version of the edited record back: the typed backward move is put back', () => {
    const [api] = twins();
    const check = checkOf(() => olderVersionPastedBack(api, false));
    expect(check).toBe('whole');
    expect(progressRow(api, 'R7-U03', '保護課')!.段階).toBe('②');
  });

  // The store's digest is keyed (seal.ts digester): a seal cell changed to balance the plain XOR of
  // seals does not balance it, so the scoped check falls back and the whole check reports the
  // tampering. (What the whole check then accepts is the rebuild's bug above.)
  it('an older sealed version pasted back with the seals’ XOR balanced in another row: the whole check runs and reports it', () => {
    const [api] = twins();
    const check = checkOf(() => olderVersionPastedBack(api, true));
    expect(check).toBe('whole');
    expect(reported(api, '台帳状態シートが手で変更されています')).toBe(true);
  });

  /**
   * R7-U03's department デジタル推進課 (未提示) taken away: its stored row's ID cell pasted over (a
   * block of two cells: reported, not put back; its seal stays, so count and XOR are unchanged)
   * and its row in 所管課別進捗 removed with no check run (onChange lost). Then ② typed for 保護課.
   */
  function departmentHidden(rt: Runtime) {
    const r = storeRow(rt, 'R7-U03', 'デジタル推進課');
    typeInto(rt, `${STORE}!B${r + 1}`, [['R7-U03x', 'デジタル推進課']], { user: PT });
    rt.workbook.sheet('所管課別進捗')!.cells.splice(rowOf(rt, '所管課別進捗', 'R7-U03', 'デジタル推進課'), 1);
    edit(rt, cellRef(rt, '所管課別進捗', '段階', 'R7-U03', '保護課'), '②');
  }

  it('the whole check (yardstick): a department hidden that way is restored, and shown in 課題一覧', () => {
    const old = twins()[1];
    departmentHidden(old);
    expect(progressRow(old, 'R7-U03', 'デジタル推進課')).toMatchObject({ 段階: '未提示' });
    expect(proposal(old, 'R7-U03')).toMatchObject({ 所管課: '保護課(②)、デジタル推進課(未提示)', 進捗: '②' });
    expect(reported(old, '台帳状態シートが手で変更されています')).toBe(true);
  });

  // The keyed digest binds each seal to its row's ID cell: the pasted-over ID changes it, so the
  // scoped check falls back to the whole check, which restores the department and reports.
  it('a department hidden by its stored ID cell and a row removed without onChange: restored as the whole check does', () => {
    const api = twins()[0];
    departmentHidden(api);
    expect(progressRow(api, 'R7-U03', 'デジタル推進課')).toMatchObject({ 段階: '未提示' });
    expect(proposal(api, 'R7-U03').所管課).toBe('保護課(②)、デジタル推進課(未提示)');
  });

  it('the check of that edit is the whole one, and the tampered store is reported', () => {
    const api = twins()[0];
    const check = checkOf(() => departmentHidden(api));
    expect(check).toBe('whole');
    expect(reported(api, '台帳状態シートが手で変更されています')).toBe(true);
  });
});
