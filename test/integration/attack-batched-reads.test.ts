// Attacks on the batched register reads (sheets/batch-read.ts, register-batch.ts, register.ts):
// careless and hostile editors of the shared sheet, and a department answering through the answer
// page. Where the previous SpreadsheetApp path is the yardstick, each scenario runs twice, on two
// copies of the same register: once with the Sheets advanced service (the new path) and once
// without it (the manifest's service switched off: the add-on falls back to getValues), and the
// outcomes and sheets must be the same.
import { describe, expect, it } from 'vitest';
import { typeInto } from '../../local/runtime/people';
import type { Runtime } from '../../local/runtime/runtime';
import { SheetModel } from '../../local/runtime/workbook';
import {
  call,
  cellAt,
  cellRef,
  expectHistorySealed,
  ok,
  PT,
  pageData,
  type Result,
  records,
  sampleRuntime,
  sheetValues,
} from '../helpers';
import { snapshot, twins, version } from './twins';

const apiReads = (rt: Runtime) => rt.calls.get('Sheets.Spreadsheets.Values.batchGet') ?? 0;

/** Runs `scenario` on both twins and expects the same result and the same sheets. */
function sameAsBefore<T>(scenario: (rt: Runtime) => T): { api: Runtime; old: Runtime; result: T } {
  const [api, old] = twins();
  const resultApi = scenario(api);
  const resultOld = scenario(old);
  expect(apiReads(api)).toBeGreaterThan(0);
  expect(apiReads(old)).toBe(0);
  expect(resultApi).toEqual(resultOld);
  expect(snapshot(api)).toEqual(snapshot(old));
  return { api, old, result: resultApi };
}

/** A cell holding a date as a paste from elsewhere leaves it: a serial number with a date format. */
const pasteDate = (rt: Runtime, ref: string, serial = 45981 /* 2025-11-20 */) => {
  const cell = cellAt(rt, ref);
  cell.v = serial;
  cell.fmt = 'yyyy/mm/dd';
};

const colOf = (rt: Runtime, sheet: string, header: string) => {
  const model = rt.workbook.sheet(sheet)!;
  return Array.from({ length: model.lastColumn() }, (_, c) => model.cell(0, c)?.v).indexOf(header);
};

const rowOf = (rt: Runtime, sheet: string, id: string) => {
  const model = rt.workbook.sheet(sheet)!;
  const idCol = colOf(rt, sheet, 'ID');
  for (let r = 1; r < model.lastRow(); r++) if (model.cell(r, idCol)?.v === id) return r;
  throw new Error(`no ${id}`);
};

const updateNotes = (rt: Runtime, id: string, notes: string, v = version(rt, id)) =>
  call(rt, 'apiUpdateProposal', { id, version: v, fields: { notes } });

const consult = (rt: Runtime, summary = '協議した', v = version(rt, 'R7-U03')) =>
  call(rt, 'apiRecordConsultation', {
    id: 'R7-U03',
    version: v,
    department: '保護課',
    date: '2025-11-20',
    attendees: '',
    summary,
    nextSteps: '',
  });

