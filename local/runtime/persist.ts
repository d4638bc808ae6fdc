// The runtime's state on disk: a real .xlsx workbook (one tab per sheet, readable in LibreOffice or
// Excel) plus a sidecar JSON for what xlsx cannot hold (properties, triggers, protections, charts,
// the outbox index). Each sent email is also an .eml file, as a mail client would save it.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { RuntimeState } from './state';
import type { CellData, Scalar } from './values';
import { type ChartData, type ProtectionData, SheetModel, WorkbookModel } from './workbook';

const SERIAL_EPOCH_UTC = Date.UTC(1899, 11, 30);
const PX_PER_CHAR = 7;

interface Sidecar {
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
export const outboxDir = (workbookPath: string) => `${workbookPath.replace(/\.xlsx$/, '')}-outbox`;

export async function saveWorkbook(path: string, wb: WorkbookModel, state: RuntimeState): Promise<void> {
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
  const sidecar: Sidecar = {
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
  await x.xlsx.writeFile(path);
  await writeFile(sidecarPath(path), `${JSON.stringify(sidecar, null, 1)}\n`);
  await writeOutbox(path, state);
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
    await writeFile(file, eml);
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

export async function loadWorkbook(path: string): Promise<{ workbook: WorkbookModel; state: RuntimeState }> {
  const sidecar = JSON.parse(await readFile(sidecarPath(path), 'utf8')) as Sidecar;
  const x = new ExcelJS.Workbook();
  await x.xlsx.readFile(path);
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
