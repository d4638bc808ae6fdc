// The register as stored: each sheet read once into typed records (rows found by ID, columns by
// header), and how records are written back into cells. Committing a Draft is server/commit.ts.
import { fiscalYearOf, parseFiscalYear } from '../domain/dates';
import { progressKey } from '../domain/draft';
import type { DeptState, Judgment, Kind } from '../domain/labels';
import type { Consultation, Department, Progress, Proposal, RegisterState, Settings } from '../domain/model';
import { batchReadAvailable, readBoxes, wholeBox } from './batch-read';
import { asDate, asPlainText, type DateFormatter, spreadsheetDateFormatter } from './cells';
import {
  PROP_DIRECTORY_MAIL,
  PROP_FISCAL_CURRENT,
  PROP_GUARDED,
  readAcceptedMail,
  readGuarded,
  withGuarded,
} from './guarded-settings';
import {
  CONSULTATION_COLUMNS,
  type ColumnDef,
  type ConsultationKey,
  DEPARTMENT_COLUMNS,
  PROGRESS_COLUMNS,
  PROPOSAL_COLUMNS,
  type ProgressKey,
  type ProposalKey,
  SETTINGS_COLUMNS,
  SHEETS,
} from './layout';
import { scriptProps } from './register-scope';
import { readSettings } from './settings';
import { Table } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export class NotSetUp extends Error {}

export interface LoadedRegister {
  ss: Spreadsheet;
  formatDate: DateFormatter;
  proposals: Table<ProposalKey>;
  progress: Table<ProgressKey>;
  consultations: Table<(typeof CONSULTATION_COLUMNS)[number]['key']>;
  departments: Table<(typeof DEPARTMENT_COLUMNS)[number]['key']>;
  state: RegisterState;
  /** Data-row index by proposal ID, and by (ID, department) for 所管課別進捗. */
  proposalRow: Map<string, number>;
  progressRow: Map<string, number>;
}

export function sheetOrThrow(ss: Spreadsheet, name: string) {
  const sheet = ss.getSheetByName(name);
  if (!sheet) throw new NotSetUp(`シート「${name}」がありません。メニューの「初期設定」を実行してください。`);
  return sheet;
}

export function readTable<K extends string>(
  ss: Spreadsheet,
  name: string,
  defs: readonly ColumnDef<K>[],
  formatDate: DateFormatter,
) {
  return requireColumns(name, Table.read(sheetOrThrow(ss, name), defs, formatDate));
}

/** The table, when every column the add-on needs is in its header. */
export function requireColumns<T extends Table<string>>(name: string, table: T): T {
  const missing = table.missing();
  if (missing.length)
    throw new NotSetUp(
      `シート「${name}」に列「${missing.join('」「')}」がありません。見出しを戻すか「初期設定」を実行してください。`,
    );
  return table;
}

/**
 * 設定 as read, with the guarded settings (roles, where mail points) as the add-on accepted them,
 * and the 年度 it last started: a 年度 row edited, added again further down or deleted changes nothing.
 */
export function acceptedSettings(settings: ReturnType<typeof readSettings>) {
  const props = scriptProps();
  const guarded = withGuarded(settings, readGuarded(props.getProperty(PROP_GUARDED)));
  const started = Number(props.getProperty(PROP_FISCAL_CURRENT) ?? 0);
  return started ? { ...guarded, fiscalYear: started } : guarded;
}

/** The first data row of each proposal ID: a pasted duplicate further down is ignored everywhere. */
function proposalRows(table: Table<ProposalKey>): Map<string, number> {
  const rows = new Map<string, number>();
  const idOf = table.column('id');
  for (let i = 0; i < table.rows.length; i++) {
    const id = idOf(i);
    if (id && !rows.has(id)) rows.set(id, i);
  }
  return rows;
}

/** The first data row of each (ID, department) in 所管課別進捗. */
function progressRows(table: Table<ProgressKey>): Map<string, number> {
  const rows = new Map<string, number>();
  const idOf = table.column('id');
  const departmentOf = table.column('department');
  for (let i = 0; i < table.rows.length; i++) {
    const id = idOf(i);
    const department = departmentOf(i);
    const key = progressKey(id, department);
    if (id && department && !rows.has(key)) rows.set(key, i);
  }
  return rows;
}

