// The offline spreadsheet page: the workbook's sheets in a grid, the add-on's menu, the real
// built sidebar (dist/Sidebar.html) in a 300 px panel, the outbox, and web app requests.
// Every edit goes through the installable triggers as in Sheets; every change is saved to the .xlsx.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { openRuntime } from './open';
import { changeRows, sortSheet, typeInto } from './runtime/people';
import { saveWorkbook } from './runtime/persist';
import { CallRefused, type Runtime } from './runtime/runtime';
import { displayValue, isDateFormat } from './runtime/values';
import type { ChartData } from './runtime/workbook';
import { googleShim } from './web/run-shim';

export const USERS = [
  { email: 'secretariat@example.jp', label: '事務局(所有者)' },
  { email: 'pt.tanaka@example.jp', label: 'PT 田中' },
  { email: 'pt.suzuki@example.jp', label: 'PT 鈴木' },
  { email: 'someone@example.jp', label: '権限のない職員' },
];

export interface ServeOptions {
  workbook: string;
  port?: number;
  /** For tests: the runtime to serve (otherwise opened from the workbook). */
  runtime?: Runtime;
  save?: boolean;
  /** Recipients a day (MailApp's quota), as the CLI's --mail-quota. */
  mailQuota?: number;
  /** Sends before MailApp dies (the run stops as at the time limit), as the CLI's --fail-mail-after. */
  failMailAfter?: number;
}

/** What the page draws for an embedded chart: its recorded ranges read as Sheets reads them. */
export interface ChartView {
  type: string;
  title: string;
  stacked: boolean;
  /** Where Sheets anchors it: the 1-based row and column of its top left corner, and offsets in px. */
  position: { row: number; col: number; offsetX: number; offsetY: number };
  /** The first column below the header row: one bar (category) each. */
  categories: string[];
  /** Each further column: its header, and one number per category (0 for a blank or text). */
  series: { name: string; values: number[] }[];
}

const colNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/** The cells of one recorded range ('集計!A10:E12'), as displayed, with the numbers kept numbers. */
function rangeCells(rt: Runtime, a1: string): (string | number)[][] {
  const bang = a1.lastIndexOf('!');
  const name = a1
    .slice(0, bang)
    .replace(/^'(.*)'$/, '$1')
    .replace(/''/g, "'");
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(a1.slice(bang + 1));
  const sheet = rt.workbook.sheet(name);
  if (!m || !sheet) return [];
  const [r1, c1] = [Number(m[2]) - 1, colNumber(m[1]!) - 1];
  const [r2, c2] = [Number(m[4] ?? m[2]) - 1, colNumber(m[3] ?? m[1]!) - 1];
  const out: (string | number)[][] = [];
  for (let r = r1; r <= r2; r++) {
    const row: (string | number)[] = [];
    for (let c = c1; c <= c2; c++) {
      const cell = sheet.cell(r, c);
      row.push(typeof cell?.v === 'number' ? cell.v : cell ? displayValue(cell) : '');
    }
    out.push(row);
  }
  return out;
}

/** A chart as the page draws it: the first row names the series, the first column the categories. */
function chartView(rt: Runtime, chart: ChartData): ChartView {
  const cells = chart.ranges.flatMap((a1) => rangeCells(rt, a1));
  const [header = [], ...rows] = cells;
  return {
    type: chart.type,
    title: String(chart.options.title ?? ''),
    stacked: chart.options.isStacked === true,
    position: chart.position,
    categories: rows.map((r) => String(r[0] ?? '')),
    series: header.slice(1).map((name, k) => ({
      name: String(name),
      values: rows.map((r) => (typeof r[k + 1] === 'number' ? (r[k + 1] as number) : 0)),
    })),
  };
}

function sheetJson(rt: Runtime) {
  return rt.workbook.sheets.map((s) => {
    const rows = Math.max(s.lastRow(), 1);
    const cols = Math.max(s.lastColumn(), 1);
    const cells: unknown[][] = [];
    for (let r = 0; r < rows; r++) {
      const row: unknown[] = [];
      for (let c = 0; c < cols; c++) {
        const cell = s.cell(r, c);
        row.push(
          cell
            ? {
                d: displayValue(cell),
                n: cell.note,
                v: cell.validation?.values,
                s: cell.style,
                num: typeof cell.v === 'number' && !isDateFormat(cell.fmt),
              }
            : null,
        );
      }
      cells.push(row);
    }
    return {
      name: s.name,
      frozenRows: s.frozenRows,
      widths: s.colWidths,
      cells,
      charts: s.charts.map((c) => chartView(rt, c)),
      protected: s.protections.length > 0,
    };
  });
}

