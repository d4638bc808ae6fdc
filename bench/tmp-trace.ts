import { costOf } from '../local/runtime/costs';
import { typeInto } from '../local/runtime/people';
import { Runtime } from '../local/runtime/runtime';
import { loadSample } from '../local/sample';

process.env.TZ = 'Asia/Tokyo';
const OWNER = 'secretariat@example.jp';
const rt = new Runtime({ now: '2025-11-25T15:00:00+09:00', clock: 'manual', owner: OWNER });
rt.execute('menuSetup', { mode: 'menu', activeUser: OWNER });
loadSample(rt, OWNER);
rt.fireTrigger('onTenMinutes');
rt.startTrace();
const from = rt.executions.length;
// R7-U03 保護課 ① → ② typed in 所管課別進捗
const s = rt.workbook.sheet('所管課別進捗')!;
let row = 0;
for (let r = 1; r < s.lastRow(); r++)
  if (s.cell(r, 0)?.v === 'R7-U03' && s.cell(r, 1)?.v === '保護課') row = r + 1;
const heads = Array.from({ length: 10 }, (_, c) => s.cell(0, c)?.v);
const col = heads.indexOf('段階') + 1;
typeInto(rt, `所管課別進捗!${String.fromCharCode(64 + col)}${row}`, [['②']], {
  user: 'pt.tanaka@example.jp',
  showUser: true,
});
for (const e of rt.executions.slice(from))
  console.log(e.fn, e.outcome, e.readRoundTrips, e.cellsRead, Math.round(e.estimatedMs));
for (const t of rt.trace) {
  const k = costOf(t.method).kind;
  if (k === 'read' || k === 'apiRead' || t.method.startsWith('Properties') || t.method.startsWith('Lock'))
    console.log(t.fn.padEnd(10), k.padEnd(6), t.method);
}