/** 年度 cells hold few distinct values (R7, 令和7年度, 2025): each is parsed once per read. */
function fiscalYearReader(fallback: number): (cell: string) => number {
  const seen = new Map<string, number>();
  return (cell) => {
    let year = seen.get(cell);
    if (year === undefined) seen.set(cell, (year = parseFiscalYear(cell) ?? fallback));
    return year;
  };
}

function proposalRecords(table: Table<ProposalKey>, rows: Map<string, number>, defaultYear: number) {
  const yearOf = fiscalYearReader(defaultYear);
  const out: Proposal[] = [];
  // The display columns (所管課, 進捗, 進捗の所管課) are derived, not read into records.
  const c = table.columns(PROPOSAL_COLUMNS.filter((d) => d.kind !== 'display').map((d) => d.key));
  // forEach, not for…of: no iterator result per row while the loop is not yet optimised.
  rows.forEach((i) => {
    out.push({
      id: c.id(i),
      fiscalYear: yearOf(c.fiscalYear(i)),
      kind: c.kind(i) as Kind,
      painPoint: c.painPoint(i),
      perspective: c.perspective(i),
      category: c.category(i),
      title: c.title(i),
      solution: c.solution(i),
      ptMembers: c.ptMembers(i),
      ptContact: c.ptContact(i),
      judgment: c.judgment(i) as Judgment | '',
      judgmentDate: c.judgmentDate(i),
      endReason: c.endReason(i),
      implementation: c.implementation(i),
      notes: c.notes(i),
    });
  });
  return out;
}

function progressRecords(table: Table<ProgressKey>, rows: Map<string, number>) {
  const out: Progress[] = [];
  const c = table.columns(PROGRESS_COLUMNS.map((d) => d.key));
  rows.forEach((i) => {
    out.push({
      id: c.id(i),
      department: c.department(i),
      stage: (c.stage(i) || '未提示') as DeptState,
      presentedOn: c.presentedOn(i),
      consultedOn: c.consultedOn(i),
      doneOn: c.doneOn(i),
      removalReason: c.removalReason(i),
      requestState: c.requestState(i),
      answerKind: c.answerKind(i),
      answerComment: c.answerComment(i),
      answeredBy: c.answeredBy(i),
      answeredOn: c.answeredOn(i),
      proposedDate: c.proposedDate(i),
    });
  });
  return out;
}

function consultationRecords(
  table: Table<(typeof CONSULTATION_COLUMNS)[number]['key']>,
  only?: ReadonlySet<number>,
) {
  const out: Consultation[] = [];
  for (let i = 0; i < table.rows.length; i++) {
    if (table.isBlank(i) || (only && !only.has(i))) continue;
    const t = (k: (typeof CONSULTATION_COLUMNS)[number]['key']) => table.text(i, k);
    out.push({
      recordId: t('recordId'),
      id: t('id'),
      department: t('department'),
      date: t('date'),
      attendees: t('attendees'),
      summary: t('summary'),
      nextSteps: t('nextSteps'),
      recordedBy: t('recordedBy'),
      recordedAt: t('recordedAt'),
    });
  }
  return out;
}

function departmentRecords(table: Table<(typeof DEPARTMENT_COLUMNS)[number]['key']>): Department[] {
  const out: Department[] = [];
  for (let i = 0; i < table.rows.length; i++) {
    const name = table.text(i, 'name');
    if (!name) continue;
    const active = table.raw(i, 'active');
    out.push({
      name,
      shortName: table.text(i, 'shortName'),
      emails: table.text(i, 'emails'),
      active: active === true || /^(TRUE|はい|有効|1)$/i.test(String(active)) || active === '',
    });
  }
  return out;
}

/** What 集計 counts. */
export type CountedState = Omit<RegisterState, 'consultations'>;

/** 設定 alone (one read), with the guarded rows as accepted. */
export function loadSettings(
  ss: Spreadsheet,
  today: string,
  formatDate = spreadsheetDateFormatter(ss),
): Settings {
  return acceptedSettings(
    readSettings(readTable(ss, SHEETS.settings, SETTINGS_COLUMNS, formatDate), fiscalYearOf(today)),
  );
}

/**
 * The register without 協議記録, for a summary rebuild: 協議記録 is not counted and can grow as long
 * as 所管課別進捗. The same reads and records as loadRegister otherwise.
 */