const MENU = [
  { caption: 'サイドバーを開く', fn: 'menuOpenSidebar' },
  { caption: '集計を更新', fn: 'menuRebuildSummary' },
  { caption: '取込(CSV)', fn: 'menuImport' },
  { caption: '初期設定', fn: 'menuSetup' },
];

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const PAGE_CSS =
  'body{font-family:Arial,"IPAGothic",sans-serif;font-size:14px;margin:24px;color:#202124}table{border-collapse:collapse}td,th{border-bottom:1px solid #e0e0e0;padding:6px 10px;text-align:left}pre{white-space:pre-wrap;background:#f8f9fa;padding:12px;font-family:inherit}dt{color:#5f6368}iframe{width:100%;height:420px;border:1px solid #dadce0}';

function outboxList(rt: Runtime): string {
  const rows = rt.state.outbox
    .slice()
    .reverse()
    .map(
      (m) =>
        `<tr><td>${esc(japanTime(m.sentAt))}</td><td>${esc(m.from)}</td><td>${esc(m.to)}</td><td><a href="/outbox/${m.id}">${esc(m.subject)}</a></td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>送信トレイ</title><style>${PAGE_CSS}</style></head><body><h1>送信トレイ(${rt.state.outbox.length}通)</h1><table><thead><tr><th>送信日時</th><th>差出人</th><th>宛先</th><th>件名</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}

/** One email as a mail client shows it: headers, the text with its links, the HTML version. */
function mailView(m: Runtime['state']['outbox'][number]): string {
  const text = esc(m.body).replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}">${u}</a>`);
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${esc(m.subject)}</title><style>${PAGE_CSS}</style></head><body><p><a href="/outbox">← 送信トレイ</a></p><h1>${esc(m.subject)}</h1><dl><dt>差出人</dt><dd>${esc(m.name)} &lt;${esc(m.from)}&gt;</dd><dt>宛先</dt><dd>${esc(m.to)}</dd><dt>返信先</dt><dd>${esc(m.replyTo)}</dd><dt>日時</dt><dd>${esc(japanTime(m.sentAt))}</dd></dl><pre class="mail-body">${text}</pre>${m.htmlBody ? `<h2>HTML版</h2><iframe sandbox="" srcdoc="${esc(m.htmlBody)}" title="HTML版"></iframe>` : ''}</body></html>`;
}

export async function serve(
  opts: ServeOptions,
): Promise<{ server: Server; port: number; runtime: Runtime; close(): Promise<void> }> {
  const rt = opts.runtime ?? (await openRuntime(opts.workbook));
  if (opts.mailQuota !== undefined) rt.state.mail.dailyQuota = opts.mailQuota;
  if (opts.failMailAfter !== undefined) rt.host.mailFailAfter = opts.failMailAfter;
  const dist = rt.distDir;
  const page = await esbuild.build({
    entryPoints: [join(import.meta.dirname, 'web/app.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    charset: 'utf8',
  });
  const appJs = page.outputFiles[0]!.text;
  const appCss = readFileSync(join(import.meta.dirname, 'web/app.css'), 'utf8');
  let saving = Promise.resolve();
  const persist = () => {
    if (opts.save === false) return saving;
    saving = saving.then(() => saveWorkbook(opts.workbook, rt.workbook, rt.state));
    return saving;
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const user = url.searchParams.get('user') ?? USERS[0]!.email;
      if (req.method === 'GET' && url.pathname === '/') {
        return send(
          res,
          200,
          `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>プラチナ提案台帳 (オフライン)</title><style>${appCss}</style></head><body><script>window.USERS=${JSON.stringify(USERS)};window.MENU=${JSON.stringify(MENU)};</script><script>${appJs}</script></body></html>`,
          'text/html; charset=utf-8',
        );
      }
      if (url.pathname === '/favicon.ico') return send(res, 204, '');
      if (req.method === 'GET' && url.pathname === '/api/workbook')
        return send(res, 200, JSON.stringify({ sheets: sheetJson(rt), outbox: rt.state.outbox.length }));
      if (req.method === 'GET' && url.pathname === '/sidebar') {
        const html = readFileSync(join(dist, 'Sidebar.html'), 'utf8');
        return send(
          res,
          200,
          html.replace('<head>', `<head>${googleShim(user)}`),
          'text/html; charset=utf-8',
        );
      }
      if (req.method === 'GET' && url.pathname === '/dialog') {
        const name = url.searchParams.get('name') ?? '';
        if (!/^[A-Za-z]+$/.test(name)) return send(res, 400, 'bad dialog', 'text/plain');
        const html = readFileSync(join(dist, `${name}.html`), 'utf8');
        return send(
          res,
          200,
          html.replace('<head>', `<head>${googleShim(user)}`),
          'text/html; charset=utf-8',
        );
      }
      if (req.method === 'POST' && url.pathname === '/api/run') {
        const body = (await readBody(req)) as { fn: string; args: unknown[]; user: string; web?: boolean };
        // What a run wrote and sent before it failed or died stays, as on the platform: saved either way.
        try {
          const value = body.web
            ? rt.callWeb(body.fn, body.args ?? [], '')
            : rt.call(body.fn, body.args ?? [], body.user);
          await persist();
          return send(res, 200, JSON.stringify({ value, ui: rt.ui }));
        } catch (e) {
          await persist();
          return send(
            res,
            200,
            JSON.stringify({
              error: e instanceof CallRefused ? e.message : String((e as Error).message),
              ui: rt.ui,
            }),
          );
        }
      }
      if (req.method === 'POST' && url.pathname === '/api/menu') {
        const body = (await readBody(req)) as { fn: string; user: string };
        if (!MENU.some((m) => m.fn === body.fn)) return send(res, 400, '{"error":"unknown menu item"}');
        try {
          rt.execute(body.fn, { mode: 'menu', activeUser: body.user });
        } catch (e) {
          await persist();
          return send(res, 200, JSON.stringify({ error: (e as Error).message, ui: rt.ui }));
        }
        await persist();
        return send(res, 200, JSON.stringify({ ui: rt.ui }));
      }
      if (req.method === 'POST' && url.pathname === '/api/edit') {
        const body = (await readBody(req)) as { ref: string; values: string[][]; user: string };
        const start = rt.uiLog.length;
        try {
          typeInto(rt, body.ref, body.values, { user: body.user });
        } catch (e) {
          // The edit stands and a trigger run that died keeps what it did: saved, then reported.
          await persist();
          return send(res, 200, JSON.stringify({ error: (e as Error).message, ui: rt.uiLog.slice(start) }));
        }
        const ui = rt.uiLog.slice(start);
        await persist();
        return send(res, 200, JSON.stringify({ ui }));
      }
      if (req.method === 'POST' && url.pathname === '/api/rows') {
        const body = (await readBody(req)) as {
          sheet: string;
          from: number;
          to: number;
          kind: 'INSERT_ROW' | 'REMOVE_ROW' | 'SORT';
          column?: number;
          user: string;
        };
        try {
          if (body.kind === 'SORT') sortSheet(rt, body.sheet, body.column ?? 1, { user: body.user });
          else changeRows(rt, body.sheet, body.from, body.to, body.kind, { user: body.user });
        } catch (e) {
          await persist();
          return send(res, 200, JSON.stringify({ error: (e as Error).message, ui: rt.ui }));
        }
        await persist();
        return send(res, 200, JSON.stringify({ ui: rt.ui }));
      }
      if (req.method === 'GET' && url.pathname === '/api/outbox') {
        return send(res, 200, JSON.stringify(rt.state.outbox));
      }
      if (req.method === 'GET' && url.pathname === '/exec') {
        const html = rt.webGet(Object.fromEntries(url.searchParams));
        return send(
          res,
          200,
          html.replace('<head>', `<head>${googleShim('', true)}`),
          'text/html; charset=utf-8',
        );
      }
      if (req.method === 'GET' && url.pathname === '/outbox')
        return send(res, 200, outboxList(rt), 'text/html; charset=utf-8');
      const mail = /^\/outbox\/(\d+)$/.exec(url.pathname);
      if (req.method === 'GET' && mail) {
        const m = rt.state.outbox.find((x) => x.id === Number(mail[1]));
        return m
          ? send(res, 200, mailView(m), 'text/html; charset=utf-8')
          : send(res, 404, 'not found', 'text/plain');
      }
      return send(res, 404, '{"error":"not found"}');
    } catch (e) {
      send(res, 500, JSON.stringify({ error: String((e as Error).stack ?? e) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  // Answer links in new emails point at this page's web app.
  rt.state.webAppUrl = `http://127.0.0.1:${port}/exec`;
  const close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Browsers keep connections alive; without this, close() waits for them to time out.
    server.closeAllConnections();
    await closed;
    await saving;
  };
  process.once('SIGINT', () => {
    close().then(() => process.exit(0));
  });
  return { server, port, runtime: rt, close };
}

/** An outbox time (UTC ISO) as the city hall reads it: R7.11.25 15:00(日本時間). */
export function japanTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Tokyo',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(t))
      .map((x) => [x.type, x.value]),
  );
  return `R${Number(p.year) - 2018}.${Number(p.month)}.${Number(p.day)} ${p.hour}:${p.minute}(日本時間)`;
}
