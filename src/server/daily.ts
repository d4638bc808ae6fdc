// Daily at 9:00 as the owner: verify 変更履歴's hash chain and tell the secretariat of a break.
import { readHistory, verifyChain } from '../sheets/history';
import { SHEETS } from '../sheets/layout';
import { isTriggerRun, ownerEmail } from './context';
import { sendQueued, syncRequestStates } from './mail-queue';
import { queueReminders } from './reminders';

export function checkHistoryChain(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
): { row: number; message: string } | null {
  const sheet = ss.getSheetByName(SHEETS.history);
  return sheet ? verifyChain(readHistory(sheet)) : null;
}

export function onDailyNine(e?: GoogleAppsScript.Events.TimeDriven): void {
  if (!isTriggerRun(e)) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const keys = queueReminders(ss);
  if (keys.length) {
    sendQueued(ss, keys);
    syncRequestStates(ss, ownerEmail(), 'トリガー');
  }
  const broken = checkHistoryChain(ss);
  if (broken) {
    MailApp.sendEmail({
      to: ownerEmail(),
      subject: '【プラチナ提案台帳】変更履歴の改ざん・削除の可能性',
      body: `${broken.message}\n\nスプレッドシート: ${ss.getUrl()}\n変更履歴シートの版の履歴を確認してください。`,
    });
  }
}
