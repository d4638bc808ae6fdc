// `npm run bench`: what each operation costs on the platform, as the offline runtime estimates it
// (local/runtime/costs.ts: round trips, cells moved, slow calls), and the CPU it takes here, on
// synthetic registers of 34, 1,000 and 10,000 proposals (SIZES=34,1000 picks sizes). Figures only,
// no assertions. Each operation runs RUNS times; the estimate is the last run's (it does not swing),
// CPU the median (a single run swings by a fifth with garbage collection).
//
// `npm run --silent bench -- --json` prints one JSON object per operation and size instead of the
// table: {operation, proposals, historyRows, calls, readRoundTrips, cellsRead, cellsWritten,
// estimatedMs, cpuMs}, plus `outcome` when an execution did not end well and `ratio` beside
// naiveRebuild (its estimate over the add-on's rebuild).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { typeInto } from '../local/runtime/people';
import { type ExecutionReport, Runtime } from '../local/runtime/runtime';
import { displayValue } from '../local/runtime/values';
import { loadSample } from '../local/sample';

process.env.TZ = 'Asia/Tokyo';
const OWNER = 'secretariat@example.jp';
const DEPTS = ['広報室', '情報政策課', 'デジタル推進課', '人事課', '総務課', '会計室', '契約課'];
const JSON_OUT = process.argv.includes('--json');

const RUNS = Number(process.env.RUNS ?? 3);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

interface Row {
  operation: string;
  proposals: number;
  historyRows: number;
  calls: number;
  readRoundTrips: number;
  cellsRead: number;
  cellsWritten: number;
  estimatedMs: number;
  cpuMs: number;
  outcome?: string;
  ratio?: number;
}

/**
 * Runs `work` RUNS times (`prepare` before each, untimed) and sums the executions each run started
 * (an edit starts onEdit and onChange): the last run's platform figures, the median CPU.
 */
function measure<P>(
  rt: Runtime,
  work: (prepared: P, run: number) => unknown,
  prepare: () => P = () => undefined as P,
): Omit<Row, 'operation' | 'proposals' | 'historyRows'> {
  const cpus: number[] = [];
  let last: ExecutionReport[] = [];
  for (let run = 0; run < RUNS; run++) {
    const prepared = prepare();
    const from = rt.executions.length;
    const cpu = process.cpuUsage();
    work(prepared, run);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
    last = rt.executions.slice(from);
  }
  const sum = (k: 'calls' | 'readRoundTrips' | 'cellsRead' | 'cellsWritten' | 'estimatedMs') =>
    Math.round(last.reduce((n, r) => n + r[k], 0));
  const bad = last.find((r) => r.outcome !== 'ok');
  return {
    calls: sum('calls'),
    readRoundTrips: sum('readRoundTrips'),
    cellsRead: sum('cellsRead'),
    cellsWritten: sum('cellsWritten'),
    estimatedMs: sum('estimatedMs'),
    cpuMs: Math.round(median(cpus)),
    ...(bad ? { outcome: `${bad.fn}: ${bad.outcome}${bad.error ? ` (${bad.error})` : ''}` } : {}),
  };
}

const IMPORT_PART = 2000;

function register(n: number): Runtime {
  const rt = new Runtime({ now: '2025-11-25T15:00:00+09:00', clock: 'manual', owner: OWNER });
  rt.execute('menuSetup', { mode: 'menu', activeUser: OWNER });
  loadSample(rt, OWNER);
  const extra = n - 34;
  if (extra > 0) {
    const rows = Array.from({ length: extra }, (_, i) => {
      const k = 1 + (i % 3);
      const depts = Array.from({ length: k }, (_, j) => DEPTS[(i + j) % DEPTS.length]);
      const stages = depts.map((_, j) => ['①', '②', '④'][(i + j) % 3]);
      const kind = i % 2 ? '職員の困りごと' : 'ユーザーの困りごと';
      const category = i % 2 ? '業務効率に関すること' : '公共の場等';
      return `${kind},${category},困りごと${i},課題${i},${depts.join('、')},${stages.join('、')},2025-10-01,2025-11-01`;
    });
    // In parts: one import of 10,000 proposals would pass the 6-minute limit of one execution.
    for (let at = 0; at < rows.length; at += IMPORT_PART) {
      const part = rows.slice(at, at + IMPORT_PART);
      const csv = ['種別,場面・分類,困りごと,課題(提案)名,所管課,進捗,提示日,協議日', ...part].join('\n');
      const r = rt.call<{ ok: boolean; message?: string }>('apiImportCsv', [{ csv }], OWNER);
      if (!r.ok) throw new Error(r.message);
    }
  }
  return rt;
}

type Ok<T = unknown> = { ok: boolean; message?: string; data: T };
const must = <T>(r: Ok<T>, what: string): T => {
  if (!r.ok) throw new Error(`${what}: ${r.message}`);
  return r.data;
};
const version = (rt: Runtime, id: string) =>
  must(rt.call<Ok<{ version: string }>>('apiGetProposal', [{ id }], OWNER), 'get').version;

