// The runtime's state on disk: a real .xlsx workbook (one tab per sheet, readable in LibreOffice or
// Excel) plus a sidecar JSON for what xlsx cannot hold (properties, triggers, protections, charts,
// the outbox index). Each sent email is also an .eml file, as a mail client would save it.
//
// A save survives being killed at any moment (issue #15 item 8): nothing is written in place.
// 1. the new workbook goes to `X.xlsx.tmp-…` and the new sidecar to `X.xlsx.state.json.next`,
//    each fsynced; the sidecar records the SHA-256 of the workbook it belongs to;
// 2. rename the workbook over `X.xlsx`, fsync the folder;
// 3. rename the sidecar over `X.xlsx.state.json`, fsync the folder.
// Killed before 2: the old pair is intact. Killed between 2 and 3: the workbook is new and the
// sidecar old, so their digests disagree, and the load finds the pending `.next` sidecar whose
// digest matches the workbook and completes step 3. Any other mismatch fails loudly.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { RuntimeState } from './state';
import type { CellData, Scalar } from './values';
import { type ChartData, type ProtectionData, SheetModel, WorkbookModel } from './workbook';

const SERIAL_EPOCH_UTC = Date.UTC(1899, 11, 30);
const PX_PER_CHAR = 7;

interface Sidecar {
  /** SHA-256 (hex) of the .xlsx this sidecar belongs to; absent in sidecars written before it existed. */
  workbookSha256?: string;
  workbook: {
    id: string;
    name: string;
    owner: string;
    timeZone: string;
    locale: string;
    nextSheetId: number;
    nextObjectId: number;
  };
  sheets: {
    name: string;
    id: number;
    maxRows: number;
    maxCols: number;
    hidden: boolean;
    colWidths: Record<number, number>;
    protections: ProtectionData[];
    charts: ChartData[];
  }[];
  state: RuntimeState;
}

export const sidecarPath = (workbookPath: string) => `${workbookPath}.state.json`;
/** The sidecar of a save that renamed its workbook but not yet its sidecar. */
export const pendingSidecarPath = (workbookPath: string) => `${sidecarPath(workbookPath)}.next`;

/** The steps of a save, named for tests that stop a save between two of them. */
export type SaveStep = 'temp-written' | 'workbook-renamed' | 'sidecar-renamed';

export interface SaveOptions {
  /** Called after each step; a throw there stops the save as a crash would. */
  afterStep?: (step: SaveStep) => void;
}

export class WorkbookMismatch extends Error {}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Writes `data` to `path` and fsyncs it before returning. */
async function writeDurably(path: string, data: string | Uint8Array) {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename in `dir` durable (Linux: fsync of the folder). */
async function syncDir(dir: string) {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms cannot open or fsync a folder; the renames are still atomic there.
  } finally {
    await fh?.close();
  }
}
export const outboxDir = (workbookPath: string) => `${workbookPath.replace(/\.xlsx$/, '')}-outbox`;

