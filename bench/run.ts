// `npm run bench`: service calls and CPU time of the operations whose cost must not grow with the
// register, on synthetic registers of 34, 1,000 and 10,000 proposals. Figures only, no assertions.

import { Runtime } from '../local/runtime/runtime';
import { loadSample } from '../local/sample';

process.env.TZ = 'Asia/Tokyo';
const OWNER = 'secretariat@example.jp';
const DEPTS = ['広報室', '情報政策課', 'デジタル推進課', '人事課', '総務課', '会計室', '契約課'];

function measure<T>(rt: Runtime, work: () => T): { calls: number; cpuMs: number; wallMs: number; result: T } {
  rt.calls.clear();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const result = work();
  const used = process.cpuUsage(cpu);
  return {
    calls: [...rt.calls.values()].reduce((a, b) => a + b, 0),
    cpuMs: (used.user + used.system) / 1000,
    wallMs: performance.now() - wall,
    result,
  };
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
console.log('operation                              proposals  calls   cpu ms  wall ms');
for (const n of [34, 1000, 10000]) {
  const rt = register(n);
  const history = rt.workbook.sheet('変更履歴')!.lastRow() - 1;
  const rebuild = measure(rt, () => rt.call('apiRebuildSummary', [{}], OWNER));
  console.log(
    `summary rebuild (today)                ${String(n).padStart(9)} ${fmt(rebuild.calls)} ${fmt(rebuild.cpuMs)} ${fmt(rebuild.wallMs)}`,
  );
  const replay = measure(rt, () => rt.call('apiRebuildSummary', [{ asOf: '2025-10-15' }], OWNER));
  console.log(
    `summary as-of replay (${String(history).padStart(6)} history) ${String(n).padStart(9)} ${fmt(replay.calls)} ${fmt(replay.cpuMs)} ${fmt(replay.wallMs)}`,
  );
  const save = measure(rt, () =>
    rt.call(
      'apiUpdateProposal',
      [
        {
          id: 'R7-U02',
          version: (rt.call('apiGetProposal', [{ id: 'R7-U02' }], OWNER) as { data: { version: string } })
            .data.version,
          fields: { notes: 'bench' },
        },
      ],
      OWNER,
    ),
  );
  console.log(
    `sidebar save (read, write, summary)    ${String(n).padStart(9)} ${fmt(save.calls)} ${fmt(save.cpuMs)} ${fmt(save.wallMs)}`,
  );
}
