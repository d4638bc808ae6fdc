// 設定: one row per setting (項目, 値). Lists are written with 、 between entries.
import { fiscalYearLabel, parseFiscalYear } from '../domain/dates';
import { CATEGORIES, END_REASONS, IMPLEMENTATION_STATES, PERSPECTIVES } from '../domain/labels';
import type { Settings } from '../domain/model';
import { DEFAULT_SCHEDULE } from '../domain/progress-checks';
import type { Table } from './table';

export const SETTING_KEYS = {
  projectName: 'プロジェクト名',
  fiscalYear: '年度',
  answerDays: '回答期限(営業日)',
  reminderDays: '督促間隔(営業日)',
  escalationDays: '期限超過の報告(営業日)',
  progressChecks: '実施状況の確認',
  digest: 'ダイジェスト送信',
  secretariat: '事務局',
  pt: 'PTメンバー',
  ptContact: 'PT連絡先',
  webAppUrl: '回答ページURL',
  perspectives: '目線',
  userCategories: '場面・分類(ユーザー)',
  staffCategories: '場面・分類(職員)',
  endReasons: '終了理由',
  implementation: '実施状況',
} as const;

const join = (xs: readonly string[]) => xs.join('、');
export const splitList = (s: string): string[] =>
  s
    .split(/[、,;\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The rows setup writes into a new 設定 sheet. */
export function defaultSettingRows(fiscalYear: number, owner: string): [string, string][] {
  return [
    [SETTING_KEYS.projectName, 'プラチナ市役所プロジェクト'],
    [SETTING_KEYS.fiscalYear, fiscalYearLabel(fiscalYear)],
    [SETTING_KEYS.answerDays, '10'],
    [SETTING_KEYS.reminderDays, '5'],
    [SETTING_KEYS.escalationDays, '5'],
    [SETTING_KEYS.progressChecks, DEFAULT_SCHEDULE],
    [SETTING_KEYS.digest, 'いいえ'],
    [SETTING_KEYS.secretariat, owner],
    [SETTING_KEYS.pt, ''],
    [SETTING_KEYS.ptContact, owner],
    [SETTING_KEYS.webAppUrl, ''],
    [SETTING_KEYS.perspectives, join(PERSPECTIVES)],
    [SETTING_KEYS.userCategories, join(CATEGORIES.ユーザーの困りごと)],
    [SETTING_KEYS.staffCategories, join(CATEGORIES.職員の困りごと)],
    [SETTING_KEYS.endReasons, join(END_REASONS)],
    [SETTING_KEYS.implementation, join(IMPLEMENTATION_STATES)],
  ];
}

export function readSettings(table: Table<'key' | 'value'>, fallbackYear: number): Settings {
  const map = new Map<string, string>();
  // The first row of a key counts (as the guards read it): a second row further down changes nothing.
  for (let i = 0; i < table.rows.length; i++) {
    const key = table.text(i, 'key');
    if (!map.has(key)) map.set(key, table.text(i, 'value'));
  }
  const get = (k: string) => map.get(k) ?? '';
  const num = (k: string, d: number) => {
    const n = Number(get(k));
    return Number.isFinite(n) && n > 0 ? n : d;
  };
  const list = (k: string, d: readonly string[]) => (get(k) ? splitList(get(k)) : [...d]);
  return {
    projectName: get(SETTING_KEYS.projectName) || 'プラチナ市役所プロジェクト',
    fiscalYear: parseFiscalYear(get(SETTING_KEYS.fiscalYear)) ?? fallbackYear,
    answerDays: num(SETTING_KEYS.answerDays, 10),
    reminderDays: num(SETTING_KEYS.reminderDays, 5),
    escalationDays: num(SETTING_KEYS.escalationDays, 5),
    digest: /^(はい|true|yes|1|オン)$/i.test(get(SETTING_KEYS.digest)),
    secretariat: splitList(get(SETTING_KEYS.secretariat)).map((s) => s.toLowerCase()),
    pt: splitList(get(SETTING_KEYS.pt)).map((s) => s.toLowerCase()),
    ptContact: get(SETTING_KEYS.ptContact),
    webAppUrl: get(SETTING_KEYS.webAppUrl),
    lists: {
      perspectives: list(SETTING_KEYS.perspectives, PERSPECTIVES),
      userCategories: list(SETTING_KEYS.userCategories, CATEGORIES.ユーザーの困りごと),
      staffCategories: list(SETTING_KEYS.staffCategories, CATEGORIES.職員の困りごと),
      endReasons: list(SETTING_KEYS.endReasons, END_REASONS),
      implementation: list(SETTING_KEYS.implementation, IMPLEMENTATION_STATES),
    },
  };
}
