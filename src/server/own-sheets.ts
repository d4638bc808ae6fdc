// Hand edits in the sheets the add-on keeps for itself (集計, 変更履歴, 台帳状態, 送信記録, and each
// published report 報告 R7.11.25) are never obeyed. 送信記録 is checked against its seals and the queue's record (mail-queue).
// 集計 is rebuilt at once; a single typed cell of 変更履歴 or 台帳状態 is put back to what it held
// (Sheets says so for one cell); a pasted block cannot be put back from the event, so it is
// reported, and the seals make sure it is never used (the daily check reports it again if it stays).

import { Refused } from '../domain/operations';
import { SHEETS } from '../sheets/layout';
import { withScriptLock } from './lock';
import { onMailLogEdit } from './mail-queue';
import { NOTE_PREFIX } from './notes';
import { reportBreaks } from './report';
import { rebuildSummary } from './summary-refresh';

const OWN = new Set<string>([SHEETS.summary, SHEETS.history, SHEETS.ledger, SHEETS.mail]);

/** A published report (報告 R7.11.25, 報告 R7.11.25 (2)): what was reported stays as reported. */
const REPORT_SHEET = /^報告 R\d+\.\d+\.\d+( \(\d+\))?$/;

export const isOwnSheet = (name: string) => OWN.has(name) || REPORT_SHEET.test(name);

export function handleOwnSheetEdit(e: GoogleAppsScript.Events.SheetsOnEdit, editor: string): void {
  const range = e.range;
  const sheet = range.getSheet();
  const name = sheet.getName();
  const ss = e.source;
  if (name === SHEETS.mail) {
    // Put back from each row's seal and the queue's own record, and reported once (mail-queue).
    try {
      if (onMailLogEdit(ss).length)
        ss.toast(
          '送信記録はアドオンが書き込むシートです。手での変更は元に戻し、事務局に知らせました。',
          'プラチナ提案台帳',
          10,
        );
    } catch (err) {
      if (!(err instanceof Refused) || err.code !== 'busy') throw err;
      // The next send run checks the queue the same way before it sends anything.
    }
    return;
  }
  if (name === SHEETS.summary) {
    withScriptLock(() => rebuildSummary(ss));
    ss.toast('集計はアドオンが作り直すシートです。手での変更は元に戻しました。', 'プラチナ提案台帳', 10);
    return;
  }
  const single = range.getNumRows() === 1 && range.getNumColumns() === 1;
  const who = editor || '(利用者不明)';
  if (single) {
    withScriptLock(() => {
      // oldValue is absent when the cell was empty.
      const old = String(e.oldValue ?? '');
      // A report's figures are numbers shown as 5件 / 76日: they go back as numbers.
      const figure = REPORT_SHEET.test(name) ? /^(-?\d+)(?:件|日)?$/.exec(old) : null;
      if (figure) range.setValue(Number(figure[1]));
      else range.setNumberFormat('@').setValue(old);
      range.setNote(`${NOTE_PREFIX}このシートはアドオンが書き込みます。手での変更(${who})は元に戻しました。`);
    });
    ss.toast(`${name}はアドオンが書き込むシートです。手での変更は元に戻しました。`, 'プラチナ提案台帳', 10);
    reportBreaks(
      ss,
      [`${name} ${range.getA1Notation()}: ${who} が手で変更したため、元に戻しました。`],
      'ledger',
    );
    return;
  }
  reportBreaks(
    ss,
    [
      `${name} ${range.getA1Notation()}: ${who} がまとめて変更しました(貼り付けなど)。アドオンはこの内容を使いません。版の履歴から戻してください。`,
    ],
    'ledger',
  );
}
