// Bundling functions: the add-on into exactly what `clasp push` uploads (dist/), and prints each file's size.
// Apps Script needs every trigger, menu handler, doGet/doPost and google.script.run target as a
// top-level function declaration, so the build reads the exports of the public surface
// (src/api.ts) and writes one forwarding declaration per export: no hand-kept list.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { holidayPlugin } from './holidays.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
export const DIST = dist;
/**
 * The two builds of one codebase (src/sheets/register-scope.ts): the script bound to a register
 * (dist/, the quick start) and the published Editor add-on (dist-addon/, a standalone project
 * serving every register of the domain). Only __REGISTER_MODE__ differs; the manifest is the same
 * (an Editor add-on has no manifest section of its own: docs/addon-mode.md X1–X3).
 */
export const MODES = { bound: dist, addon: join(root, 'dist-addon') };
export const ROOT = root;
export const GLOBAL_NAME = 'PlatinumRegister';

/** Pages served by HtmlService: one self-contained html file each (src/ui/page.html with the page's script and CSS inlined). */
export const PAGES = [
  { name: 'Sidebar', dir: 'src/ui/sidebar' },
  { name: 'Answer', dir: 'src/ui/answer' },
  { name: 'Import', dir: 'src/ui/import' },
];

const shared = {
  bundle: true,
  charset: 'utf8',
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [holidayPlugin],
};

export async function exportNames() {
  const result = await esbuild.build({
    ...shared,
    entryPoints: [join(root, 'src/api.ts')],
    format: 'esm',
    platform: 'neutral',
    write: false,
    metafile: true,
    outfile: 'api.js',
  });
  const [output] = Object.values(result.metafile.outputs);
  return output.exports.slice().sort();
}

const serverOptions = {
  ...shared,
  entryPoints: [join(root, 'src/api.ts')],
  format: 'iife',
  globalName: GLOBAL_NAME,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  minify: true,
  outfile: join(dist, 'Code.js'),
};

/** A page's script: everything its main.ts imports, for the browser. */
const pageScriptOptions = (dir) => ({
  ...shared,
  entryPoints: [join(root, dir, 'main.ts')],
  format: 'iife',
  platform: 'browser',
  minify: true,
  write: false,
});

export async function buildServer(outDir = dist, mode = 'bound') {
  const names = await exportNames();
  const footer = names
    .map((name) => `function ${name}(){return ${GLOBAL_NAME}.${name}.apply(this,arguments)}`)
    .join('\n');
  await esbuild.build({
    ...serverOptions,
    outfile: join(outDir, 'Code.js'),
    footer: { js: footer },
    define: { __REGISTER_MODE__: JSON.stringify(mode) },
  });
  return names;
}

/**
 * What each input file contributes to the minified Code.js (`'server'`) or a page's script (its
 * name), in bytes, as esbuild's metafile reports it; nothing is written.
 */
export async function bundleInputs(target) {
  const page = PAGES.find((p) => p.name === target);
  const options = page ? pageScriptOptions(page.dir) : { ...serverOptions, write: false };
  const result = await esbuild.build({ ...options, metafile: true });
  const [output] = Object.values(result.metafile.outputs);
  return Object.fromEntries(
    Object.entries(output.inputs).map(([path, input]) => [path, input.bytesInOutput]),
  );
}

/** `</script` inside inlined code would end the script element early. */
const inlineScript = (js) => js.replace(/<\/script/gi, '<\\/script');

export async function buildPage({ name, dir }, outDir = dist) {
  const [html, css, js] = await Promise.all([
    readFile(join(root, 'src/ui/page.html'), 'utf8'),
    Promise.all([
      readFile(join(root, 'src/ui/base.css'), 'utf8'),
      readFile(join(root, dir, 'style.css'), 'utf8'),
    ]).then((parts) => parts.join('\n')),
    esbuild.build(pageScriptOptions(dir)).then((r) => r.outputFiles[0].text),
  ]);
  const page = html
    .replace('<!--STYLE-->', () => `<style>${css}</style>`)
    .replace('<!--SCRIPT-->', () => `<script>${inlineScript(js)}</script>`);
  await writeFile(join(outDir, `${name}.html`), page);
}
