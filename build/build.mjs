// `npm run build`: writes exactly what `clasp push` uploads into dist/ and prints each size.
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPage, buildServer, DIST, PAGES, ROOT } from './bundle.mjs';

const quiet = process.argv.includes('--quiet');
const started = Date.now();
await rm(DIST, { recursive: true, force: true });
await mkdir(DIST, { recursive: true });
const [names] = await Promise.all([buildServer(), ...PAGES.map(buildPage)]);
await copyFile(join(ROOT, 'appsscript.json'), join(DIST, 'appsscript.json'));
if (!quiet) {
  for (const file of ['Code.js', ...PAGES.map((p) => `${p.name}.html`), 'appsscript.json']) {
    const size = (await readFile(join(DIST, file))).length;
    console.log(`dist/${file.padEnd(16)} ${(size / 1024).toFixed(1).padStart(7)} KiB`);
  }
  console.log(`${names.length} global functions; built in ${Date.now() - started} ms`);
}
