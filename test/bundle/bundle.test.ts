// The file clasp pushes, loaded the way Apps Script loads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, exportNames, MODES } from '../../build/bundle.mjs';

const SERVICES = [
  'SpreadsheetApp',
  'PropertiesService',
  'LockService',
  'Session',
  'Utilities',
  'MailApp',
  'ScriptApp',
  'HtmlService',
  'ContentService',
  'Logger',
  'CacheService',
  'UrlFetchApp',
  'DriveApp',
];

let code: string;
let names: string[];
beforeAll(async () => {
  code = readFileSync(join(DIST, 'Code.js'), 'utf8');
  names = await exportNames();
});

describe('dist/Code.js', () => {
  it('declares every export of src/api.ts as a top-level function, with no Node globals', () => {
    const ctx = vm.createContext({});
    vm.runInContext(code, ctx);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(typeof ctx[name], name).toBe('function');
    expect(vm.runInContext('typeof require + typeof process + typeof Buffer + typeof setTimeout', ctx)).toBe(
      'undefinedundefinedundefinedundefined',
    );
  });

  it('touches no service while loading (global code runs in every auth mode)', () => {
    const touched: string[] = [];
    const ctx: Record<string, unknown> = {};
    for (const s of SERVICES) {
      ctx[s] = new Proxy(
        {},
        {
          get(_t, prop) {
            touched.push(`${s}.${String(prop)}`);
            throw new Error(`${s} touched at load time`);
          },
        },
      );
    }
    vm.runInContext(code, vm.createContext(ctx));
    expect(touched).toEqual([]);
  });

  it('exposes no private helper (names ending in _ are hidden by Apps Script anyway)', () => {
    expect(names.filter((n) => n.endsWith('_'))).toEqual([]);
  });
});

describe('dist/appsscript.json', () => {
  const manifest = () => JSON.parse(readFileSync(join(DIST, 'appsscript.json'), 'utf8'));
  it('runs on V8 in Tokyo time, with the web app executing as the deployer within the domain', () => {
    const m = manifest();
    expect(m.runtimeVersion).toBe('V8');
    expect(m.timeZone).toBe('Asia/Tokyo');
    expect(m.webapp).toEqual({ executeAs: 'USER_DEPLOYING', access: 'DOMAIN' });
  });
  it('asks for exactly the scopes the README explains', () => {
    const readme = readFileSync(join(DIST, '..', 'README.md'), 'utf8');
    for (const scope of manifest().oauthScopes) expect(readme).toContain(scope);
  });
});

describe('dist-addon/ (the Editor add-on)', () => {
  const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
  it('pushes the same manifest: same scopes, and no addOns section (that would make it a card-based Workspace add-on)', () => {
    // https://developers.google.com/workspace/add-ons/concepts/editor-manifests: "The Apps Script
    // manifest structure doesn't include any properties that are specific to Editor add-ons."
    const addon = JSON.parse(read(MODES.addon, 'appsscript.json'));
    expect(addon).toEqual(JSON.parse(read(DIST, 'appsscript.json')));
    expect(addon.addOns).toBeUndefined();
  });
  it('differs from the bound bundle only in its mode, and has the same globals (onHourly, onInstall among them)', () => {
    const bound = read(DIST, 'Code.js');
    const addon = read(MODES.addon, 'Code.js');
    expect(addon).not.toBe(bound);
    const globals = (code: string) => [...code.matchAll(/^function (\w+)\(\)/gm)].map((m) => m[1]);
    expect(globals(addon)).toEqual(globals(bound));
    expect(globals(addon)).toEqual(expect.arrayContaining(['onHourly', 'onInstall', 'onOpen', 'doGet']));
  });
});

describe('dist pages', () => {
  for (const page of ['Sidebar', 'Answer', 'Import']) {
    it(`${page}.html is self-contained (inlined script and CSS, no external loads)`, () => {
      const html = readFileSync(join(DIST, `${page}.html`), 'utf8');
      expect(html).toMatch(/<script>[\s\S]+<\/script>/);
      expect(html).toMatch(/<style>[\s\S]+<\/style>/);
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import/);
    });
  }
});
