// What each service call costs in time: one table, so that executions have durations, the 6-minute
// limit can be reached, and benchmarks can compare round trips (APPS-SCRIPT-SEMANTICS.md §15).
//
// What a user waits for on Apps Script is round trips and slow calls, not the script's own CPU:
// the runtime charges nothing for JS between calls. Each figure below names its source; where no
// published measurement exists the figure is marked ESTIMATE with the reason. Treat every figure as
// an order of magnitude, as §15 says of its own sources.

/** Published or estimated costs, in milliseconds. */
export const COST = {
  /**
   * Writing one cell in a setValues call, before any flush: 4,000 cells in one setValues took under
   * 50 ms (§15: ruby-bash.developreference.com/article/29263774), so 50 / 4,000 per cell.
   */
  writePerCell: 50 / 4000,
  /**
   * The fixed part of a flush (pending writes sent to the sheet): flushing after every row made 400
   * rows take 12 s instead of 164 ms (same source), about 30 ms per flush of one short row.
   */
  flush: 30,
  /**
   * The per-cell part of a flush: the 4,000-cell setValues followed by one flush took about 610 ms
   * (same source): (610 − 50 − 30) / 4,000 ≈ 0.13 ms per cell.
   */
  flushPerCell: (610 - 50 - 30) / 4000,
  /**
   * ESTIMATE. A read of cell data (getValues and friends) is a round trip to the sheet; §15 has no
   * read figure, only that reads force pending writes out (googleappsscript.blogspot.com 2010/06).
   * Taken equal to the flush round trip above, as both carry a request to the sheet and back.
   */
  read: 30,
  /** ESTIMATE: reading one cell, taken equal to writing one (no published per-cell read figure). */
  readPerCell: 50 / 4000,
  /**
   * ESTIMATE. A write call itself (setValues, setNote, insertRows…): batched until the next read or
   * flush, so the call returns at once; 1 ms for the call, the cells cost `writePerCell`.
   */
  write: 1,
  /**
   * ESTIMATE. Calls that resolve objects without cell data (getRange, getSheetByName, getName,
   * getRow…): no published figure; the script runtime answers them from the spreadsheet's metadata,
   * so they are taken as nearly free.
   */
  local: 0.5,
  /** PropertiesService reads ≈ 30 ms (§15: ziritione.org/post/apps_script_performance). */
  propertiesRead: 30,
  /** PropertiesService writes ≈ 62 ms (same source). */
  propertiesWrite: 62,
  /**
   * ESTIMATE. A lock call (tryLock/waitLock when free, releaseLock): no published figure; the lock
   * lives in a shared service, so one service round trip, taken as a Properties read (30 ms).
   */
  lock: 30,
  /**
   * ESTIMATE. MailApp.sendEmail: no published figure in §15; sending hands the message to Gmail, a
   * remote service slower than Properties: 500 ms, so that a send run of a few hundred requests
   * meets its time budget as it would on the platform.
   */
  sendEmail: 500,
  /** ESTIMATE. MailApp.getRemainingDailyQuota: one service round trip (as `lock`). */
  mailQuota: 30,
  /**
   * ESTIMATE. Creating or deleting an installable trigger, listing triggers: a remote call to the
   * script's project; no published figure: 200 ms.
   */
  triggers: 200,
  /** ESTIMATE. Dialogs, sidebars, toasts and menus: one round trip to the editor's page: 50 ms. */
  ui: 50,
  /** ESTIMATE. HtmlService reading a project file: 20 ms. */
  html: 20,
  /**
   * ESTIMATE. One request of the Sheets advanced service (Values.batchGet): a REST call through the
   * API front end rather than the script runtime's own channel to the sheet. No published figure
   * in §15: taken as three SpreadsheetApp reads (90 ms), however many ranges it carries. Its cells
   * cost what cells of getValues cost: 120,000 rows × 2 columns took 7.4 s by getValues and 6.0 s
   * by the API (qiita.com/shi-suzuki/items/d23c6c7e4a0bbe2831af), the same order per cell.
   */
  sheetsApiRead: 90,
} as const;

/** `apiRead`: a read through the Sheets API, which sees the sheet as saved (no flush, sheets-api.ts). */
export type CallKind = 'read' | 'apiRead' | 'write' | 'flush' | 'other';

export interface CallCost {
  kind: CallKind;
  /** The fixed cost of the call, before cells (reads: also before the flush it forces). */
  ms: number;
}

const SHEET_CLASSES = new Set(['Range', 'RangeList', 'Sheet', 'Spreadsheet']);
/** Reads of cell data (or of what only the cell data tells, as the last row with content). */
const READS =
  /^(getValues?|getDisplayValues?|getFormulas?|getNotes?|getBackgrounds?|getDataValidations?|getNumberFormats?|getFontWeights?|getFontColors?|getSheetValues|getLastRow|getLastColumn|getDataRange|getMergedRanges|getProtections|findAll|findNext)$/;
