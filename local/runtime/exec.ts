// One execution of the add-on: who runs it, in which auth mode, against which workbook and clock.
// Apps Script starts every execution from a fresh global scope; the runtime makes one Exec each.
import type { WorkbookModel } from './workbook';

export type Mode = 'load' | 'simple' | 'installable' | 'menu' | 'script' | 'time' | 'web';

export interface UiEvent {
  kind: 'menu' | 'toast' | 'alert' | 'sidebar' | 'dialog' | 'select';
  [key: string]: unknown;
}

/** Makes values in the sandbox's realm, so `instanceof Date` holds inside the add-on (§0.11). */
export interface Realm {
  date(ms: number): Date;
  array<T>(items: T[]): T[];
  /** An array of n holes to fill in place: large reads skip building a host array to copy. */
  sized<T>(n: number): T[];
  error(message: string): Error;
}

export interface Exec {
  mode: Mode;
  activeUser: string;
  effectiveUser: string;
  workbook: WorkbookModel;
  realm: Realm;
  now(): number;
  count(method: string): void;
  ui: UiEvent[];
  /** Set when the run has died (a simulated time-out): every later service call fails too. */
  dead?: boolean;
  /**
   * Add-on mode (docs/addon-mode.md): the registers of the installation by spreadsheet ID, which
   * openById reaches; `workbook` is then the document the run was started from, or the one opened.
   */
  addon?: { registers: Map<string, WorkbookModel> };
}

/**
 * AuthMode.NONE (an add-on installed but not enabled in the document): "no access to user data,
 * document, Properties…; UI limited to adding menu items; only Logger and Utilities" (AUTH mode
 * matrix, https://developers.google.com/workspace/add-ons/concepts/editor-auth-lifecycle). Any
 * other call fails, global code included (A5).
 */
export const NONE_ALLOWED = (method: string) =>
  /^(Logger|Utilities)\./.test(method) ||
  [
    'SpreadsheetApp.getUi',
    'Ui.createAddonMenu',
    'Menu.addItem',
    'Menu.addSeparator',
    'Menu.addSubMenu',
    'Menu.addToUi',
    'Session.getActiveUserLocale',
  ].includes(method);

export const authModeOf = (mode: Mode): 'NONE' | 'LIMITED' | 'FULL' =>
  mode === 'simple' ? 'LIMITED' : mode === 'load' ? 'NONE' : 'FULL';

/** A plain `Exception` as Apps Script throws it: name 'Exception', bare message. */
export function fail(exec: Exec, message: string): never {
  const e = exec.realm.error(message);
  e.name = 'Exception';
  throw e;
}

export const isDate = (x: unknown): x is Date => Object.prototype.toString.call(x) === '[object Date]';
