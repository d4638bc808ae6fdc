// `npm run build`: writes exactly what `clasp push` uploads into dist/ (the bound script) and
// dist-addon/ (the Editor add-on, pushed with `clasp -P .clasp.addon.json`), and prints each size.
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildPage, buildServer, MODES, PAGES, ROOT } from './bundle.mjs';

const quiet = process.argv.includes('--quiet');
const started = Date.now();
const built = await Promise.all(
  Object.entries(MODES).map(async ([mode, dir]) => {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const [names] = await Promise.all([buildServer(dir, mode), ...PAGES.map((p) => buildPage(p, dir))]);
    await copyFile(join(ROOT, 'appsscript.json'), join(dir, 'appsscript.json'));
    return { dir, names };
  }),
);
if (!quiet) {
  for (const { dir } of built)
    for (const file of ['Code.js', ...PAGES.map((p) => `${p.name}.html`), 'appsscript.json']) {
      const size = (await readFile(join(dir, file))).length;
      const name = `${relative(ROOT, dir)}/${file}`;
      console.log(`${name.padEnd(26)} ${(size / 1024).toFixed(1).padStart(7)} KiB`);
    }
  console.log(`${built[0].names.length} global functions; built in ${Date.now() - started} ms`);
}
