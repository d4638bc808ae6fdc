// The offline runtime's command line: `npm run --silent local -- VERB [options]`.
// Exit codes: 0 ok, 1 refused by the add-on (message in Japanese), 2 bad usage, 3 runtime crash.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import type { Summary } from '../src/domain/summary';
import { layoutSummary } from '../src/sheets/summary-sheet';
import { DEFAULT_WORKBOOK, OWNER, withWorkbook } from './open';
import { changeRows, parseTsv, sortSheet, typeInto } from './runtime/people';
import { outboxDir } from './runtime/persist';
import { CallRefused, type Runtime } from './runtime/runtime';
import { displayValue, isDateFormat } from './runtime/values';
import { loadSample } from './sample';
import { japanTime, serve } from './serve';

process.env.TZ ??= 'Asia/Tokyo';

const USAGE = `usage: npm run --silent local -- VERB [--workbook FILE] [--now ISO] [--user EMAIL] [--mode bound|addon]
  init [--sample]            set up the register (and load the seed's sample)
  open                       open the spreadsheet as --user: onOpen, prints the menus built and
                             the auth mode (an add-on not yet enabled there: AuthMode.NONE)
  import FILE.csv            import proposals (all or nothing)
  call FUNCTION [JSON]       call a google.script.run target as --user
  edit SHEET!A1 VALUE        type a value as a person, firing onEdit/onChange
  paste SHEET!A1 FILE.tsv    paste a block, firing onEdit/onChange
  insert-rows SHEET ROW[:ROW] | delete-rows SHEET ROW[:ROW] | sort SHEET COLUMN
  trigger NAME               run an installable trigger's handler as its owner
  dump SHEET [--json]        displayed values as CSV (JSON adds types, formulas, notes)
  summary [--as-of DATE] [--year N] [--json]
  outbox [--json]            the emails sent
  web 'QUERY' [--user EMAIL] run doGet with that query string as a web request (as the deployer,
                             the visitor --user, none by default) and print the page's HTML
  serve [--port N]           the spreadsheet page, sidebar, outbox and answer page
  options: --mail-quota N  --fail-mail-after K  --anonymous (edits without e.user)`;

class Usage extends Error {}

type Result = { ok: boolean; code?: string; message?: string; data?: unknown; fieldErrors?: unknown };

function print(x: unknown) {
  process.stdout.write(`${typeof x === 'string' ? x : JSON.stringify(x, null, 2)}\n`);
}

/** A Result from the add-on: data printed on success; a refusal is exit 1 with the JSON. */
function finish(result: Result): number {
  if (result.ok) {
    print(result.data ?? null);
    return 0;
  }
  print({ ok: false, code: result.code, message: result.message, fieldErrors: result.fieldErrors ?? {} });
  return 1;
}

function dump(rt: Runtime, name: string, json: boolean): number {
  const sheet = rt.workbook.sheet(name);
  if (!sheet) throw new Usage(`no sheet named ${name}`);
  const rows = sheet.lastRow();
  const cols = sheet.lastColumn();
  if (json) {
    const cells = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const cell = sheet.cell(r, c);
        if (!cell) continue;
        const type = typeof cell.v === 'number' && isDateFormat(cell.fmt) ? 'date' : typeof cell.v;
        cells.push({
          a1: `${colName(c + 1)}${r + 1}`,
          value: cell.v,
          display: displayValue(cell),
          type,
          formula: cell.f ?? null,
          note: cell.note ?? null,
          format: cell.fmt ?? null,
        });
      }
    }
    print({ sheet: name, rows, columns: cols, frozenRows: sheet.frozenRows, charts: sheet.charts, cells });
  } else {
    const grid = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => displayValue(sheet.cell(r, c))),
    );
    print(Papa.unparse(grid));
  }
  return 0;
}

const colName = (n: number): string =>
  (n > 26 ? colName(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26));

