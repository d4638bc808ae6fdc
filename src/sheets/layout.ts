// The sheets the add-on keeps, their Japanese headers and how each column is written. Columns are
// found by header, never by position: people reorder them and add their own.

export type ColumnKind = 'text' | 'date' | 'list' | 'number' | 'bool' | 'display';

export interface ColumnDef<K extends string = string> {
  key: K;
  header: string;
  width: number;
  kind: ColumnKind;
  /** The 設定 list (or fixed list) a dropdown offers. */
  list?: string;
  wrap?: boolean;
}

/**
 * Columns kept as plain text ('@') and written as text: free text, the display columns, and the list
 * columns, whose values come from 設定 (people's to edit) or a department's answer — text that
 * starts with = stays text, never a formula. Dates stay dates, numbers and checkboxes as they are.
 */
export const isPlainTextColumn = (c: Pick<ColumnDef, 'kind'>): boolean =>
  c.kind === 'text' || c.kind === 'display' || c.kind === 'list';

const col = <K extends string>(
  key: K,
  header: string,
  width: number,
  kind: ColumnKind,
  extra: Partial<Omit<ColumnDef, 'key'>> = {},
): ColumnDef<K> => ({ ...extra, key, header, width, kind });

export const SHEETS = {
  proposals: '課題一覧',
  progress: '所管課別進捗',
  consultations: '協議記録',
  departments: '所管課',
  summary: '集計',
  history: '変更履歴',
  mail: '送信記録',
  settings: '設定',
  ledger: '台帳状態',
} as const;

export const PROPOSAL_COLUMNS = [
  col('id', 'ID', 80, 'text'),
  col('fiscalYear', '年度', 80, 'text'),
  col('kind', '種別', 130, 'list', { list: '種別' }),
  col('painPoint', '困りごと', 260, 'text', { wrap: true }),
  col('perspective', '目線', 120, 'list', { list: '目線' }),
  col('category', '場面・分類', 160, 'list', { list: '場面・分類' }),
  col('title', '課題(提案)名', 260, 'text', { wrap: true }),
  col('solution', '解決策', 260, 'text', { wrap: true }),
  col('ptMembers', 'PT担当', 120, 'text'),
  col('ptContact', 'PT連絡先', 180, 'text'),
  col('judgment', '判断', 90, 'list', { list: '判断' }),
  col('judgmentDate', '判断日', 100, 'date'),
  col('endReason', '終了理由', 120, 'list', { list: '終了理由' }),
  col('implementation', '実施状況', 110, 'list', { list: '実施状況' }),
  col('notes', '備考', 200, 'text', { wrap: true }),
  col('departments', '所管課', 220, 'display', { wrap: true }),
  col('stage', '進捗', 70, 'display'),
  col('decidingDepartment', '進捗の所管課', 160, 'display'),
] as const;

export const PROGRESS_COLUMNS = [
  col('id', 'ID', 80, 'text'),
  col('department', '所管課', 180, 'text'),
  col('stage', '段階', 80, 'list', { list: '段階' }),
  col('presentedOn', '提示日', 100, 'date'),
  col('consultedOn', '協議日', 100, 'date'),
  col('doneOn', '対応済日', 100, 'date'),
  col('removalReason', '所管外の理由', 200, 'text', { wrap: true }),
  col('requestState', '依頼状態', 90, 'display'),
  col('answerKind', '回答区分', 150, 'display'),
  col('answerComment', '回答内容', 240, 'display', { wrap: true }),
  col('answeredBy', '回答者', 120, 'display'),
  col('answeredOn', '回答日', 100, 'date'),
  col('proposedDate', '協議希望日', 100, 'date'),
] as const;

/** Keys of 課題一覧's and 所管課別進捗's date columns (written as dates, never as text). */
export const DATE_KEYS: ReadonlySet<string> = new Set(
  [...PROPOSAL_COLUMNS, ...PROGRESS_COLUMNS].filter((c) => c.kind === 'date').map((c) => c.key),
);

export const CONSULTATION_COLUMNS = [
  col('recordId', '記録番号', 110, 'text'),
  col('id', 'ID', 80, 'text'),
  col('department', '所管課', 180, 'text'),
  col('date', '協議日', 100, 'date'),
  col('attendees', '出席者', 200, 'text', { wrap: true }),
  col('summary', '概要', 320, 'text', { wrap: true }),
  col('nextSteps', '次の対応', 240, 'text', { wrap: true }),
  col('recordedBy', '記録者', 180, 'text'),
  col('recordedAt', '記録日時', 150, 'text'),
] as const;

export const DEPARTMENT_COLUMNS = [
  col('name', '所管課', 200, 'text'),
  col('shortName', '略称', 100, 'text'),
  col('emails', 'メールアドレス', 260, 'text'),
  col('active', '有効', 60, 'bool'),
] as const;

export const HISTORY_COLUMNS = [
  col('recordedAt', '記録日時', 150, 'text'),
  col('effective', '効力日', 100, 'text'),
  col('user', '利用者', 180, 'text'),
  col('path', '経路', 90, 'text'),
  col('id', 'ID', 80, 'text'),
  col('department', '所管課', 160, 'text'),
  col('field', '項目', 110, 'text'),
  col('old', '旧値', 160, 'text', { wrap: true }),
  col('new', '新値', 160, 'text', { wrap: true }),
  col('reason', '理由', 200, 'text', { wrap: true }),
  col('hash', 'ハッシュ', 120, 'text'),
] as const;

export const MAIL_COLUMNS = [
  col('key', 'キー', 220, 'text'),
  col('id', 'ID', 80, 'text'),
  col('department', '所管課', 160, 'text'),
  col('mailKind', '種類', 90, 'text'),
  col('round', '回', 50, 'number'),
  col('recipients', '宛先', 220, 'text'),
  col('state', '状態', 80, 'text'),
  col('attempts', '試行回数', 70, 'number'),
  col('createdAt', '作成日時', 150, 'text'),
  col('sentAt', '送信日時', 150, 'text'),
  col('error', 'エラー', 240, 'text', { wrap: true }),
  /** The add-on's seal over the row (server/mail-store.ts): the other columns only display it. */
  col('seal', '封印', 90, 'text'),
] as const;

/**
 * 台帳状態: the add-on's own store of the last accepted state, one sealed row per proposal and per
 * (proposal, department), hidden. Hand edits are judged against it, never against 変更履歴's cells
 * or the register's: it grows with proposals, not with history.
 */
export const LEDGER_VALUE_COLUMNS = 14;
export const LEDGER_COLUMNS = [
  col('kind', '種類', 80, 'text'),
  col('id', 'ID', 80, 'text'),
  col('department', '所管課', 160, 'text'),
  ...Array.from({ length: LEDGER_VALUE_COLUMNS }, (_, i) => col(`v${i + 1}`, `値${i + 1}`, 100, 'text')),
  col('seal', '封印', 240, 'text'),
];

export const SETTINGS_COLUMNS = [
  col('key', '項目', 200, 'text'),
  col('value', '値', 480, 'text', { wrap: true }),
] as const;

export type ProposalKey = (typeof PROPOSAL_COLUMNS)[number]['key'];
export type ProgressKey = (typeof PROGRESS_COLUMNS)[number]['key'];
export type ConsultationKey = (typeof CONSULTATION_COLUMNS)[number]['key'];
