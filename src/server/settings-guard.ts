// Hand edits of 設定's guarded rows (事務局, PTメンバー, PT連絡先, 回答ページURL): accepted, with
// history, when the secretariat (as accepted) makes them; otherwise put back to the accepted
// values with a note and reported once. The other settings stay people's to edit.

import { fiscalYearLabel, parseFiscalYear } from '../domain/dates';
import { settingField } from '../domain/history-entry';
import { parseProgressSchedule } from '../domain/progress-checks';
import { asText } from '../sheets/cells';
import { applyChoiceDropdowns } from '../sheets/dropdowns';
import {
  GUARDED_KEYS,
  type GuardedValues,
  guardedInSheet,
  PROP_FISCAL_CURRENT,
  PROP_GUARDED,
  readGuarded,
  withGuarded,
} from '../sheets/guarded-settings';
import { SHEETS } from '../sheets/layout';
import { NotSetUp } from '../sheets/register';
import { SETTING_KEYS } from '../sheets/settings';
import { ownerEmail, roleOf, scriptProps } from './context';
import { mutateAs } from './mutate';
import { NOTE_PREFIX } from './notes';
import { reportBreaks } from './report';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** 設定's (項目, 値) rows as they stand, with their sheet rows and the columns found by header. */
export function readSettingRows(ss: Spreadsheet) {
  const sheet = ss.getSheetByName(SHEETS.settings);
  if (!sheet) return null;
  const values = sheet.getDataRange().getValues();
  const header = (values[0] ?? []).map((h) => String(h).trim());
  const k = header.indexOf('項目');
  const v = header.indexOf('値');
  if (k < 0 || v < 0) return null;
  const rows = values
    .slice(1)
    .map((r, i) => ({ row: i + 2, key: String(r[k] ?? '').trim(), value: String(r[v] ?? '').trim() }));
  return { sheet, rows, keyCol: k + 1, valueCol: v + 1 };
}

/** Records 設定's guarded values as accepted (setup, by the owner). */
export function acceptGuardedSettings(ss: Spreadsheet): void {
  const read = readSettingRows(ss);
  if (read) scriptProps().setProperty(PROP_GUARDED, JSON.stringify(guardedInSheet(read.rows)));
}

export function handleSettingsEdit(ss: Spreadsheet, editor: string): void {
  let lines: string[] = [];
  try {
    // One locked run: read 設定, then accept (history through the draft) or put back.
    lines = mutateAs(
      editor,
      '直接編集',
      ({ draft }) => {
        const read = readSettingRows(ss);
        // 設定's lists are people's to edit: the register's dropdowns follow them at once.
        applyChoiceDropdowns(ss, draft.state.settings.lists);
        if (read) warnUnreadableSchedule(ss, read);
        const yearLines = read ? guardFiscalYear(ss, read, editor) : [];
        const accepted = readGuarded(scriptProps().getProperty(PROP_GUARDED));
        if (!read || !accepted) return yearLines;
        const now = guardedInSheet(read.rows);
        const changed = GUARDED_KEYS.filter((k) => now[k] !== accepted[k]);
        if (!changed.length) return yearLines;
        const settings = withGuarded({ secretariat: [], pt: [] } as never, accepted);
        if (editor && roleOf(editor, settings, ownerEmail()) === '事務局') {
          scriptProps().setProperty(PROP_GUARDED, JSON.stringify(now));
          for (const k of changed) draft.log('', '', settingField(k), accepted[k], now[k]);
          return yearLines;
        }
        putBack(read, accepted, changed);
        const who = editor || '(利用者不明)';
        ss.toast(
          'この設定(事務局・PTメンバー・PT連絡先・回答ページURL)は事務局だけが変更できます。元に戻しました。',
          'プラチナ提案台帳',
          10,
        );
        return [
          ...yearLines,
          ...changed.map(
            (k) => `設定「${k}」: ${who} が「${now[k]}」に変更したため、「${accepted[k]}」に戻しました。`,
          ),
        ];
      },
      { requireRole: false },
    );
  } catch (e) {
    if (!(e instanceof NotSetUp)) throw e;
  }
  if (lines.length) reportBreaks(ss, lines);
}

/**
 * Once the add-on has started a 年度 (apiStartFiscalYear), 設定's 年度 is its: a hand edit would
 * switch 年度 without carrying anything over, so it is put back (for everyone) with a note.
 */
function guardFiscalYear(
  ss: Spreadsheet,
  read: NonNullable<ReturnType<typeof readSettingRows>>,
  editor: string,
): string[] {
  const started = Number(scriptProps().getProperty(PROP_FISCAL_CURRENT) ?? 0);
  const at = read.rows.find((r) => r.key === SETTING_KEYS.fiscalYear);
  if (!started || (at && parseFiscalYear(at.value) === started)) return [];
  const label = fiscalYearLabel(started);
  // A deleted row (or its 項目 retyped) goes back at the end, as the guarded settings do.
  const row = at?.row ?? read.sheet.getLastRow() + 1;
  if (!at) read.sheet.getRange(row, read.keyCol).setValue(asText(SETTING_KEYS.fiscalYear));
  read.sheet
    .getRange(row, read.valueCol)
    .setNumberFormat('@')
    .setValue(label)
    .setNote(
      `${NOTE_PREFIX}年度は事務局の「新しい年度を開始」で切り替えます(継続検討の引き継ぎのため)。元に戻しました。`,
    );
  ss.toast(
    '設定の年度は「新しい年度を開始」(事務局)で切り替えます。元に戻しました。',
    'プラチナ提案台帳',
    10,
  );
  return [
    at
      ? `設定「年度」: ${editor || '(利用者不明)'} が「${at.value}」に変更したため、「${label}」に戻しました。`
      : `設定「年度」の行が ${editor || '(利用者不明)'} により削除されたため、「${label}」で戻しました。`,
  ];
}

/** 実施状況の確認 the add-on cannot read is said at once (the daily run also tells the secretariat). */
function warnUnreadableSchedule(ss: Spreadsheet, read: NonNullable<ReturnType<typeof readSettingRows>>) {
  const at = read.rows.find((r) => r.key === SETTING_KEYS.progressChecks);
  const schedule = parseProgressSchedule(at?.value ?? '');
  if (!schedule.ok) ss.toast(schedule.message, '設定を確認してください', 15);
}

function putBack(
  read: NonNullable<ReturnType<typeof readSettingRows>>,
  accepted: GuardedValues,
  keys: readonly string[],
) {
  const note = `${NOTE_PREFIX}この設定は事務局だけが変更できます。元に戻しました。`;
  for (const k of keys as (keyof GuardedValues)[]) {
    const at = read.rows.find((r) => r.key === k);
    if (at) {
      const cell = read.sheet.getRange(at.row, read.valueCol);
      cell.setNumberFormat('@').setValue(accepted[k]).setNote(note);
    } else {
      // The row itself was removed or its 項目 retyped: the setting goes back at the end.
      const row = read.sheet.getLastRow() + 1;
      read.sheet.getRange(row, read.keyCol).setValue(asText(k));
      read.sheet.getRange(row, read.valueCol).setNumberFormat('@').setValue(accepted[k]).setNote(note);
    }
  }
}
