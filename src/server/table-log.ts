// Edits of people's own tables that the add-on does not judge (所管課, 協議記録) are recorded in
// 変更履歴 as typed, so the history keeps what the directory and the records said before.
import { tableEditField } from '../domain/history-entry';
import { NotSetUp } from '../sheets/register';
import { mutateAs } from './mutate';

/**
 * Edits of people's own tables that the add-on does not judge (所管課, 協議記録) are recorded in
 * 変更履歴: what each cell held when Sheets says (one cell) and what it holds now.
 */
export function logTableEdit(
  e: GoogleAppsScript.Events.SheetsOnEdit,
  keyHeader: string,
  prefix: '所管課' | '協議記録',
) {
  const range = e.range;
  const sheet = range.getSheet();
  const header = sheet
    .getRange(1, 1, 1, sheet.getLastColumn())
    .getValues()[0]!
    .map((h) => String(h).trim());
  const keyCol = header.indexOf(keyHeader);
  const idCol = header.indexOf('ID');
  const deptCol = header.indexOf('所管課');
  if (keyCol < 0 || range.getRow() < 2) return;
  const rows = sheet.getRange(range.getRow(), 1, range.getNumRows(), header.length).getValues();
  const editor = (e.user?.getEmail?.() ?? '').toLowerCase();
  const single = range.getNumRows() === 1 && range.getNumColumns() === 1;
  try {
    mutateAs(
      editor,
      '直接編集',
      ({ draft }) => {
        const firstCol = range.getColumn();
        const lastCol = range.getLastColumn();
        rows.forEach((row) => {
          const key = String(row[keyCol] ?? '');
          for (let c = firstCol; c <= lastCol; c++) {
            const field = header[c - 1];
            if (!field) continue;
            draft.log(
              prefix === '所管課' ? '' : String(row[idCol] ?? ''),
              prefix === '所管課' ? key : String(row[deptCol] ?? ''),
              tableEditField(prefix, field, key),
              single ? String(e.oldValue ?? '') : '',
              String(row[c - 1] ?? ''),
            );
          }
        });
      },
      { requireRole: false },
    );
  } catch (err) {
    if (!(err instanceof NotSetUp)) throw err;
  }
}
