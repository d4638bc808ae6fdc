import { Runtime } from '../local/runtime/runtime';
import { costOf } from '../local/runtime/costs';
import { loadSample } from '../local/sample';
process.env.TZ = 'Asia/Tokyo';
const OWNER = 'secretariat@example.jp';
const rt = new Runtime({ now: '2025-11-25T15:00:00+09:00', clock: 'manual', owner: OWNER });
rt.execute('menuSetup', { mode: 'menu', activeUser: OWNER });
loadSample(rt, OWNER);
rt.fireTrigger('onTenMinutes');
type Ok = { ok: boolean; data: any; message?: string };
const v = rt.call<Ok>('apiGetProposal', [{ id: 'R7-U02' }], OWNER).data.version;
rt.startTrace();
const r = rt.call<Ok>('apiUpdateProposal', [{ id: 'R7-U02', version: v, fields: { notes: 'x' } }], OWNER);
console.log(r.ok, r.message);
for (const t of rt.trace) { const k = costOf(t.method).kind; if (k !== 'other' || process.argv.includes('--all')) console.log(k.padEnd(6), t.method); }
