// The settings that decide who may do what and where mail points (事務局, PTメンバー, PT連絡先,
// 回答ページURL) are read from the values the add-on accepted, kept beside the secret, not from 設定's
// cells: a PT member typing themself into 事務局, or another address into 回答ページURL (where every
// answer link would then point), changes nothing until the secretariat's own edit is accepted.
import type { Settings } from '../domain/model';
import { SETTING_KEYS, splitList } from './settings';

export const PROP_GUARDED = 'GUARDED_SETTINGS';
/** The 年度 the add-on last started (apiStartFiscalYear): once set, the register's 年度, whatever 設定 says. */
export const PROP_FISCAL_CURRENT = 'FISCAL_YEAR_CURRENT';
export const GUARDED_KEYS = [
  SETTING_KEYS.secretariat,
  SETTING_KEYS.pt,
  SETTING_KEYS.ptContact,
  SETTING_KEYS.webAppUrl,
] as const;
export type GuardedValues = Record<(typeof GUARDED_KEYS)[number], string>;

export function readGuarded(text: string | null): GuardedValues | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<GuardedValues>;
    return Object.fromEntries(GUARDED_KEYS.map((k) => [k, String(v[k] ?? '')])) as GuardedValues;
  } catch {
    return null;
  }
}

/** Settings as read, with the guarded ones as accepted (when the add-on has recorded them). */
export function withGuarded(settings: Settings, accepted: GuardedValues | null): Settings {
  if (!accepted) return settings;
  return {
    ...settings,
    secretariat: splitList(accepted[SETTING_KEYS.secretariat]).map((s) => s.toLowerCase()),
    pt: splitList(accepted[SETTING_KEYS.pt]).map((s) => s.toLowerCase()),
    ptContact: accepted[SETTING_KEYS.ptContact],
    webAppUrl: accepted[SETTING_KEYS.webAppUrl],
  };
}

/** The guarded values as 設定's cells hold them now (first row of each key). */
export function guardedInSheet(rows: readonly { key: string; value: string }[]): GuardedValues {
  const out = {} as GuardedValues;
  for (const k of GUARDED_KEYS) out[k] = rows.find((r) => r.key === k)?.value ?? '';
  return out;
}

/**
 * A department's addresses decide where its request, inbox and progress links go: a PT member who
 * typed their own address there could answer as the department. The addresses the add-on accepted
 * (typed by the secretariat, or a department's first, when it had none yet) are kept beside the
 * secret, by department, and mail goes to those.
 */
export const PROP_DIRECTORY_MAIL = 'DIRECTORY_MAIL';

export function readAcceptedMail(text: string | null | undefined): Record<string, string> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object') return {};
    const out: Record<string, string> = Object.create(null);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x === 'string') out[k] = x;
    return out;
  } catch {
    return {};
  }
}