export function loadCounted(ss: Spreadsheet, today: string): CountedState {
  const formatDate = spreadsheetDateFormatter(ss);
  const [settings, proposals, progress, departments] = readWholeTables(ss, formatDate, [
    SETTINGS_SPEC,
    { name: SHEETS.proposals, defs: PROPOSAL_COLUMNS },
    { name: SHEETS.progress, defs: PROGRESS_COLUMNS },
    { name: SHEETS.departments, defs: DEPARTMENT_COLUMNS },
  ]).tables as [SettingsTable, Table<ProposalKey>, Table<ProgressKey>, DepartmentsTable];
  proposals.readPastedNumbers();
  progress.readPastedNumbers();
  const accepted = settingsOf(settings, today);
  return {
    settings: accepted,
    proposals: proposalRecords(proposals, proposalRows(proposals), accepted.fiscalYear),
    progress: progressRecords(progress, progressRows(progress)),
    departments: departmentRecords(departments),
  };
}

/** Reads the register: its five sheets whole, in one request (else one getValues each). `today` decides the default 年度. */
export function loadRegister(ss: Spreadsheet, today: string): LoadedRegister {
  return loadRegisterWith(ss, today).reg;
}

/**
 * The register, and in the same request the values of other sheets whole (`also`: the add-on's
 * 台帳状態 for a run that checks every accepted record).
 */
export function loadRegisterWith(
  ss: Spreadsheet,
  today: string,
  also: readonly GoogleAppsScript.Spreadsheet.Sheet[] = [],
): { reg: LoadedRegister; also: unknown[][][] } {
  const formatDate = spreadsheetDateFormatter(ss);
  const read = readWholeTables(
    ss,
    formatDate,
    [
      SETTINGS_SPEC,
      { name: SHEETS.proposals, defs: PROPOSAL_COLUMNS },
      { name: SHEETS.progress, defs: PROGRESS_COLUMNS },
      { name: SHEETS.consultations, defs: CONSULTATION_COLUMNS },
      { name: SHEETS.departments, defs: DEPARTMENT_COLUMNS },
    ],
    also,
  );
  const [settings, proposals, progress, consultations, departments] = read.tables as [
    SettingsTable,
    Table<ProposalKey>,
    Table<ProgressKey>,
    Table<ConsultationKey>,
    DepartmentsTable,
  ];
  for (const t of [proposals, progress, consultations]) t.readPastedNumbers();
  const reg = registerOf(ss, formatDate, settingsOf(settings, today), departments, {
    proposals,
    progress,
    consultations,
  });
  return { reg, also: read.also };
}

type SettingsTable = Table<(typeof SETTINGS_COLUMNS)[number]['key']>;
type DepartmentsTable = Table<(typeof DEPARTMENT_COLUMNS)[number]['key']>;
const SETTINGS_SPEC = { name: SHEETS.settings, defs: SETTINGS_COLUMNS };

const settingsOf = (table: SettingsTable, today: string) =>
  acceptedSettings(readSettings(table, fiscalYearOf(today)));

/** Sheets whole: one Sheets API request for all when the service is there, else one getValues each. */
function readWhole(ss: Spreadsheet, sheets: readonly GoogleAppsScript.Spreadsheet.Sheet[]) {
  if (!batchReadAvailable())
    return sheets.map((s) => ({ values: s.getDataRange().getValues(), fromApi: false }));
  return readBoxes(ss, sheets.map(wholeBox)).map((values) => ({ values, fromApi: true }));
}

/** Tables whole (their columns required), and other sheets' values whole, in one read. */
function readWholeTables(
  ss: Spreadsheet,
  formatDate: DateFormatter,
  specs: readonly { name: string; defs: readonly ColumnDef<string>[] }[],
  also: readonly GoogleAppsScript.Spreadsheet.Sheet[] = [],
): { tables: Table<string>[]; also: unknown[][][] } {
  const sheets = specs.map((t) => sheetOrThrow(ss, t.name));
  const read = readWhole(ss, [...sheets, ...also]);
  const tables = specs.map((t, i) =>
    requireColumns(
      t.name,
      Table.fromValues(sheets[i]!, t.defs, read[i]!.values, formatDate, read[i]!.fromApi),
    ),
  );
  return { tables, also: read.slice(specs.length).map((r) => r.values) };
}