/** 所管課別進捗 as shown: rows of display strings (header first). */
function progressRows(rt: Runtime): string[][] {
  const s = rt.workbook.sheet('所管課別進捗')!;
  return Array.from({ length: s.lastRow() }, (_, r) =>
    Array.from({ length: 7 }, (_, c) => displayValue(s.cell(r, c))),
  );
}

/** Progress rows at `stage`, from the bottom (the synthetic rows), not yet used by this bench. */
function rowsAt(rt: Runtime, stage: string, used: Set<number>): number[] {
  const rows = progressRows(rt);
  const out: number[] = [];
  for (let r = rows.length - 1; r >= 1; r--) if (rows[r]![2] === stage && !used.has(r + 1)) out.push(r + 1);
  return out;
}

/**
 * The summary as hand-written scripts compute it: one getValues per proposal row and per
 * department row, then the counts written cell by cell. Runs in the same runtime on the same
 * workbook (a second runtime sharing it).
 */
const NAIVE = `
function naiveRebuild() {
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  var p = ss.getSheetByName('課題一覧');
  var g = ss.getSheetByName('所管課別進捗');
  var kinds = {};
  for (var r = 2; r <= p.getLastRow(); r++) {
    var row = p.getRange(r, 1, 1, 18).getValues()[0];
    kinds[row[2]] = (kinds[row[2]] || 0) + 1;
  }
  var stages = {};
  for (var r2 = 2; r2 <= g.getLastRow(); r2++) {
    var row2 = g.getRange(r2, 1, 1, 7).getValues()[0];
    stages[row2[2]] = (stages[row2[2]] || 0) + 1;
  }
  var out = ss.getSheetByName('集計(手作り)') || ss.insertSheet('集計(手作り)');
  var i = 1;
  for (var k in kinds) { out.getRange(i, 1).setValue(k); out.getRange(i, 2).setValue(kinds[k]); i++; }
  for (var s in stages) { out.getRange(i, 1).setValue(s); out.getRange(i, 2).setValue(stages[s]); i++; }
}`;

const rows: Row[] = [];
const fmt = (x: number | undefined, w = 8) => (x === undefined ? '' : x.toFixed(0)).padStart(w);
function emit(row: Row) {
  rows.push(row);
  if (JSON_OUT) {
    console.log(JSON.stringify(row));
    return;
  }
  console.log(
    `${row.operation.padEnd(15)}${fmt(row.proposals, 9)}${fmt(row.historyRows, 9)}${fmt(row.calls)}${fmt(row.readRoundTrips)}${fmt(row.cellsRead, 9)}${fmt(row.cellsWritten, 9)}${fmt(row.estimatedMs, 9)}${fmt(row.cpuMs)}${row.ratio === undefined ? '' : `  ×${row.ratio.toFixed(1)}`}${row.outcome ? `  ${row.outcome}` : ''}`,
  );
}

if (!JSON_OUT)
  console.log('operation      proposals  history   calls   reads  cells r  cells w   est ms  cpu ms');
