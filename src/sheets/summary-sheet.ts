// Lays the summary out on 集計 as in the seed (pages 4–6) and writes it with one setValues and a
// fixed number of formatting calls, however many proposals there are.

import { asOfLabel, fiscalYearLabel, fiscalYearOf, monthDay, warekiDate } from '../domain/dates';
import { sha256Hex } from '../domain/hash';
import { PROGRESS_FIELD_LABELS } from '../domain/history-entry';
import { COUNTED_STAGES, STAGE_HEADINGS, STAGE_LIST_LABELS } from '../domain/labels';
import { changeLine, reportedHeading } from '../domain/published';
import type { Summary } from '../domain/summary';
import { asText } from './cells';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Cell = string | number;

export const WIDTH = 6;
const KIND_LABEL = { user: 'ユーザーの困りごと', staff: '職員の困りごと' } as const;

/** A table on the sheet: its header row and body, for borders and shading. */
interface Block {
  row: number;
  rows: number;
  cols: number;
  /** The first column (1-based) holding numbers, 0 for none. */
  numericFrom: number;
  /** The unit each numeric column shows after its number (5件, 12日), as the seed writes them. */
  units: string[];
}

export interface SummaryLayout {
  cells: Cell[][];
  titleRows: number[];
  blocks: Block[];
  progressTable: { row: number; rows: number; cols: number };
}

/** 'R7-U03 保護課：段階 ②→①（11月20日付、12月1日記録）理由：…' */
function correctionLine(c: Summary['corrections'][number]): string {
  const what = c.field === PROGRESS_FIELD_LABELS.stage ? `${c.id} ${c.department}：段階` : `${c.id}：判断`;
  const to = c.new || '取消';
  const dates = `${monthDay(c.effective)}付、${monthDay(c.recordedAt.slice(0, 10))}記録`;
  return `${what} ${c.old}→${to}（${dates}）理由：${c.reason}`;
}

export function layoutSummary(s: Summary): SummaryLayout {
  const cells: Cell[][] = [];
  const titleRows: number[] = [];
  const blocks: Block[] = [];
  // The year comes from the day itself: 令和7年度 as of R8.12.1 never reads 「12月1日時点」 alone.
  const at = fiscalYearOf(s.asOf) === s.fiscalYear ? asOfLabel(s.asOf) : `${warekiDate(s.asOf)}時点`;
  /**
   * Adds a row (padded in place to the tab's width: the lists pass 10,000 fresh rows). Every text
   * is written as text: 設定's project name and lists, department names and proposal titles come
   * from cells people type, and '=IMPORTXML(…)' there must never become a formula here.
   */
  const add = (row: Cell[]) => {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (typeof v === 'string') row[i] = asText(v);
    }
    while (row.length < WIDTH) row.push('');
    cells.push(row);
  };
  const push = (...row: Cell[]) => add(row);
  const title = (t: string) => {
    push(t);
    titleRows.push(cells.length);
  };
  const table = (header: Cell[], body: Cell[][], numericFrom = 2, units?: string[]) => {
    const numeric = numericFrom > 0 ? header.length - numericFrom + 1 : 0;
    blocks.push({
      row: cells.length + 1,
      rows: body.length + 1,
      cols: header.length,
      numericFrom,
      units: units ?? new Array<string>(numeric).fill('件'),
    });
    add(header.slice());
    for (const r of body) add(r);
    push();
  };

  title(`${s.projectName} ${fiscalYearLabel(s.fiscalYear)} 課題提案の進捗状況（${at}）`);
  push();
  title(`PTの課題提案数（${at}）`);
  table(
    ['種別', '件数'],
    [
      [`${KIND_LABEL.user}にかかる課題提案`, s.byKind.user],
      [`${KIND_LABEL.staff}にかかる課題提案`, s.byKind.staff],
      ['合計', s.byKind.total],
    ],
  );
  title(`各課題の進捗状況（${at}）`);
  const progressRow = cells.length + 1;
  const counts = (c: Summary['progress']['user']) => [c['1'], c['2'], c['3'], c['4'], c.total];
  table(
    ['進捗の段階', ...COUNTED_STAGES.map((st) => STAGE_HEADINGS[st]), '合計'],
    [
      [KIND_LABEL.user, ...counts(s.progress.user)],
      [KIND_LABEL.staff, ...counts(s.progress.staff)],
      ['合計', ...counts(s.progress.total)],
    ],
  );
  cells.pop();
  push('※1 所管が複数にまたがる課題は、PTと所管課との協議が一番進んでいるものでカウント。');
  push(
    '※2 進捗によって、課題自体に認識の誤りがあったもの、解決が望めないと判明したもの等はその段階で検討終了と判断する。',
  );
  if (s.corrections.length) {
    push(`※3 ${at}の集計は変更履歴から再現しており、次の訂正をその効力日から反映しています。`);
    for (const c of s.corrections) push(`　${correctionLine(c)}`);
  }
  for (const r of s.reported ?? []) {
    if (!r.changes.length) continue;
    push(reportedHeading(r.asOf, r.sheet, r.changes.length));
    for (const c of r.changes) push(`　${changeLine(c)}`);
  }
  push(
    `未提示（上表に含めない）：${KIND_LABEL.user} ${s.notPresented.user}件、${KIND_LABEL.staff} ${s.notPresented.staff}件`,
  );
  push();
  title('場面・分類別の件数');
  table(
    ['種別', '場面・分類', '件数'],
    (['user', 'staff'] as const).flatMap((k) =>
      Object.entries(s.categories[k]).map(([c, n]): Cell[] => [KIND_LABEL[k], c, n]),
    ),
    3,
  );
  (['user', 'staff'] as const).forEach((k, n) => {
    title(`(${n + 1})『${KIND_LABEL[k]}』(${s.byKind[k]}件)`);
    table(
      ['No.', KIND_LABEL[k], '課題(提案)名', `進捗状況(${at.replace('時点', '')}時点)`],
      s.lists[k].map((r) => [r.no, r.painPoint, r.title, STAGE_LIST_LABELS[r.stage]]),
      0,
    );
  });
  title('所管課別の状況');
  table(
    ['所管課', '協議中', '未送信', '回答済', '最長待ち日数', '期限超過'],
    s.departments.map((d) => [d.name, d.open, d.unsent, d.answered, d.oldestOpenDays, d.overdue]),
    2,
    ['件', '件', '件', '日', '件'],
  );
  title('検討終了の理由');
  table(['終了理由', '件数'], Object.entries(s.ended));
  title('実施状況（検討継続）');
  table(['実施状況', '件数'], Object.entries(s.implementation));
  const carried = s.carriedOver;
  if (carried) {
    // The seed's third stream: the previous 年度's proposals still under consideration, apart.
    title(
      `${carried.label}（${fiscalYearLabel(carried.fromFiscalYear)}から継続して検討する課題 ${carried.total}件、上表に含めない）`,
    );
    table(['判断', '件数'], Object.entries(carried.byJudgment));
    table(['実施状況', '件数'], Object.entries(carried.byStatus));
    table(
      ['ID'],
      carried.ids.map((id) => [id]),
      0,
    );
  }
  return { cells, titleRows, blocks, progressTable: { row: progressRow, rows: 3, cols: 5 } };
}

