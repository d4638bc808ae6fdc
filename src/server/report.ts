// What the add-on put back or found broken, told to the secretariat once by email.
import { sha256Hex } from '../domain/hash';
import { ownerEmail, scriptProps } from './context';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const REPORTS = {
  register: {
    flag: 'FLAGGED_CHANGES',
    toast: '台帳の行の変更(削除・IDの変更など)を元に戻しました。事務局に知らせました。',
    subject: '【プラチナ提案台帳】台帳の行を元に戻しました',
    intro:
      '台帳に、受け付けた内容と合わない行の変更がありました。アドオンが次のとおり戻しました(元の入力はセルのメモにあります)。',
  },
  settings: {
    flag: 'FLAGGED_SETTINGS',
    toast: '',
    subject: '【プラチナ提案台帳】設定を確認してください',
    intro: '設定シートに、アドオンが読めない値がありました。',
  },
  ledger: {
    flag: 'FLAGGED_LEDGER',
    toast: '',
    subject: '【プラチナ提案台帳】変更履歴の改ざん・削除の可能性',
    intro: '変更履歴または台帳状態に、アドオンが書いていない変更がありました。',
  },
} as const;

/**
 * Tells the secretariat once: the same lines again (on the next edit, the next day) are not
 * mailed again; each kind of report remembers its own last lines.
 */
export function reportBreaks(
  ss: Spreadsheet,
  lines: string[],
  kind: keyof typeof REPORTS = 'register',
): boolean {
  const report = REPORTS[kind];
  const props = scriptProps();
  const key = lines.length ? sha256Hex(lines.slice().sort().join('\n')).slice(0, 16) : '';
  if (key === (props.getProperty(report.flag) ?? '')) return false;
  props.setProperty(report.flag, key);
  if (!lines.length) return false;
  if (report.toast) ss.toast(report.toast, 'プラチナ提案台帳', 10);
  const shown = lines.length > 200 ? [...lines.slice(0, 200), `ほか${lines.length - 200}件`] : lines;
  MailApp.sendEmail({
    to: ownerEmail(),
    subject: report.subject,
    body: `${report.intro}\n\n${shown.join('\n')}\n\n${ss.getUrl()}`,
  });
  return true;
}
