// `npm start`: the add-on offline on the seed's sample. Creates the workbook on first run, then
// serves the spreadsheet page with the real sidebar (see local/serve.ts).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_WORKBOOK, OWNER, withWorkbook } from './open';
import { outboxDir } from './runtime/persist';
import { loadSample } from './sample';
import { serve } from './serve';

process.env.TZ ??= 'Asia/Tokyo';
const workbook = resolve(process.env.WORKBOOK ?? DEFAULT_WORKBOOK);

if (!existsSync(workbook)) {
  await withWorkbook(workbook, {}, (rt) => {
    rt.execute('menuSetup', { mode: 'menu', activeUser: OWNER });
    const result = loadSample(rt, OWNER);
    if (!result.ok) throw new Error(`sample: ${JSON.stringify(result)}`);
  });
  console.log(`created ${workbook} with the seed's sample (34 proposals, 令和7年度)`);
}
const port = Number(process.env.PORT ?? 8787);
const server = await serve({ workbook, port });
console.log(`プラチナ提案台帳 (offline): http://localhost:${server.port}/`);
console.log(`workbook: ${workbook}   outbox: ${outboxDir(workbook)}`);
console.log('Ctrl-C stops it.');