/**
 * What is on 集計, kept in the script properties: the layout's shape (row count, tables, titles,
 * the chart's range) and a digest of each chunk of rows, so that a rebuild after a save writes
 * only the rows whose values changed, without reading the sheet.
 */
export interface SummaryPrint {
  shape: string;
  chunk: number;
  digests: string[];
  /**
   * The tab's row count when written: rows a person inserted or deleted since (which move what
   * the digests describe) change it, and the tab is written whole again.
   */
  maxRows?: number;
}

const chartRange = (p: SummaryLayout['progressTable']) =>
  `A${p.row}:${String.fromCharCode(64 + p.cols)}${p.row + p.rows - 1}`;

export function printOf(layout: SummaryLayout): SummaryPrint {
  const { cells, titleRows, blocks, progressTable } = layout;
  const shape = sha256Hex(JSON.stringify([cells.length, titleRows, blocks, progressTable])).slice(0, 16);
  // At most about 300 chunks: the print stays well inside one property (9 KB).
  const chunk = Math.max(50, Math.ceil(cells.length / 300));
  const digests: string[] = [];
  for (let at = 0; at < cells.length; at += chunk)
    digests.push(sha256Hex(JSON.stringify(cells.slice(at, at + chunk))).slice(0, 12));
  return { shape, chunk, digests };
}

/** The sheet's one chart, when it shows the progress table where this layout has it. */
function sameChart(sheet: Sheet, layout: SummaryLayout) {
  const charts = sheet.getCharts();
  if (charts.length !== 1) return false;
  const want = chartRange(layout.progressTable);
  const ranges = charts[0]!.getRanges() as unknown[];
  return (
    ranges.length === 1 &&
    [ranges[0]].every((r) =>
      typeof r === 'string'
        ? r.replace(/^.*!/, '') === want
        : (r as GoogleAppsScript.Spreadsheet.Range).getA1Notation() === want,
    )
  );
}