export async function saveWorkbook(
  path: string,
  wb: WorkbookModel,
  state: RuntimeState,
  options: SaveOptions = {},
): Promise<void> {
  const x = new ExcelJS.Workbook();
  for (const sheet of wb.sheets) {
    const ws = x.addWorksheet(sheet.name, {
      state: sheet.hidden ? 'hidden' : 'visible',
      views: sheet.frozenRows ? [{ state: 'frozen', ySplit: sheet.frozenRows }] : [],
    });
    for (const [col, px] of Object.entries(sheet.colWidths))
      ws.getColumn(Number(col)).width = px / PX_PER_CHAR;
    sheet.cells.forEach((row, r) => {
      row?.forEach((cell, c) => {
        if (!cell) return;
        const xc = ws.getCell(r + 1, c + 1);
        xc.value = cell.f
          ? { formula: cell.f.slice(1), result: cell.v as never }
          : cell.v === ''
            ? null
            : (cell.v as Scalar);
        if (cell.fmt) xc.numFmt = cell.fmt;
        if (cell.note) xc.note = cell.note;
        if (cell.validation?.type === 'VALUE_IN_LIST') {
          xc.dataValidation = {
            type: 'list',
            allowBlank: true,
            formulae: [`"${cell.validation.values.join(',')}"`],
            showErrorMessage: !cell.validation.allowInvalid,
            errorStyle: cell.validation.allowInvalid ? 'warning' : 'stop',
            prompt: cell.validation.helpText,
          };
        }
        const s = cell.style;
        if (s) {
          if (s.bold || s.fontColor)
            xc.font = { bold: !!s.bold, ...(s.fontColor ? { color: { argb: argb(s.fontColor) } } : {}) };
          if (s.background)
            xc.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(s.background) } };
          if (s.hAlign || s.vAlign || s.wrap) {
            xc.alignment = {
              horizontal: s.hAlign as never,
              vertical: (s.vAlign === 'middle' ? 'middle' : s.vAlign) as never,
              wrapText: !!s.wrap,
            };
          }
          if (s.border) {
            const thin = { style: 'thin' as const };
            xc.border = { top: thin, left: thin, bottom: thin, right: thin };
          }
        }
      });
    });
  }
  const xlsx = Buffer.from(await x.xlsx.writeBuffer());
  const sidecar: Sidecar = {
    workbookSha256: sha256(xlsx),
    workbook: {
      id: wb.id,
      name: wb.name,
      owner: wb.owner,
      timeZone: wb.timeZone,
      locale: wb.locale,
      nextSheetId: wb.nextSheetId,
      nextObjectId: wb.nextObjectId,
    },
    sheets: wb.sheets.map((s) => ({
      name: s.name,
      id: s.id,
      maxRows: s.maxRows,
      maxCols: s.maxCols,
      hidden: s.hidden,
      colWidths: s.colWidths,
      protections: s.protections,
      charts: s.charts,
    })),
    state,
  };
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(path);
  const tempWorkbook = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeDurably(tempWorkbook, xlsx);
  await writeDurably(pendingSidecarPath(path), `${JSON.stringify(sidecar, null, 1)}\n`);
  options.afterStep?.('temp-written');
  await rename(tempWorkbook, path);
  await syncDir(dir);
  options.afterStep?.('workbook-renamed');
  await rename(pendingSidecarPath(path), sidecarPath(path));
  await syncDir(dir);
  options.afterStep?.('sidecar-renamed');
  // Emails after the pair: an .eml exists only for a message its sidecar records.
  await writeOutbox(path, state);
}

/** Temp workbooks left by a save that was killed before its rename. */
async function removeStaleTemps(path: string) {
  const prefix = `${basename(path)}.tmp-`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => n.startsWith(prefix)).map((n) => unlink(join(dirname(path), n)).catch(() => {})),
  );
}

const argb = (color: string) => `FF${color.replace('#', '').toUpperCase().padStart(6, '0').slice(0, 6)}`;

async function writeOutbox(path: string, state: RuntimeState) {
  if (state.outbox.length === 0) return;
  const dir = outboxDir(path);
  await mkdir(dir, { recursive: true });
  for (const m of state.outbox) {
    const file = join(dir, m.file);
    if (existsSync(file)) continue;
    const composer = new MailComposer({
      from: m.name ? { name: m.name, address: m.from } : m.from,
      to: m.to,
      cc: m.cc || undefined,
      bcc: m.bcc || undefined,
      replyTo: m.replyTo || undefined,
      subject: m.subject,
      text: m.body,
      html: m.htmlBody || undefined,
      date: new Date(m.sentAt),
    });
    const mime = composer.compile();
    // Keep Bcc in the saved file: the outbox is the sender's copy.
    (mime as unknown as { keepBcc: boolean }).keepBcc = true;
    const eml = await new Promise<Buffer>((resolve, reject) =>
      mime.build((err, msg) => (err ? reject(err) : resolve(msg))),
    );
    // Aside then renamed: a killed save never leaves a truncated .eml that later saves would keep.
    const temp = `${file}.tmp-${process.pid}`;
    await writeDurably(temp, eml);
    await rename(temp, file);
  }
}