function rowSpan(s: string | undefined): [number, number] {
  const m = /^(\d+)(?::(\d+))?$/.exec(s ?? '');
  if (!m) throw new Usage('expected ROW or ROW:ROW');
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

async function main(argv: string[]): Promise<number> {
  const { values: o, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workbook: { type: 'string', default: DEFAULT_WORKBOOK },
      now: { type: 'string' },
      user: { type: 'string' },
      json: { type: 'boolean', default: false },
      sample: { type: 'boolean', default: false },
      'as-of': { type: 'string' },
      year: { type: 'string' },
      'mail-quota': { type: 'string' },
      'fail-mail-after': { type: 'string' },
      anonymous: { type: 'boolean', default: false },
      port: { type: 'string' },
      // bound: the script in the register (dist/); addon: the published Editor add-on (dist-addon/).
      // A workbook keeps the mode it was set up in.
      mode: { type: 'string' },
    },
  });
  const [verb, ...args] = positionals;
  if (!verb) throw new Usage('no verb');
  if (o.mode !== undefined && o.mode !== 'bound' && o.mode !== 'addon')
    throw new Usage('--mode takes bound or addon');
  const mode = o.mode as 'bound' | 'addon' | undefined;
  const user = o.user ?? OWNER;
  if (verb === 'serve') {
    // Serving holds the runtime for its lifetime and saves after each change; Ctrl-C stops it.
    const server = await serve({
      workbook: resolve(o.workbook!),
      port: Number(o.port ?? 8787),
      ...(o['mail-quota'] ? { mailQuota: count(o['mail-quota'], '--mail-quota') } : {}),
      ...(o['fail-mail-after'] ? { failMailAfter: count(o['fail-mail-after'], '--fail-mail-after') } : {}),
    });
    process.stderr.write(`http://localhost:${server.port}/  workbook: ${resolve(o.workbook!)}\n`);
    return new Promise<number>(() => {});
  }
  // A run that dies (an exception, --fail-mail-after) keeps what it wrote and sent before dying, as
  // on the platform: the error is held until the workbook is saved, then reported.
  let died: { error: unknown } | null = null;
  const code = await withWorkbook(o.workbook!, { now: o.now, ...(mode ? { mode } : {}) }, (rt) => {
    try {
      return runVerb(rt);
    } catch (error) {
      if (error instanceof Usage) throw error;
      died = { error };
      return 3;
    }
  });
  if (died) throw (died as { error: unknown }).error;
  return code;

  function runVerb(rt: Runtime): number {
    if (o['mail-quota']) rt.state.mail.dailyQuota = count(o['mail-quota'], '--mail-quota');
    if (o['fail-mail-after']) rt.host.mailFailAfter = count(o['fail-mail-after'], '--fail-mail-after');
    const edit = { user, showUser: !o.anonymous };
    switch (verb) {
      case 'init': {
        rt.execute('menuSetup', { mode: 'menu', activeUser: user });
        const alert = rt.ui.find((u) => u.kind === 'alert');
        if (alert) print(String(alert.message));
        if (o.sample) return finish(loadSample(rt, user));
        return 0;
      }
      case 'open': {
        const authMode = rt.enabledHere() ? 'LIMITED' : 'NONE';
        print({ authMode, menus: rt.open(user), errors: rt.lastExecution?.error ?? null });
        return rt.lastExecution?.outcome === 'ok' ? 0 : 3;
      }
      case 'import':
        if (!args[0]) throw new Usage('import FILE.csv');
        return finish(
          rt.call<Result>('apiImportCsv', [{ csv: readFileSync(args[0], 'utf8'), fileName: args[0] }], user),
        );
      case 'call': {
        if (!args[0]) throw new Usage('call FUNCTION [JSON]');
        const payload = args[1] === undefined ? [] : [JSON.parse(args[1])];
        const result = rt.call<Result | null>(args[0], payload, user);
        if (result && typeof result === 'object' && 'ok' in result) return finish(result);
        print(result);
        return 0;
      }
      case 'edit':
        if (!args[0] || args[1] === undefined) throw new Usage('edit SHEET!A1 VALUE');
        typeInto(rt, args[0], [[args[1]]], edit);
        return 0;
      case 'paste':
        if (!args[0] || !args[1]) throw new Usage('paste SHEET!A1 FILE.tsv');
        typeInto(rt, args[0], parseTsv(readFileSync(args[1], 'utf8')), edit);
        return 0;
      case 'insert-rows':
      case 'delete-rows': {
        const [from, to] = rowSpan(args[1]);
        changeRows(rt, args[0] ?? '', from, to, verb === 'insert-rows' ? 'INSERT_ROW' : 'REMOVE_ROW', edit);
        return 0;
      }
      case 'sort':
        sortSheet(rt, args[0] ?? '', Number(args[1]), edit);
        return 0;
      case 'trigger':
        if (!args[0]) throw new Usage('trigger NAME');
        rt.fireTrigger(args[0]);
        return 0;
      case 'dump':
        if (!args[0]) throw new Usage('dump SHEET');
        return dump(rt, args[0], o.json!);
      case 'summary': {
        const payload: Record<string, unknown> = {};
        if (o['as-of']) payload.asOf = o['as-of'];
        if (o.year) payload.fiscalYear = Number(o.year);
        const result = rt.call<Result>('apiRebuildSummary', [payload], user);
        if (!result.ok || o.json) return finish(result);
        const data = result.data as Summary & { view?: string; warnings?: string[] };
        if (data.view !== 'personal') return dump(rt, '集計', false);
        // Another day or 年度 is the viewer's own: laid out as 集計 would be, written nowhere.
        for (const w of data.warnings ?? []) process.stderr.write(`${w}\n`);
        for (const row of layoutSummary(data).cells) print(row.map(String).join(',').replace(/,+$/, ''));
        return 0;
      }
      case 'web': {
        if (args[0] === undefined) throw new Usage("web 'QUERY' [--user EMAIL]");
        const query = Object.fromEntries(new URLSearchParams(args[0].replace(/^.*\?/, '')));
        print(rt.webGet(query, o.user ?? ''));
        return 0;
      }
      case 'outbox':
        if (o.json)
          print(
            rt.state.outbox.map(({ body, htmlBody: _h, ...m }) => ({
              ...m,
              links: [...body.matchAll(/https?:\/\/\S+/g)].map((x) => x[0]),
            })),
          );
        else for (const m of rt.state.outbox) print(`${japanTime(m.sentAt)}  ${m.to}  ${m.subject}`);
        process.stderr.write(`outbox: ${outboxDir(o.workbook!)}\n`);
        return 0;
      default:
        throw new Usage(`unknown verb ${verb}`);
    }
  }
}

function count(s: string, flag: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new Usage(`${flag} takes a whole number`);
  return n;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof Usage || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
      process.exit(2);
    }
    if (e instanceof CallRefused) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`runtime crash: ${(e as Error).stack ?? e}\n`);
    process.exit(3);
  },
);
