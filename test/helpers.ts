// Shared test helpers: a runtime per test, running the real built bundle (dist/) in process.
// REGISTER_MODE=addon runs the same tests against the Editor add-on's bundle (dist-addon/) in the
// runtime's add-on mode (`npm run test:addon`): the mode is a parameter, the tests are not copied.

import { typeInto } from '../local/runtime/people';
import { type RunAs, Runtime, type RuntimeOptions } from '../local/runtime/runtime';
import { columnLetters } from '../local/runtime/spreadsheet';
import { displayValue } from '../local/runtime/values';
import { SheetModel, WorkbookModel } from '../local/runtime/workbook';
import { loadSample } from '../local/sample';
import { sealer } from '../src/domain/seal';
import { GENESIS, rowSeal } from '../src/sheets/history';

export const OWNER = 'secretariat@example.jp';
export const PT = 'pt.tanaka@example.jp';
export const PT2 = 'pt.suzuki@example.jp';
export const OUTSIDER = 'someone@example.jp';
/** The seed's date: 令和7年11月25日, in the afternoon in Tokyo. */
export const SEED_NOW = '2025-11-25T15:00:00+09:00';

export type Result<T = unknown> =
  | { ok: true; data: T }
  | { ok: false; code: string; message: string; fieldErrors: Record<string, string>; current?: unknown };

/** Which build the integration tests run: the bound script (default) or the Editor add-on. */
export const MODE: 'bound' | 'addon' = process.env.REGISTER_MODE === 'addon' ? 'addon' : 'bound';

export function newRuntime(options: RuntimeOptions = {}): Runtime {
  return new Runtime({ now: SEED_NOW, clock: 'manual', owner: OWNER, mode: MODE, ...options });
}

/**
 * The register's own script properties as a live object, in either mode: the whole store of a
 * bound script, or the `<spreadsheetId>:` keys of the add-on's shared store.
 */
export function registerProps(rt: Runtime): Record<string, string> {
  const store = rt.state.properties.script;
  if (!rt.addon) return store;
  const prefix = `${rt.workbook.id}:`;
  return new Proxy(store, {
    get: (s, k) => (typeof k === 'string' ? s[prefix + k] : undefined),
    set: (s, k, v) => {
      s[prefix + String(k)] = v;
      return true;
    },
    deleteProperty: (s, k) => delete s[prefix + String(k)],
    has: (s, k) => prefix + String(k) in s,
    ownKeys: (s) => Object.keys(s).flatMap((k) => (k.startsWith(prefix) ? [k.slice(prefix.length)] : [])),
    getOwnPropertyDescriptor: (s, k) => {
      const v = s[prefix + String(k)];
      return v === undefined ? undefined : { value: v, enumerable: true, configurable: true, writable: true };
    },
  });
}

/**
 * The clock trigger's run as the mode has it: bound, the 10-minute trigger; add-on, the one
 * hourly trigger (which also does the day's work at its first run from 9:00).
 */
export function tick(rt: Runtime, fields: Record<string, unknown> = {}) {
  rt.fireTrigger(tickHandler(rt), fields);
}

/** The handler of the clock trigger that does the 10-minute work: onTenMinutes, or the add-on's onHourly. */
export function tickHandler(rt: Runtime): string {
  return rt.addon ? 'onHourly' : 'onTenMinutes';
}

/** True when the integration tests run the add-on's build (REGISTER_MODE=addon): for it.skipIf. */
export const addonMode = MODE === 'addon';

/** The clock triggers' handlers of the mode: bound, the 10-minute and the 9:00 one; add-on, the hourly one. */
export const CLOCK_HANDLERS: readonly string[] = addonMode ? ['onHourly'] : ['onTenMinutes', 'onDailyNine'];

/** The daily work: bound, the 9:00 trigger; add-on, the hourly run, which does it once a day from 9:00. */
export function daily(rt: Runtime) {
  rt.fireTrigger(rt.addon ? 'onHourly' : 'onDailyNine');
}

/** A runtime running `code` (a script defining top-level functions) instead of the add-on. */
export function scriptRuntime(code: string, options: RuntimeOptions = {}): Runtime {
  return newRuntime({ ...options, code });
}

export function run<T>(rt: Runtime, fn: string, as: Partial<RunAs> = {}, args: unknown[] = []): T {
  return rt.execute<T>(fn, { mode: 'script', activeUser: OWNER, ...as }, () => args);
}

export function setUp(rt: Runtime, user = OWNER) {
  rt.execute('menuSetup', { mode: 'menu', activeUser: user });
  return rt.ui.find((u) => u.kind === 'alert');
}

function buildSample(options: RuntimeOptions): Runtime {
  const rt = newRuntime(options);
  setUp(rt);
  const result = loadSample(rt, OWNER) as Result;
  if (!result.ok) throw new Error(`sample failed: ${JSON.stringify(result)}`);
  return rt;
}

/** A deep copy of a runtime's workbook and state, as if the .xlsx were opened again. */
function copyOf(base: Runtime, options: RuntimeOptions): Runtime {
  const wb = new WorkbookModel(base.workbook.id, base.workbook.name, base.workbook.owner);
  Object.assign(wb, {
    timeZone: base.workbook.timeZone,
    locale: base.workbook.locale,
    nextSheetId: base.workbook.nextSheetId,
    nextObjectId: base.workbook.nextObjectId,
  });
  for (const s of base.workbook.sheets) {
    const copy = new SheetModel(s.id, s.name);
    Object.assign(copy, structuredClone({ ...s }));
    wb.sheets.push(copy);
  }
  return newRuntime({ ...options, workbook: wb, state: structuredClone(base.state) });
}