/** Presents R7-U03 to 保護課 and returns the answer link's token. */
function presented(rt: Runtime) {
  ok(
    call(rt, 'apiPresent', {
      id: 'R7-U03',
      version: version(rt, 'R7-U03'),
      departments: ['保護課', 'デジタル推進課'],
      effectiveDate: '2025-11-20',
    }),
  );
  const m = rt.state.outbox.find((x) => x.to === 'hogo@example.jp')!;
  return /\?t=((?:[A-Za-z0-9]{16}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(m.body)![1]!;
}

const strip = (r: Result) => (r.ok ? { ok: true } : { ok: false, code: r.code });

describe('a careless editor of the shared sheet', () => {
  it('a date pasted into a text column (備考) reads as the same text the getValues path read', () => {
    sameAsBefore((rt) => {
      pasteDate(rt, cellRef(rt, '課題一覧', '備考', 'R7-U10'));
      return ok(call<{ proposal: { notes: string } }>(rt, 'apiGetProposal', { id: 'R7-U10' })).proposal.notes;
    });
  });

  it('a date pasted into 備考 can still be replaced from the sidebar (no false stale refusal)', () => {
    const { result } = sameAsBefore((rt) => {
      pasteDate(rt, cellRef(rt, '課題一覧', '備考', 'R7-U10'));
      return strip(updateNotes(rt, 'R7-U10', '日付ではない備考'));
    });
    expect(result).toEqual({ ok: true });
  });

  it('text typed in a date column (協議日 "未定") is decided as before when the stage moves', () => {
    sameAsBefore((rt) => {
      cellAt(rt, cellRef(rt, '所管課別進捗', '協議日', 'R7-U03', '保護課')).v = '未定';
      return strip(
        call(rt, 'apiSetDepartmentStage', {
          id: 'R7-U03',
          version: version(rt, 'R7-U03'),
          department: '保護課',
          stage: '②',
        }),
      );
    });
  });

  it('a number typed as an ID and a copy of a row pasted below the table: the first row of the ID is changed, as before', () => {
    const { api } = sameAsBefore((rt) => {
      const sheet = rt.workbook.sheet('課題一覧')!;
      const src = rowOf(rt, '課題一覧', 'R7-U10');
      const below = sheet.lastRow();
      sheet.cells[below] = structuredClone(sheet.cells[src]!);
      sheet.ensure(below + 1, colOf(rt, '課題一覧', 'ID')).v = 12345;
      sheet.ensure(below + 1, colOf(rt, '課題一覧', '備考')).v = '数字のID';
      if (sheet.maxRows < below + 2) sheet.maxRows = below + 2;
      return strip(updateNotes(rt, 'R7-U10', '最初の行だけ'));
    });
    const rows = records(api, '課題一覧').filter((r) => r.ID === 'R7-U10');
    expect(rows.map((r) => r.備考)).toEqual(['最初の行だけ', rows[1]!.備考]);
    expect(rows[1]!.備考).not.toBe('最初の行だけ');
  });

  it('blank rows left in the middle of the table: the right row changes', () => {
    const { api } = sameAsBefore((rt) => {
      const sheet = rt.workbook.sheet('課題一覧')!;
      const at = rowOf(rt, '課題一覧', 'R7-U10') - 2;
      sheet.cells.splice(at, 0, [], [], []);
      sheet.maxRows += 3;
      return strip(updateNotes(rt, 'R7-U10', '空行の下'));
    });
    expect(records(api, '課題一覧').find((r) => r.ID === 'R7-U10')!.備考).toBe('空行の下');
  });

  it('sorting 課題一覧 by one column after the sidebar opened: the save still changes that proposal only', () => {
    const { api } = sameAsBefore((rt) => {
      const v = version(rt, 'R7-U10');
      const sheet = rt.workbook.sheet('課題一覧')!;
      const body = sheet.cells.slice(1, sheet.lastRow());
      body.reverse();
      sheet.cells.splice(1, body.length, ...body);
      return strip(updateNotes(rt, 'R7-U10', '並べ替えの後', v));
    });
    expect(records(api, '課題一覧').find((r) => r.ID === 'R7-U10')!.備考).toBe('並べ替えの後');
  });

  it('a column inserted before ID in 所管課別進捗 (keys moved): one request more, same decision', () => {
    sameAsBefore((rt) => {
      const sheet = rt.workbook.sheet('所管課別進捗')!;
      for (const row of sheet.cells) row?.splice(0, 0, undefined as never);
      sheet.maxCols += 1;
      sheet.ensure(0, 0).v = 'メモ列';
      return strip(
        call(rt, 'apiSetDepartmentStage', {
          id: 'R7-U03',
          version: version(rt, 'R7-U03'),
          department: '保護課',
          stage: '②',
        }),
      );
    });
  });

  it('a renamed header (備考 → メモ) is refused as before, writing nothing', () => {
    const { api, result } = sameAsBefore((rt) => {
      const v = version(rt, 'R7-U10');
      cellAt(rt, `課題一覧!${String.fromCharCode(65 + colOf(rt, '課題一覧', '備考'))}1`).v = 'メモ';
      return strip(updateNotes(rt, 'R7-U10', '見出しが違う', v));
    });
    expect(result.ok).toBe(false);
    expect(records(api, '課題一覧').some((r) => r.メモ === '見出しが違う')).toBe(false);
  });

  it('台帳状態 deleted: a save decides as before and history stays sealed', () => {
    const { api } = sameAsBefore((rt) => {
      rt.workbook.sheets = rt.workbook.sheets.filter((s) => s.name !== '台帳状態');
      return strip(updateNotes(rt, 'R7-U10', '台帳状態なし'));
    });
    expectHistorySealed(api);
  });

  it('a note typed at the very last row of 協議記録, far below: the new record goes below it, as before', () => {
    const { api } = sameAsBefore((rt) => {
      const log = rt.workbook.sheet('協議記録')!;
      log.ensure(log.maxRows - 1, 0).v = '最下行のメモ';
      return strip(consult(rt));
    });
    const log = api.workbook.sheet('協議記録')!;
    expect(sheetValues(api, '協議記録').some((r) => r[0] === '最下行のメモ')).toBe(true);
    expect(records(api, '協議記録').at(-1)).toMatchObject({ ID: 'R7-U03', 概要: '協議した' });
    expect(log.lastRow()).toBeGreaterThan(1);
  });

  /** 次の対応 filled down three rows below 協議記録's table with a formula showing nothing; then a consultation. */
  function formulaBelow(old: boolean) {
    const rt = twins()[old ? 1 : 0];
    const log = rt.workbook.sheet('協議記録')!;
    const first = log.lastRow();
    const c = colOf(rt, '協議記録', '次の対応');
    for (let r = first; r < first + 3; r++) Object.assign(log.ensure(r, c), { v: '', f: 'IF(A2="","",A2)' });
    ok(consult(rt));
    return { log, c };
  }

  it('the SpreadsheetApp path (the yardstick) appends below a formula filled down under 協議記録', () => {
    const { log, c } = formulaBelow(true);
    expect(log.cells.filter((row) => row?.[c]?.f).length).toBe(3);
  });

  it('a formula filled down below 協議記録 (showing nothing): the new record does not overwrite it', () => {
    const { log, c } = formulaBelow(false);
    expect(log.cells.filter((row) => row?.[c]?.f).length).toBe(3);
  });

  it('a date typed into 備考 whose format a paste reset: the hand edit is recorded as before', () => {
    sameAsBefore((rt) => {
      const ref = cellRef(rt, '課題一覧', '備考', 'R7-U10');
      cellAt(rt, ref).fmt = 'General';
      typeInto(rt, ref, [['2025/11/20']], { user: PT });
      return records(rt, '変更履歴')
        .filter((h) => h.ID === 'R7-U10')
        .map((h) => [h.項目, h.旧値, h.新値]);
    });
  });
});

describe('a hostile editor, acting between the reads', () => {
  const id = 'R7-U10';

  it('rows sorted between request 1 (keys) and request 2 (rows): no other proposal is changed', () => {
    const rt = sampleRuntime();
    const v = version(rt, id);
    rt.interleave(
      'Sheets.Spreadsheets.Values.batchGet',
      () => {
        const sheet = rt.workbook.sheet('課題一覧')!;
        const body = sheet.cells.slice(1, sheet.lastRow());
        body.reverse();
        sheet.cells.splice(1, body.length, ...body);
      },
      1,
    );
    const before = records(rt, '課題一覧');
    const r = updateNotes(rt, id, '競合', v);
    const after = records(rt, '課題一覧');
    const others = (rows: Record<string, string>[]) =>
      rows.filter((x) => x.ID !== id).sort((a, b) => a.ID!.localeCompare(b.ID!));
    // `before` was taken before the reversal: compare by ID, not by position.
    expect(others(after)).toEqual(others(before));
    // A refusal (the rows moved under the read: 'not_found' or 'stale') writes nothing.
    if (r.ok) expect(after.find((x) => x.ID === id)!.備考).toBe('競合');
    else expect(after.find((x) => x.ID === id)!.備考).not.toBe('競合');
    expectHistorySealed(rt);
  });

  it('a row inserted above the proposal between request 1 and request 2: no other row is changed', () => {
    const rt = sampleRuntime();
    const v = version(rt, id);
    const at = rowOf(rt, '課題一覧', id);
    rt.interleave(
      'Sheets.Spreadsheets.Values.batchGet',
      () => {
        const sheet = rt.workbook.sheet('課題一覧')!;
        sheet.cells.splice(at, 0, []);
        sheet.maxRows += 1;
      },
      1,
    );
    const before = records(rt, '課題一覧');
    const r = updateNotes(rt, id, '挿入の後', v);
    const after = records(rt, '課題一覧');
    expect(after.filter((x) => x.ID !== id)).toEqual(before.filter((x) => x.ID !== id));
    if (r.ok) expect(after.find((x) => x.ID === id)!.備考).toBe('挿入の後');
    else expect(after.find((x) => x.ID === id)!.備考).not.toBe('挿入の後');
    expectHistorySealed(rt);
  });

  it('台帳状態 row of the proposal tampered between the two requests: not obeyed, history sealed', () => {
    const rt = sampleRuntime();
    const v = version(rt, id);
    rt.interleave(
      'Sheets.Spreadsheets.Values.batchGet',
      () => {
        const store = rt.workbook.sheet('台帳状態')!;
        for (const row of store.cells) {
          if (row?.[1]?.v === id) for (let c = 3; c < row.length; c++) if (row[c]) row[c]!.v = '改ざん';
        }
      },
      1,
    );
    const r = updateNotes(rt, id, '改ざんの後', v);
    expect(records(rt, '課題一覧').some((x) => Object.values(x).includes('改ざん'))).toBe(false);
    if (r.ok) expect(records(rt, '課題一覧').find((x) => x.ID === id)!.備考).toBe('改ざんの後');
    expectHistorySealed(rt);
  });

  /**
   * How many Range.getValues the consultation makes before its last one ahead of the commit's
   * journal (the re-check of the changed cells), on a fresh twin: a hook there acts after every
   * read of the register and before the SpreadsheetApp path asked getLastRow.
   */
  function readsBeforeCommit(old: boolean): number {
    const rt = twins()[old ? 1 : 0];
    const v = version(rt, 'R7-U03');
    rt.startTrace();
    const n = rt.trace.length;
    ok(consult(rt, '協議した', v));
    const methods = rt.trace.slice(n).map((t) => t.method);
    const begin = methods.indexOf('Properties.setProperties');
    return methods.slice(0, begin).filter((m) => m === 'Range.getValues').length - 1;
  }

  /** A person types a line under 変更履歴 and under 協議記録 while the consultation is being saved. */
  function typedDuringSave(old: boolean) {
    const rt = twins()[old ? 1 : 0];
    const v = version(rt, 'R7-U03');
    const history = rt.workbook.sheet('変更履歴')!;
    const log = rt.workbook.sheet('協議記録')!;
    const type = () => {
      history.ensure(history.lastRow(), 0).v = '割り込んだ行';
      log.ensure(log.lastRow(), 0).v = '割り込んだメモ';
    };
    // The old path: before its last getValues ahead of the journal (its re-check; getLastRow
    // follows). The API path: before its third request, the commit's last look (pre-write.ts).
    if (old) rt.interleave('Range.getValues', type, readsBeforeCommit(old));
    else rt.interleave('Sheets.Spreadsheets.Values.batchGet', type, 2);
    ok(consult(rt, '協議した', v));
    return rt;
  }

  it('the SpreadsheetApp path (the yardstick) keeps lines typed under 変更履歴 and 協議記録 during a save', () => {
    const rt = typedDuringSave(true);
    expect(sheetValues(rt, '変更履歴').some((row) => row[0] === '割り込んだ行')).toBe(true);
    expect(sheetValues(rt, '協議記録').some((row) => row[0] === '割り込んだメモ')).toBe(true);
  });

  it('a line typed under 変更履歴 after the batched read is not overwritten by the append', () => {
    const rt = typedDuringSave(false);
    expect(sheetValues(rt, '変更履歴').some((row) => row[0] === '割り込んだ行')).toBe(true);
    expect(records(rt, '変更履歴').at(-1)).toMatchObject({ ID: 'R7-U03' });
  });

  it('a note typed under 協議記録 after the batched read is not overwritten by the new record', () => {
    const rt = typedDuringSave(false);
    expect(sheetValues(rt, '協議記録').some((row) => row[0] === '割り込んだメモ')).toBe(true);
    expect(records(rt, '協議記録').at(-1)).toMatchObject({ ID: 'R7-U03', 概要: '協議した' });
  });

  it("a sheet named like the register's with a quote (課題一覧') beside it: the real one is read", () => {
    sameAsBefore((rt) => {
      const real = rt.workbook.sheet('課題一覧')!;
      const decoy = new SheetModel(999, "課題一覧'");
      Object.assign(decoy, structuredClone({ ...real }), { id: 999, name: "課題一覧'" });
      for (const row of decoy.cells)
        for (const c of row ?? []) if (c && typeof c.v === 'string') c.v = `偽${c.v}`;
      rt.workbook.sheets.push(decoy);
      return strip(updateNotes(rt, 'R7-U10', '本物'));
    });
  });

  it('content far below 課題一覧 (last row, a column past the header): kept by a new proposal appended', () => {
    const { api } = sameAsBefore((rt) => {
      const sheet = rt.workbook.sheet('課題一覧')!;
      sheet.maxCols += 2;
      sheet.ensure(sheet.maxRows - 1, sheet.maxCols - 1).v = '遠いメモ';
      return strip(
        call(rt, 'apiCreateProposal', {
          kind: 'ユーザーの困りごと',
          perspective: '市民の目線',
          category: '行政手続きの場面等',
          painPoint: '転入届の待ち時間が長い',
          title: '転入手続きの事前予約',
          solution: 'オンラインで来庁予約',
          ptContact: 'pt.tanaka@example.jp',
          departments: ['市民課'],
        }),
      );
    });
    expect(sheetValues(api, '課題一覧').some((r) => r.includes('遠いメモ'))).toBe(true);
  });
});

describe('a department answering through the answer page', () => {
  const answer = (rt: Runtime, token: string, comment: string) =>
    rt.callWeb<Result>('apiAnswer', [
      { token, kind: '協議に応じる', comment, answeredBy: '保護課 山田', proposedDate: '2025/12/03' },
    ]);

  it('the page shows the request and the answer lands as before when another row holds pasted dates', () => {
    sameAsBefore((rt) => {
      const token = presented(rt);
      pasteDate(rt, cellRef(rt, '課題一覧', '備考', 'R7-U10'));
      pasteDate(rt, cellRef(rt, '所管課別進捗', '所管外の理由', 'R7-U03', 'デジタル推進課'));
      const page = pageData(rt.webGet({ t: token }));
      return { page: { id: page.id, department: page.department }, r: strip(answer(rt, token, '了解')) };
    });
  });

  it('text typed in its own 協議希望日 cell: the answer replaces it as before', () => {
    sameAsBefore((rt) => {
      const token = presented(rt);
      cellAt(rt, cellRef(rt, '所管課別進捗', '協議希望日', 'R7-U03', '保護課')).v = '来週';
      return strip(answer(rt, token, '来週ではなく'));
    });
  });

  it('a date someone pasted into its 回答内容 does not block the department from answering', () => {
    const { result } = sameAsBefore((rt) => {
      const token = presented(rt);
      pasteDate(rt, cellRef(rt, '所管課別進捗', '回答内容', 'R7-U03', '保護課'));
      return strip(answer(rt, token, '日付を上書き'));
    });
    expect(result).toEqual({ ok: true });
  });

  it('an answer after 台帳状態 was tampered: history stays sealed and no tampered value reaches the register', () => {
    const rt = sampleRuntime();
    const token = presented(rt);
    const store = rt.workbook.sheet('台帳状態')!;
    for (const row of store.cells)
      if (row?.[1]?.v === 'R7-U03') for (const c of row.slice(3)) if (c) c.v = 'X';
    const r = answer(rt, token, '改ざん後の回答');
    expect(r.ok).toBe(true);
    expect(
      records(rt, '所管課別進捗').find((x) => x.ID === 'R7-U03' && x.所管課 === '保護課')!.回答内容,
    ).toBe('改ざん後の回答');
    expect(records(rt, '所管課別進捗').some((x) => Object.values(x).includes('X'))).toBe(false);
    expectHistorySealed(rt);
  });
});
