// Edits of people's own tables that the add-on does not judge (所管課, 協議記録) are recorded in
// 変更履歴 as typed, so the history keeps what the directory and the records said before. One
// column is guarded: a department's addresses (where its links go) change only by the
// secretariat's edit; anyone else's is put back, with a note, and reported.
import { tableEditField } from '../domain/history-entry';
import { asPlainText } from '../sheets/cells';
import { PROP_DIRECTORY_MAIL, readAcceptedMail } from '../sheets/guarded-settings';
import { NotSetUp } from '../sheets/register';
import { scriptProps } from './context';
import { withScriptLock } from './lock';
import { mutateAs } from './mutate';
import { NOTE_PREFIX } from './notes';
import { reportBreaks } from './report';

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
  const mailCol = prefix === '所管課' ? header.indexOf('メールアドレス') : -1;
  const firstCol = range.getColumn();
  const lastCol = range.getLastColumn();
  let putBacks: { row: number; department: string; value: string; typed: string }[] = [];
  try {
    putBacks = mutateAs(
      editor,
      '直接編集',
      ({ draft }) => {
        const accepted = readAcceptedMail(scriptProps().getProperty(PROP_DIRECTORY_MAIL));
        const bySecretariat = draft.actor.role === '事務局';
        const refused: typeof putBacks = [];
        let acceptedChanged = false;
        rows.forEach((row, i) => {
          const key = String(row[keyCol] ?? '').trim();
          for (let c = firstCol; c <= lastCol; c++) {
            const field = header[c - 1];
            if (!field) continue;
            const now = String(row[c - 1] ?? '');
            if (c - 1 === mailCol && key) {
              const was = key in accepted ? accepted[key]! : undefined;
              if (was !== undefined && now.trim() !== was && !bySecretariat) {
                refused.push({ row: range.getRow() + i, department: key, value: was, typed: now });
                continue;
              }
              if (was !== now.trim()) {
                accepted[key] = now.trim();
                acceptedChanged = true;
              }
            }
            draft.log(
              prefix === '所管課' ? '' : String(row[idCol] ?? ''),
              prefix === '所管課' ? key : String(row[deptCol] ?? ''),
              tableEditField(prefix, field, key),
              single ? String(e.oldValue ?? '') : '',
              now,
            );
          }
        });
        // A department's first addresses are accepted from whoever types them; later ones only
        // from the secretariat. Recorded with the commit's own properties write.
        if (acceptedChanged) draft.props.set(PROP_DIRECTORY_MAIL, JSON.stringify(accepted));
        return refused;
      },
      { requireRole: false },
    );
  } catch (err) {
    if (!(err instanceof NotSetUp)) throw err;
  }
  if (!putBacks.length) return;
  const note = `${NOTE_PREFIX}所管課のメールアドレス(依頼・回答のリンクの送り先)は事務局だけが変更できます。元に戻しました。`;
  withScriptLock(() => {
    // The edited rows' addresses as they are now, read once (a pasted block may refuse many).
    const top = range.getRow();
    const now = sheet.getRange(top, mailCol + 1, range.getNumRows(), 1).getValues();
    for (const p of putBacks) {
      // Only where the cell still holds what was typed: someone may have typed again meanwhile.
      if (String(now[p.row - top]?.[0] ?? '') !== p.typed) continue;
      sheet
        .getRange(p.row, mailCol + 1)
        .setNumberFormat('@')
        .setValue(asPlainText(p.value))
        .setNote(note);
    }
  });
  e.source.toast(note.replace(NOTE_PREFIX, ''), '入力を元に戻しました', 10);
  reportBreaks(
    e.source,
    putBacks.map(
      (p) =>
        `所管課「${p.department}」のメールアドレス: ${editor || '(利用者不明)'} が「${p.typed}」に変更したため、「${p.value}」に戻しました。`,
    ),
  );
}