/**
 * The register as a change to some proposals needs it: 設定 and 所管課 whole; of 課題一覧,
 * 所管課別進捗 and 協議記録 the key columns and the rows of these proposals only (rows are still
 * found by key over the whole sheet). `state` holds only those proposals' records: enough to
 * decide and commit a change to them, not to count the register (集計 reads it whole).
 */
export function loadRegisterOf(ss: Spreadsheet, today: string, ids: ReadonlySet<string>): LoadedRegister {
  const formatDate = spreadsheetDateFormatter(ss);
  const ofIds = ([id]: string[]) => ids.has(id!);
  return registerOf(ss, formatDate, loadSettings(ss, today, formatDate), departmentsTable(ss, formatDate), {
    proposals: readRowsOf(ss, SHEETS.proposals, PROPOSAL_COLUMNS, formatDate, ['id'], ofIds),
    progress: readRowsOf(ss, SHEETS.progress, PROGRESS_COLUMNS, formatDate, ['id', 'department'], ofIds),
    consultations: readRowsOf(ss, SHEETS.consultations, CONSULTATION_COLUMNS, formatDate, ['id'], ofIds),
  });
}

export type Tables = {
  proposals: Table<ProposalKey> & { whole?: ReadonlySet<number> };
  progress: Table<ProgressKey> & { whole?: ReadonlySet<number> };
  consultations: Table<ConsultationKey> & { whole?: ReadonlySet<number> };
};

/** Records from the tables read (from the rows read whole, where only some were). */
const departmentsTable = (ss: Spreadsheet, formatDate: DateFormatter) =>
  readTable(ss, SHEETS.departments, DEPARTMENT_COLUMNS, formatDate);

export function registerOf(
  ss: Spreadsheet,
  formatDate: DateFormatter,
  settings: Settings,
  departments: Table<(typeof DEPARTMENT_COLUMNS)[number]['key']>,
  t: Tables,
): LoadedRegister {
  const proposalRow = proposalRows(t.proposals);
  const progressRow = progressRows(t.progress);
  const only = (rows: Map<string, number>, whole?: ReadonlySet<number>) =>
    whole ? new Map([...rows].filter(([, i]) => whole.has(i))) : rows;
  return {
    ss,
    formatDate,
    ...t,
    departments,
    state: {
      settings,
      proposals: proposalRecords(t.proposals, only(proposalRow, t.proposals.whole), settings.fiscalYear),
      progress: progressRecords(t.progress, only(progressRow, t.progress.whole)),
      consultations: consultationRecords(t.consultations, t.consultations.whole),
      departments: withAcceptedMail(departmentRecords(departments)),
    },
    proposalRow,
    progressRow,
  };
}

/** The directory with each department's addresses as the add-on accepted them, where it has. */
function withAcceptedMail(departments: Department[]): Department[] {
  const accepted = readAcceptedMail(scriptProps().getProperty(PROP_DIRECTORY_MAIL));
  return departments.map((d) => (d.name in accepted ? { ...d, emails: accepted[d.name]! } : d));
}

function readRowsOf<K extends string>(
  ss: Spreadsheet,
  name: string,
  defs: readonly ColumnDef<K>[],
  formatDate: DateFormatter,
  keys: readonly K[],
  wanted: (keyTexts: string[]) => boolean,
) {
  return requireColumns(name, Table.readRows(sheetOrThrow(ss, name), defs, formatDate, keys, wanted));
}

const DATE_KEYS = new Set<string>([
  'judgmentDate',
  'presentedOn',
  'consultedOn',
  'doneOn',
  'answeredOn',
  'proposedDate',
  'date',
]);

export function cellFor(key: string, value: unknown): unknown {
  if (typeof value === 'boolean' || typeof value === 'number') return value;
  const s = String(value ?? '');
  return DATE_KEYS.has(key) ? asDate(s) : asPlainText(s);
}

/** A full-width row for appending, each value in its column as found by header. */
export function rowFor<K extends string>(table: Table<K>, record: Partial<Record<K, unknown>>): unknown[] {
  const row = new Array<unknown>(table.width()).fill('');
  for (const [key, value] of Object.entries(record) as [K, unknown][]) {
    const c = table.col[key];
    if (c !== undefined) row[c] = cellFor(key, value);
  }
  return row;
}

/** Rows grouped by proposal ID, for work over the whole register. */
export function groupById<T extends { id: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.id);
    if (list) list.push(r);
    else out.set(r.id, [r]);
  }
  return out;
}
