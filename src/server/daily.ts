// Daily at 9:00 as the owner: reminders, the escalation of overdue requests and the progress checks
// of carried-over proposals due this period, then the ledger check: 変更履歴 against its head (every
// row's seal, the count, the last seal) and the accepted-state store against its own; any break is
// reported to the secretariat once.
import { readHistory, verifyHistory } from '../sheets/history';
import { SHEETS } from '../sheets/layout';
import { verifiedState } from '../sheets/ledger-store';
import { loadRegister, NotSetUp } from '../sheets/register';
import { theRegister } from '../sheets/register-scope';
import { clockFor } from './clock';
import { isTriggerRun, ownerEmail } from './context';
import { queueEscalations } from './escalation';
import { Ledger } from './ledger';
import { withScriptLock } from './lock';
import { markStaleClaims, sendQueued, syncRequestStates } from './mail-queue';
import { repairIfUnfinished } from './mutate';
import { queueProgressChecks } from './progress-checks';
import { queueReminders } from './reminders';
import { reportBreaks } from './report';

/** What is wrong with 変更履歴 and 台帳状態, in words for the secretariat (empty when intact). */
export function checkLedger(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string[] {
  let ledger: Ledger;
  try {
    ledger = Ledger.open(ss);
  } catch (e) {
    if (e instanceof NotSetUp) return [];
    throw e;
  }
  if (!ledger.head)
    return ['台帳の記録(変更履歴の先頭情報)がありません。事務局が「初期設定」を実行してください。'];
  const head = ledger.head;
  const history = ss.getSheetByName(SHEETS.history);
  const problems = history
    ? verifyHistory(readHistory(history), ledger.seal, { rows: head.historyRows, last: head.historyLast })
        .problems
    : [`シート「${SHEETS.history}」がありません。`];
  const store = ledger.store();
  if (verifiedState(store, ledger.seal).unsealed.length || !ledger.matchesHead(store))
    problems.push('台帳状態シートが手で変更されています。次の確認で変更履歴から作り直します。');
  return problems;
}

/** A sheet or column the add-on needs is gone (a deleted sheet, a retyped header): every check stops. */
function structureProblems(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string[] {
  try {
    loadRegister(ss, clockFor(ss).today);
    return [];
  } catch (e) {
    if (e instanceof NotSetUp) return [`${e.message}(この間、手入力の確認と集計は止まっています。)`];
    throw e;
  }
}

export function onDailyNine(e?: GoogleAppsScript.Events.TimeDriven): void {
  if (!isTriggerRun(e)) return;
  const ss = theRegister();
  // The checks first: a register that cannot be read (a sheet or header gone) is reported even
  // though reminders cannot be sent until it is fixed.
  const readable = withScriptLock(() => {
    repairIfUnfinished(ss, clockFor(ss).today);
    const structure = structureProblems(ss);
    const problems = [...structure, ...checkLedger(ss)];
    if (problems.length)
      problems.push('', 'スプレッドシートの「版の履歴」で、いつ誰が変更したかを確認してください。');
    reportBreaks(ss, problems, 'ledger');
    return structure.length === 0;
  });
  if (!readable) return;
  // 送信記録 against its seals at least once a day (the 10-minute run reads it only when email waits).
  markStaleClaims(ss);
  const keys = [...queueReminders(ss), ...queueEscalations(ss), ...queueProgressChecks(ss)];
  if (keys.length) {
    sendQueued(ss, keys);
    syncRequestStates(ss, ownerEmail(), 'トリガー');
  }
}
