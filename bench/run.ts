// `npm run bench`: service calls and CPU time of the operations whose cost must not grow with the
// register, on synthetic registers of 34, 1,000, 4,300 (about 50,000 history rows) and 10,000
// proposals. Figures only, no assertions. Each figure is the median of RUNS runs (a single run
// swings by a fifth with garbage collection); CPU counts every thread of the process, GC included.

import { type ExecutionReport, Runtime } from '../local/runtime/runtime';
import { loadSample } from '../local/sample';

process.env.TZ = 'Asia/Tokyo';
const OWNER = 'secretariat@example.jp';
const DEPTS = ['広報室', '情報政策課', 'デジタル推進課', '人事課', '総務課', '会計室', '契約課'];

const RUNS = 5;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

/** `prepare` runs before each timed run, untimed; its result is passed to `work`. */
function measure<P>(
  rt: Runtime,
  work: (prepared: P, run: number) => unknown,
  prepare: () => P = () => undefined as P,
): { calls: number; cpuMs: number; wallMs: number; last: ExecutionReport | undefined } {
  const cpus: number[] = [];
  const walls: number[] = [];
  let calls = 0;
  for (let run = 0; run < RUNS; run++) {
    const prepared = prepare();
    rt.calls.clear();
    const cpu = process.cpuUsage();
    const wall = performance.now();
    work(prepared, run);
    const used = process.cpuUsage(cpu);
    walls.push(performance.now() - wall);
    cpus.push((used.user + used.system) / 1000);
    calls = [...rt.calls.values()].reduce((a, b) => a + b, 0);
  }
  return { calls, cpuMs: median(cpus), wallMs: median(walls), last: rt.lastExecution };
}

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
    const csv = ['種別,場面・分類,困りごと,課題(提案)名,所管課,進捗,提示日,協議日', ...rows].join('\n');
    const r = rt.call<{ ok: boolean; message?: string }>('apiImportCsv', [{ csv }], OWNER);
    if (!r.ok) throw new Error(r.message);
  }
  return rt;
}

const fmt = (x: number) => x.toFixed(0).padStart(7);
/** The platform's side, estimated by the runtime's cost table (local/runtime/costs.ts): the last run's figures. */
const est = (r: ExecutionReport | undefined) =>
  r ? ` ${fmt(r.estimatedMs)} ${fmt(r.readRoundTrips)} ${fmt(r.cellsRead)} ${fmt(r.cellsWritten)}` : '';
console.log(
  'operation                              proposals  calls   cpu ms  wall ms   est ms   reads cells r cells w',
);
// SIZES=10000 npm run bench measures one size alone.
for (const n of (process.env.SIZES ?? '34,1000,4300,10000').split(',').map(Number)) {
  const rt = register(n);
  const history = rt.workbook.sheet('変更履歴')!.lastRow() - 1;
  const rebuild = measure(rt, () => rt.call('apiRebuildSummary', [{}], OWNER));
  console.log(
    `summary rebuild (today)                ${String(n).padStart(9)} ${fmt(rebuild.calls)} ${fmt(rebuild.cpuMs)} ${fmt(rebuild.wallMs)}${est(rebuild.last)}`,
  );
  const replay = measure(rt, () => rt.call('apiRebuildSummary', [{ asOf: '2025-10-15' }], OWNER));
  console.log(
    `summary as-of replay (${String(history).padStart(6)} history) ${String(n).padStart(9)} ${fmt(replay.calls)} ${fmt(replay.cpuMs)} ${fmt(replay.wallMs)}${est(replay.last)}`,
  );
  const save = measure(
    rt,
    (version, run) => {
      const r = rt.call<{ ok: boolean; message?: string }>(
        'apiUpdateProposal',
        [{ id: 'R7-U02', version, fields: { notes: `bench ${run}` } }],
        OWNER,
      );
      if (!r.ok) throw new Error(r.message);
    },
    () => rt.call<{ data: { version: string } }>('apiGetProposal', [{ id: 'R7-U02' }], OWNER).data.version,
  );
  console.log(
    `sidebar save (read, write, summary)    ${String(n).padStart(9)} ${fmt(save.calls)} ${fmt(save.cpuMs)} ${fmt(save.wallMs)}${est(save.last)}`,
  );
}