// SIZES=10000 npm run bench measures one size alone.
for (const n of (process.env.SIZES ?? '34,1000,10000').split(',').map(Number)) {
  const rt = register(n);
  // Let the import's own dirty marks and pending work settle, as a register at rest.
  rt.fireTrigger('onTenMinutes');
  const history = () => rt.workbook.sheet('変更履歴')!.lastRow() - 1;
  const out = (operation: string, m: ReturnType<typeof measure>) =>
    emit({ operation, proposals: n, historyRows: history(), ...m });

  out(
    'save',
    measure(
      rt,
      (v, run) =>
        must(
          rt.call<Ok>(
            'apiUpdateProposal',
            [{ id: 'R7-U02', version: v, fields: { notes: `bench ${run}` } }],
            OWNER,
          ),
          'save',
        ),
      () => version(rt, 'R7-U02'),
    ),
  );

  // What the sidebar calls after such a save, without waiting: 集計 brought up to date (a title
  // changed: the lists show it).
  let renamed = 0;
  out(
    'refresh',
    measure(
      rt,
      () => must(rt.call<Ok>('apiRefreshSummary', [], OWNER), 'refresh'),
      () =>
        must(
          rt.call<Ok>(
            'apiUpdateProposal',
            [
              {
                id: 'R7-U03',
                version: version(rt, 'R7-U03'),
                fields: { title: `集計に出る名前 ${++renamed}` },
              },
            ],
            OWNER,
          ),
          'save before refresh',
        ),
    ),
  );

  const used = new Set<number>();
  out(
    'stage',
    measure(
      rt,
      (p) =>
        must(
          rt.call<Ok>(
            'apiRecordConsultation',
            [{ ...p, date: '2025-11-20', attendees: '', summary: '協議した', nextSteps: '' }],
            OWNER,
          ),
          'stage',
        ),
      () => {
        const r = rowsAt(rt, '①', used)[0]!;
        used.add(r);
        const [id, department] = progressRows(rt)[r - 1]!;
        return { id: id!, department: department!, version: version(rt, id!) };
      },
    ),
  );

  /** A department not yet on `id`, added to it (at 未提示), untimed. */
  const addDepartment = (id: string) => {
    const on = new Set(
      progressRows(rt)
        .filter((r) => r[0] === id)
        .map((r) => r[1]),
    );
    const d = DEPTS.find((x) => !on.has(x))!;
    must(rt.call<Ok>('apiAddDepartment', [{ id, version: version(rt, id), department: d }], OWNER), 'add');
    return d;
  };
  out(
    'present',
    measure(
      rt,
      (p) =>
        must(
          rt.call<Ok>('apiPresent', [{ id: 'R7-U02', version: p.version, departments: [p.d] }], OWNER),
          'present',
        ),
      () => {
        const d = addDepartment('R7-U02');
        return { d, version: version(rt, 'R7-U02') };
      },
    ),
  );

  out(
    'handEdit',
    measure(
      rt,
      (r) => typeInto(rt, `所管課別進捗!C${r}`, [['②']], { user: OWNER }),
      () => {
        const r = rowsAt(rt, '①', used)[0]!;
        used.add(r);
        return r;
      },
    ),
  );

  out(
    'paste',
    measure(
      rt,
      (block) => typeInto(rt, `所管課別進捗!C${block.at}`, block.values, { user: OWNER }),
      () => {
        // The block as it stands, pasted back over itself: a copy-paste people do.
        const all = progressRows(rt);
        const at = all.length - 25;
        return { at, values: all.slice(at - 1, at + 19).map((r) => r.slice(2, 5)) };
      },
    ),
  );

  out(
    'answer',
    measure(
      rt,
      (token) =>
        must(
          rt.callWeb<Ok>('apiAnswer', [
            { token, kind: '協議に応じる', comment: '12月上旬に協議したい', answeredBy: '担当' },
          ]),
          'answer',
        ),
      () => {
        const before = rt.state.outbox.length;
        const d = addDepartment('R7-U01');
        must(
          rt.call<Ok>(
            'apiPresent',
            [{ id: 'R7-U01', version: version(rt, 'R7-U01'), departments: [d] }],
            OWNER,
          ),
          'present',
        );
        const m = rt.state.outbox.slice(before).find((x) => /\?t=/.test(x.body));
        return /\?t=((?:[A-Za-z0-9]{16}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(m!.body)![1]!;
      },
    ),
  );

  const rebuild = measure(rt, () => must(rt.call<Ok>('apiRebuildSummary', [{}], OWNER), 'rebuild'));
  out('rebuild', rebuild);
  out(
    'asOf',
    measure(rt, () => must(rt.call<Ok>('apiRebuildSummary', [{ asOf: '2025-10-15' }], OWNER), 'asOf')),
  );
  rt.fireTrigger('onTenMinutes');
  out(
    'tenMinutesIdle',
    measure(rt, () => rt.fireTrigger('onTenMinutes')),
  );
  out(
    'daily',
    measure(rt, () => rt.fireTrigger('onDailyNine')),
  );

  const naive = new Runtime({
    now: new Date(rt.now()).toISOString(),
    clock: 'manual',
    owner: OWNER,
    workbook: rt.workbook,
    code: NAIVE,
  });
  const nm = measure(naive, () => {
    try {
      naive.execute('naiveRebuild', { mode: 'script', activeUser: OWNER });
    } catch {
      // A run past 6 minutes throws: its figures are the point.
    }
  });
  naive.workbook.sheets.splice(
    naive.workbook.sheets.findIndex((s) => s.name === '集計(手作り)'),
    1,
  );
  emit({
    operation: 'naiveRebuild',
    proposals: n,
    historyRows: history(),
    ...nm,
    ratio: Math.round((nm.estimatedMs / Math.max(rebuild.estimatedMs, 1)) * 10) / 10,
  });
}

/**
 * What the bundle's size costs each execution: Apps Script compiles Code.js and runs its top level
 * (the modules' initialisation) on every call. Measured in this machine's V8 (Node's engine, as
 * Apps Script's V8 runtime), each compile on fresh source text so no code cache helps: the median
 * of 25, and the same per kilobyte scaled to the 120 KB of issue #19's goal.
 */
function bundleLoad() {
  const code = readFileSync(join(process.cwd(), 'dist', 'Code.js'), 'utf8');
  const bytes = Buffer.byteLength(code);
  const compile: number[] = [];
  const init: number[] = [];
  for (let i = 0; i < 25; i++) {
    const context = vm.createContext({});
    const t0 = performance.now();
    const script = new vm.Script(`${code}\n//${i}`);
    const t1 = performance.now();
    script.runInContext(context);
    const t2 = performance.now();
    compile.push(t1 - t0);
    init.push(t2 - t1);
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  const total = median(compile) + median(init);
  const row = {
    operation: 'bundleLoad',
    bytes,
    compileMs: round(median(compile)),
    initMs: round(median(init)),
    at120KB: round((total * 120_000) / bytes),
  };
  if (JSON_OUT) console.log(JSON.stringify(row));
  else
    console.log(
      `\nbundleLoad: dist/Code.js ${(bytes / 1000).toFixed(0)} KB compiles in ${row.compileMs} ms and initialises in ${row.initMs} ms per execution here (about ${row.at120KB} ms at 120 KB)`,
    );
}
bundleLoad();