const samples = new Map<string, Runtime>();

/** Setup plus the seed's sample (settings, directory, 34 proposals), built once per clock and copied. */
export function sampleRuntime(options: RuntimeOptions = {}): Runtime {
  const key = options.now ?? SEED_NOW;
  if (Object.keys(options).some((k) => k !== 'now')) return buildSample(options);
  let base = samples.get(key);
  if (!base) {
    base = buildSample(options);
    samples.set(key, base);
  }
  return copyOf(base, options);
}

export function call<T = unknown>(rt: Runtime, fn: string, payload: unknown, user = PT): Result<T> {
  return rt.call<Result<T>>(fn, payload === undefined ? [] : [payload], user);
}

export function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.data;
}

/** A sheet's displayed values, rows of strings, as `local dump` shows them. */
export function sheetValues(rt: Runtime, name: string): string[][] {
  const sheet = rt.workbook.sheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return Array.from({ length: sheet.lastRow() }, (_, r) =>
    Array.from({ length: sheet.lastColumn() }, (_, c) => displayValue(sheet.cell(r, c))),
  );
}

/** Rows of a table sheet as objects keyed by header. */
export function records(rt: Runtime, name: string): Record<string, string>[] {
  const [header, ...rows] = sheetValues(rt, name);
  return rows
    .filter((r) => r.some((v) => v !== ''))
    .map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

export function edit(rt: Runtime, ref: string, value: string, user = PT, showUser = true) {
  typeInto(rt, ref, [[value]], { user, showUser });
}

/** A user proposal (転入手続きの事前予約) as the mail tests create it; `extra` overrides fields. */
export function newProposalPayload(extra: Record<string, unknown> = {}) {
  return {
    kind: 'ユーザーの困りごと',
    perspective: '市民の目線',
    category: '行政手続きの場面等',
    painPoint: '転入届の待ち時間が長い',
    title: '転入手続きの事前予約',
    solution: 'オンラインで来庁予約',
    ptContact: PT,
    departments: ['市民課', '区政推進課', '情報政策課'],
    ...extra,
  };
}

/** Creates that proposal through the sidebar; returns its ID. */
export function newProposal(rt: Runtime, extra: Record<string, unknown> = {}, user = PT): string {
  return ok(call<{ proposal: { id: string } }>(rt, 'apiCreateProposal', newProposalPayload(extra), user))
    .proposal.id;
}

/** The A1 reference of a field of the row holding (ID[, 所管課]) in a sheet, found by header. */
export function cellRef(rt: Runtime, sheet: string, header: string, id: string, department?: string): string {
  const model = rt.workbook.sheet(sheet)!;
  const heads = Array.from({ length: model.lastColumn() }, (_, c) => displayValue(model.cell(0, c)));
  const col = heads.indexOf(header) + 1;
  const idCol = heads.indexOf('ID');
  const deptCol = heads.indexOf('所管課');
  for (let r = 1; r < model.lastRow(); r++) {
    if (
      displayValue(model.cell(r, idCol)) === id &&
      (!department || displayValue(model.cell(r, deptCol)) === department)
    )
      return `${sheet}!${columnLetters(col)}${r + 1}`;
  }
  throw new Error(`no row ${id} ${department ?? ''}`);
}

/** The cell at an A1 reference such as 課題一覧!B3. */
export function cellAt(rt: Runtime, ref: string) {
  const [sheet, a1] = ref.split('!') as [string, string];
  const m = /^([A-Z]+)(\d+)$/.exec(a1)!;
  const col = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return rt.workbook.sheet(sheet)!.cell(Number(m[2]) - 1, col - 1)!;
}

/** A 変更履歴 record (by header) as the history entry its seal covers. */
export const historyEntryOf = (h: Record<string, string>) => ({
  recordedAt: h.記録日時!,
  effective: h.効力日!,
  user: h.利用者!,
  path: h.経路!,
  id: h.ID!,
  department: h.所管課!,
  field: h.項目!,
  old: h.旧値!,
  new: h.新値!,
  reason: h.理由!,
});

/** Every 変更履歴 row is sealed over its fields and the row before it (the add-on's secret). */
export function expectHistorySealed(rt: Runtime, label = '') {
  const seal = sealer(registerProps(rt).TOKEN_SECRET!);
  let prev = GENESIS;
  for (const h of records(rt, '変更履歴')) {
    const e = historyEntryOf(h);
    if (h.ハッシュ !== rowSeal(seal, prev, e))
      throw new Error(`${label} 変更履歴 row ${JSON.stringify(h)} is not sealed`);
    prev = h.ハッシュ!;
  }
}

/** The register's signing secret, in either mode. */
export function secretOf(rt: Runtime): string {
  return registerProps(rt).TOKEN_SECRET!;
}

/** A signed token as the register puts it in a link: led by the register's key in add-on mode. */
export function asLink(rt: Runtime, token: string): string {
  return rt.addon ? `${registerProps(rt).LINK_KEY}.${token}` : token;
}

/** The data an answer or inbox page was served with (the JSON in its script element). */
export const pageData = (html: string) =>
  JSON.parse(/<script id="data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);
