// A change to one proposal reads the register through the Sheets advanced service, two requests
// (sheets/register-batch.ts), then takes a last look before writing (server/pre-write.ts): the
// rows it changes, and the rows it appends to. These tests hold
// it to what the SpreadsheetApp reads it replaces decided: the same rows, the same dates, the same
// place for appended rows, and a stale cell still refused.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { call, cellAt, cellRef, OWNER, ok, records, sampleRuntime, sheetValues } from '../helpers';

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;
const apiReads = (rt: Runtime) => rt.calls.get('Sheets.Spreadsheets.Values.batchGet') ?? 0;

/** Moves a column of a sheet to the end, as a person dragging it would (cells and all). */
function moveColumnToEnd(rt: Runtime, sheetName: string, header: string) {
  const sheet = rt.workbook.sheet(sheetName)!;
  const width = sheet.lastColumn();
  const col = Array.from({ length: width }, (_, c) => sheet.cell(0, c)?.v).indexOf(header);
  for (const row of sheet.cells) {
    if (!row) continue;
    const [cell] = row.splice(col, 1);
    row.length = Math.max(row.length, width - 1);
    row.push(cell!);
  }
}

describe('a change to one proposal, read in two Sheets API requests', () => {
  it('a save reads the register in two requests and takes a last look before writing: 3 round trips', () => {
    const rt = sampleRuntime();
    const v = version(rt, 'R7-U10');
    const before = apiReads(rt);
    ok(call(rt, 'apiUpdateProposal', { id: 'R7-U10', version: v, fields: { notes: '備考' } }));
    expect(rt.lastExecution).toMatchObject({ outcome: 'ok', readRoundTrips: 3 });
    // Two reads of the register, and the changed row with the rows appended to (pre-write.ts).
    expect(apiReads(rt) - before).toBe(3);
    expect(records(rt, '課題一覧').find((r) => r.ID === 'R7-U10')!.備考).toBe('備考');
  });

  it('a consultation (① → ② and a 協議記録 row) takes 3 round trips and lands where SpreadsheetApp would put it', () => {
    const rt = sampleRuntime();
    const log = rt.workbook.sheet('協議記録')!;
    // A person's note under the table, in a column of their own: the new row goes below it, as
    // after getLastRow, and the note is kept.
    const noteRow = log.lastRow() + 3;
    log.ensure(noteRow - 1, 11).v = '会議室メモ';
    ok(
      call(rt, 'apiRecordConsultation', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        department: '保護課',
        date: '2025-11-20',
        attendees: '',
        summary: '協議した',
        nextSteps: '',
      }),
    );
    expect(rt.lastExecution).toMatchObject({ outcome: 'ok', readRoundTrips: 3 });
    expect(log.cell(noteRow - 1, 11)?.v).toBe('会議室メモ');
    expect(log.lastRow()).toBe(noteRow + 1);
    expect(records(rt, '協議記録').at(-1)).toMatchObject({
      ID: 'R7-U03',
      所管課: '保護課',
      概要: '協議した',
    });
    expect(records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U03' && r.所管課 === '保護課')).toMatchObject(
      {
        段階: '②',
        協議日: '2025-11-20',
      },
    );
  });

  it('tells a department row by (ID, 所管課) among its proposal’s rows: a pasted copy further down is left alone', () => {
    const rt = sampleRuntime();
    const sheet = rt.workbook.sheet('所管課別進捗')!;
    const ref = cellRef(rt, '所管課別進捗', '段階', 'R7-U03', '保護課');
    const row = Number(/\d+$/.exec(ref)![0]) - 1;
    const copyAt = sheet.lastRow() + 2;
    sheet.cells[copyAt - 1] = structuredClone(sheet.cells[row]!);
    const before = sheetValues(rt, '所管課別進捗');
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        department: '保護課',
        stage: '②',
      }),
    );
    const after = sheetValues(rt, '所管課別進捗');
    const changed = after.flatMap((r, i) => (JSON.stringify(r) === JSON.stringify(before[i]) ? [] : [i + 1]));
    expect(changed).toEqual([row + 1]);
    expect(after[copyAt - 1]).toEqual(before[copyAt - 1]);
  });

  it('finds the rows where the header says when a person moved the ID column (one request more)', () => {
    const rt = sampleRuntime();
    const v = version(rt, 'R7-U10');
    moveColumnToEnd(rt, '課題一覧', 'ID');
    const others = records(rt, '課題一覧').filter((r) => r.ID !== 'R7-U10');
    ok(
      call(rt, 'apiUpdateProposal', { id: 'R7-U10', version: v, fields: { notes: '列を動かした後の備考' } }),
    );
    expect(rt.lastExecution).toMatchObject({ outcome: 'ok', readRoundTrips: 4 });
    expect(records(rt, '課題一覧').find((r) => r.ID === 'R7-U10')!.備考).toBe('列を動かした後の備考');
    expect(records(rt, '課題一覧').filter((r) => r.ID !== 'R7-U10')).toEqual(others);
  });

  it('reads a date cell as the day a Date cell reads as, and does not take it for a stale cell when changing it', () => {
    const rt = sampleRuntime();
    const stage = (to: string, extra: Record<string, unknown> = {}, user?: string) =>
      ok(
        call(
          rt,
          'apiSetDepartmentStage',
          { id: 'R7-U03', version: version(rt, 'R7-U03'), department: '保護課', stage: to, ...extra },
          user,
        ),
      );
    stage('②');
    const ref = cellRef(rt, '所管課別進捗', '協議日', 'R7-U03', '保護課');
    // A real date cell (a serial number with a date format), which getValues reads as a Date.
    expect(cellAt(rt, ref)).toMatchObject({ v: expect.any(Number) });
    const view = ok(
      call<{ departments: { department: string; consultedOn: string }[] }>(rt, 'apiGetProposal', {
        id: 'R7-U03',
      }),
    );
    expect(view.departments.find((d) => d.department === '保護課')!.consultedOn).toBe('2025-11-25');
    // The correction clears that date: the re-check before writing compares the Date it reads now
    // with the day the API read, and lets it through.
    stage('①', { reason: '戻す' }, OWNER);
    expect(rt.lastExecution!.outcome).toBe('ok');
    expect(records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U03' && r.所管課 === '保護課')!.協議日).toBe(
      '',
    );
  });

  it('a date cell a person changed after the read is still refused as stale', () => {
    const rt = sampleRuntime();
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        department: '保護課',
        stage: '②',
      }),
    );
    const ref = cellRef(rt, '所管課別進捗', '協議日', 'R7-U03', '保護課');
    const v = version(rt, 'R7-U03');
    // After the register's two reads, before the commit's last look.
    rt.interleave(
      'Sheets.Spreadsheets.Values.batchGet',
      () => {
        cellAt(rt, ref).v = (cellAt(rt, ref).v as number) - 1;
      },
      2,
    );
    const r = call(
      rt,
      'apiSetDepartmentStage',
      { id: 'R7-U03', version: v, department: '保護課', stage: '①', reason: '戻す' },
      OWNER,
    );
    expect(r).toMatchObject({ ok: false, code: 'stale' });
    expect(records(rt, '所管課別進捗').find((x) => x.ID === 'R7-U03' && x.所管課 === '保護課')!.協議日).toBe(
      '2025-11-24',
    );
  });

  it('appends 変更履歴 after a row typed below it, as before, keeping that row', () => {
    const rt = sampleRuntime();
    const history = rt.workbook.sheet('変更履歴')!;
    const typed = history.lastRow() + 2;
    history.ensure(typed - 1, 0).v = '手で書いた行';
    ok(
      call(rt, 'apiUpdateProposal', { id: 'R7-U10', version: version(rt, 'R7-U10'), fields: { notes: 'x' } }),
    );
    expect(history.cell(typed - 1, 0)?.v).toBe('手で書いた行');
    expect(history.lastRow()).toBeGreaterThan(typed);
    expect(records(rt, '変更履歴').at(-1)).toMatchObject({ ID: 'R7-U10', 項目: '備考', 新値: 'x' });
  });
});