/**
 * Regenerates 集計. Given the print of what is on it and the same shape, values only are written
 * (the formatting and the chart stay): with `only` 'changed', just the chunks of rows whose values
 * changed; with 'all', every row (what someone typed over the tab goes too). Otherwise: clear, one
 * setValues, fixed formatting, and the chart, removed and inserted again only when its range
 * moved. Returns the print of what is now on the sheet.
 */
export function writeSummarySheet(
  sheet: Sheet,
  s: Summary,
  before?: SummaryPrint | null,
  only: 'changed' | 'all' = 'changed',
): SummaryPrint {
  const layout = layoutSummary(s);
  const print = printOf(layout);
  const rows = layout.cells.length;
  if (
    before &&
    before.shape === print.shape &&
    before.chunk === print.chunk &&
    before.maxRows === sheet.getMaxRows() &&
    sameChart(sheet, layout)
  ) {
    print.maxRows = before.maxRows;
    let k = 0;
    while (k < print.digests.length) {
      if (only === 'changed' && print.digests[k] === before.digests[k]) {
        k++;
        continue;
      }
      let end = k + 1;
      while (end < print.digests.length && (only === 'all' || print.digests[end] !== before.digests[end]))
        end++;
      const from = k * print.chunk;
      const to = Math.min(rows, end * print.chunk);
      sheet.getRange(from + 1, 1, to - from, WIDTH).setValues(layout.cells.slice(from, to));
      k = end;
    }
    return print;
  }
  const keepChart = sameChart(sheet, layout);
  sheet.clear();
  if (!keepChart) for (const chart of sheet.getCharts()) sheet.removeChart(chart);
  const maxRows = sheet.getMaxRows();
  // The one call that varies: growing the tab when the lists outgrow it.
  if (maxRows < rows) sheet.insertRowsAfter(maxRows, rows - maxRows);
  print.maxRows = Math.max(maxRows, rows);
  const all = sheet.getRange(1, 1, rows, WIDTH);
  all.setValues(layout.cells);
  all.setVerticalAlignment('middle').setWrap(true);
  const titles = layout.titleRows.map((r) => `A${r}`);
  if (titles.length) sheet.getRangeList(titles).setFontWeight('bold');
  const headers = layout.blocks.map((b) => `A${b.row}:${String.fromCharCode(64 + b.cols)}${b.row}`);
  sheet.getRangeList(headers).setBackground('#e8f0fe').setFontWeight('bold').setHorizontalAlignment('center');
  const bodies = layout.blocks.map(
    (b) => `A${b.row}:${String.fromCharCode(64 + b.cols)}${b.row + b.rows - 1}`,
  );
  sheet.getRangeList(bodies).setBorder(true, true, true, true, true, true);
  const counted = layout.blocks.filter((b) => b.numericFrom > 0 && b.rows > 1);
  const column = (b: Block, from: number, to = from) =>
    `${String.fromCharCode(64 + from)}${b.row + 1}:${String.fromCharCode(64 + to)}${b.row + b.rows - 1}`;
  if (counted.length) {
    sheet.getRangeList(counted.map((b) => column(b, b.numericFrom, b.cols))).setHorizontalAlignment('right');
    // Numbers stay numbers (the chart and a pasted table can sum them) but read as in the seed.
    for (const unit of ['件', '日']) {
      const ranges = counted.flatMap((b) =>
        b.units.flatMap((u, k) => (u === unit ? [column(b, b.numericFrom + k)] : [])),
      );
      if (ranges.length) sheet.getRangeList(ranges).setNumberFormat(`0"${unit}"`);
    }
  }
  sheet.setColumnWidth(1, 260);
  sheet.setColumnWidths(2, WIDTH - 1, 170);
  const p = layout.progressTable;
  if (keepChart) return print;
  const chart = sheet
    .newChart()
    .setChartType(Charts.ChartType.BAR)
    .addRange(sheet.getRange(p.row, 1, p.rows, p.cols))
    .setOption('isStacked', true)
    .setOption('title', '種別ごとの進捗')
    .setPosition(1, WIDTH + 2, 0, 0)
    .build();
  sheet.insertChart(chart);
  return print;
}

/**
 * A published report (報告 R7.11.25): the summary laid out as on 集計, with a closing line saying
 * when and by whom it was published. Written once, on a new sheet; never rewritten.
 */
export function writeReportSheet(sheet: Sheet, s: Summary, closing: string): SummaryLayout {
  // A new sheet: no print to compare with, so every value, the formatting and the chart are written.
  writeSummarySheet(sheet, s, null, 'all');
  const layout = layoutSummary(s);
  const at = layout.cells.length + 2;
  if (sheet.getMaxRows() < at) sheet.insertRowsAfter(sheet.getMaxRows(), at - sheet.getMaxRows());
  sheet.getRange(at, 1).setValue(asText(closing));
  return layout;
}