function readCell(xc: ExcelJS.Cell): CellData | undefined {
  const raw = xc.value;
  const cell: CellData = { v: '' };
  if (raw === null || raw === undefined) cell.v = '';
  else if (raw instanceof Date) cell.v = (raw.getTime() - SERIAL_EPOCH_UTC) / 86_400_000;
  else if (typeof raw === 'object' && 'formula' in raw) {
    cell.f = `=${raw.formula}`;
    cell.v = (raw.result as Scalar) ?? '';
  } else if (typeof raw === 'object' && 'richText' in raw) cell.v = raw.richText.map((t) => t.text).join('');
  else if (typeof raw === 'object' && 'text' in raw) cell.v = String(raw.text);
  else cell.v = raw as Scalar;
  if (xc.numFmt) cell.fmt = xc.numFmt;
  const note = xc.note;
  if (note) cell.note = typeof note === 'string' ? note : (note.texts ?? []).map((t) => t.text).join('');
  const dv = xc.dataValidation;
  if (dv?.type === 'list' && dv.formulae?.[0]) {
    const values = String(dv.formulae[0]).replace(/^"|"$/g, '').split(',');
    cell.validation = {
      type: 'VALUE_IN_LIST',
      values,
      allowInvalid: dv.errorStyle !== 'stop',
      helpText: dv.prompt ?? '',
    };
  }
  const style: NonNullable<CellData['style']> = {};
  if (xc.font?.bold) style.bold = true;
  if (xc.font?.color?.argb) style.fontColor = `#${xc.font.color.argb.slice(2)}`;
  const fill = xc.fill as ExcelJS.FillPattern | undefined;
  if (fill?.type === 'pattern' && fill.fgColor?.argb) style.background = `#${fill.fgColor.argb.slice(2)}`;
  if (xc.alignment?.horizontal) style.hAlign = xc.alignment.horizontal;
  if (xc.alignment?.vertical) style.vAlign = xc.alignment.vertical;
  if (xc.alignment?.wrapText) style.wrap = true;
  if (xc.border?.top) style.border = true;
  if (Object.keys(style).length) cell.style = style;
  return cell.v === '' && !cell.f && !cell.fmt && !cell.note && !cell.validation && !cell.style
    ? undefined
    : cell;
}

/**
 * The sidecar that belongs to the workbook bytes `xlsx`: the committed one, or the pending one of a
 * save killed between its two renames (the rename is then completed). Anything else fails loudly.
 */
async function matchingSidecar(path: string, xlsx: Uint8Array): Promise<Sidecar> {
  const digest = sha256(xlsx);
  const read = async (file: string): Promise<Sidecar | null> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Sidecar;
    } catch {
      return null;
    }
  };
  const committed = existsSync(sidecarPath(path)) ? await read(sidecarPath(path)) : null;
  if (committed?.workbookSha256 === digest) return committed;
  const pending = existsSync(pendingSidecarPath(path)) ? await read(pendingSidecarPath(path)) : null;
  if (pending && pending.workbookSha256 === digest) {
    await rename(pendingSidecarPath(path), sidecarPath(path));
    await syncDir(dirname(path));
    return pending;
  }
  // A sidecar written before digests existed is trusted only when no pending save claims the workbook.
  if (committed && committed.workbookSha256 === undefined) return committed;
  throw new WorkbookMismatch(
    committed
      ? `${path} does not match its sidecar ${sidecarPath(path)} (workbook sha256 ${digest}, sidecar says ${committed.workbookSha256}), and no pending sidecar matches it: restore both from a backup.`
      : `${sidecarPath(path)} is missing or unreadable, and no pending sidecar matches ${path}.`,
  );
}

export async function loadWorkbook(path: string): Promise<{ workbook: WorkbookModel; state: RuntimeState }> {
  const xlsx = await readFile(path);
  const sidecar = await matchingSidecar(path, xlsx);
  const x = new ExcelJS.Workbook();
  await x.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  const meta = sidecar.workbook;
  const wb = new WorkbookModel(meta.id, meta.name, meta.owner);
  Object.assign(wb, {
    timeZone: meta.timeZone,
    locale: meta.locale,
    nextSheetId: meta.nextSheetId,
    nextObjectId: meta.nextObjectId,
  });
  for (const ws of x.worksheets) {
    const info = sidecar.sheets.find((s) => s.name === ws.name);
    const sheet = new SheetModel(info?.id ?? wb.nextSheetId++, ws.name);
    if (info)
      Object.assign(sheet, {
        maxRows: info.maxRows,
        maxCols: info.maxCols,
        hidden: info.hidden,
        colWidths: info.colWidths,
        protections: info.protections,
        charts: info.charts,
      });
    const frozen = ws.views?.find((v) => v.state === 'frozen') as { ySplit?: number } | undefined;
    sheet.frozenRows = frozen?.ySplit ?? 0;
    ws.eachRow({ includeEmpty: true }, (row, r) => {
      row.eachCell({ includeEmpty: true }, (xc, c) => {
        const cell = readCell(xc);
        if (cell) (sheet.cells[r - 1] ??= [])[c - 1] = cell;
      });
    });
    wb.sheets.push(sheet);
  }
  return { workbook: wb, state: sidecar.state };
}