/** Calls that change the sheet: batched as writes. */
const WRITES =
  /^(set|clear|insert|delete|append|protect|merge|break|sort|copy|move|hide|show|unhide|autoResize|add|remove|update|activate|toast|duplicate|deleteRows|deleteColumns|trim|randomize)/;

/** The class and fixed cost of `Class.method`. */
export function costOf(method: string): CallCost {
  const dot = method.indexOf('.');
  const cls = method.slice(0, dot);
  const name = method.slice(dot + 1);
  if (method === 'SpreadsheetApp.flush') return { kind: 'flush', ms: 0 };
  if (method === 'Sheets.Spreadsheets.Values.batchGet') return { kind: 'apiRead', ms: COST.sheetsApiRead };
  if (SHEET_CLASSES.has(cls)) {
    if (READS.test(name)) return { kind: 'read', ms: COST.read };
    if (WRITES.test(name)) return { kind: 'write', ms: COST.write };
    return { kind: 'other', ms: COST.local };
  }
  if (cls === 'Protection' || cls === 'DataValidationBuilder' || cls === 'EmbeddedChartBuilder')
    return { kind: 'other', ms: COST.local };
  if (cls === 'Properties') {
    return /^(get)/.test(name)
      ? { kind: 'other', ms: COST.propertiesRead }
      : { kind: 'other', ms: COST.propertiesWrite };
  }
  if (cls === 'Lock') {
    return name === 'tryLock' || name === 'waitLock' || name === 'releaseLock'
      ? { kind: 'other', ms: COST.lock }
      : { kind: 'other', ms: COST.local };
  }
  if (method === 'MailApp.sendEmail') return { kind: 'other', ms: COST.sendEmail };
  if (method === 'MailApp.getRemainingDailyQuota') return { kind: 'other', ms: COST.mailQuota };
  if (
    method === 'ScriptApp.getProjectTriggers' ||
    method === 'ScriptApp.deleteTrigger' ||
    method === 'TriggerBuilder.create'
  )
    return { kind: 'other', ms: COST.triggers };
  if (cls === 'Ui' || cls === 'Menu') return { kind: 'other', ms: COST.ui };
  if (method === 'HtmlService.createHtmlOutputFromFile' || method === 'HtmlService.createTemplateFromFile')
    return { kind: 'other', ms: COST.html };
  // Utilities (sleep is charged by its own duration), Session, Logger, builders: local work.
  return { kind: 'other', ms: COST.local };
}

type Sized = { getNumRows(): number; getNumColumns(): number };
type SheetLike = { getLastRow(): number; getLastColumn(): number };

const isSized = (x: unknown): x is Sized =>
  !!x && typeof (x as Sized).getNumRows === 'function' && typeof (x as Sized).getNumColumns === 'function';

/** Cells a write call changes, known before it runs: the rows it is given, else the range's size. */
export function cellsWritten(method: string, target: unknown, args: unknown[]): number {
  const name = method.slice(method.indexOf('.') + 1);
  const first = args[0];
  if (Array.isArray(first) && first.every(Array.isArray))
    return (first as unknown[][]).reduce((n, r) => n + r.length, 0);
  if (name === 'appendRow' && Array.isArray(first)) return first.length;
  if (isSized(target)) return target.getNumRows() * target.getNumColumns();
  if (/^clear/.test(name) && target && typeof (target as SheetLike).getLastRow === 'function') {
    const s = target as SheetLike;
    return s.getLastRow() * s.getLastColumn();
  }
  return 0;
}

/** Cells a read call returned: a grid counts its cells, a single value one, a row number none. */
export function cellsRead(method: string, result: unknown): number {
  if (method === 'Sheets.Spreadsheets.Values.batchGet') {
    const ranges = (result as { valueRanges?: { values?: unknown[][] }[] }).valueRanges ?? [];
    return ranges.reduce((n, r) => n + (r.values ?? []).reduce((m, row) => m + row.length, 0), 0);
  }
  if (Array.isArray(result)) return result.reduce((n: number, r) => n + (Array.isArray(r) ? r.length : 1), 0);
  const name = method.slice(method.indexOf('.') + 1);
  if (/^(getLastRow|getLastColumn|getDataRange|getMergedRanges|getProtections)$/.test(name)) return 0;
  return 1;
}

/** A flush of `cells` pending cells. */
export const flushCost = (cells: number) => COST.flush + COST.flushPerCell * cells;

/** Executions are stopped at 6 minutes; simple triggers (and onOpen) at 30 seconds (§0.9). */
export const LIMIT_MS = 6 * 60_000;
export const SIMPLE_LIMIT_MS = 30_000;
