// Contract tests for the runtime's add-on mode: each behaviour with the row of docs/addon-mode.md
// (and the page) it follows. AUTH = developers.google.com/workspace/add-ons/concepts/editor-auth-lifecycle,
// ETRIG = …/add-ons/concepts/editor-triggers, PROPG = developers.google.com/apps-script/guides/properties,
// PROPR = …/apps-script/reference/properties/properties-service, SAPP = …/reference/script/script-app.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { WorkbookModel } from '../../local/runtime/workbook';
import { OWNER, PT, run, scriptRuntime } from '../helpers';

const TRY = `function tryIt(f) { try { return f(); } catch (e) { return e.name + ': ' + e.message; } }\n`;
const addon = (code: string) => scriptRuntime(TRY + code, { mode: 'addon' });
/** A second register on the same installation of the add-on (its own document, the same project). */
const secondRegister = (a: Runtime, code: string) =>
  scriptRuntime(TRY + code, {
    mode: 'addon',
    state: a.state,
    installation: a.installation,
    workbook: new WorkbookModel('register-b', '台帳B', OWNER),
  });

const MAKE = `
function clock10() { return tryIt(function () { ScriptApp.newTrigger('h').timeBased().everyMinutes(10).create(); return 'made'; }); }
function hourly() { return tryIt(function () { ScriptApp.newTrigger('h').timeBased().everyHours(1).create(); return 'made'; }); }
function daily9() { return tryIt(function () { ScriptApp.newTrigger('d').timeBased().atHour(9).everyDays(1).create(); return 'made'; }); }
function edit() { return tryIt(function () { ScriptApp.newTrigger('e').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create(); return 'made'; }); }
function change() { return tryIt(function () { ScriptApp.newTrigger('c').forSpreadsheet(SpreadsheetApp.getActive()).onChange().create(); return 'made'; }); }
function elsewhere() { return tryIt(function () { ScriptApp.newTrigger('e').forSpreadsheet('another-file').onEdit().create(); return 'made'; }); }
function mine() { return ScriptApp.getUserTriggers(SpreadsheetApp.getActive()).map(function (t) { return t.getHandlerFunction(); }); }
`;
const asOwner = { mode: 'menu' as const, activeUser: OWNER };

describe('installable triggers of an add-on (ETRIG "Restrictions"; T1–T6, T12)', () => {
  it('T4 D: a time-driven trigger runs at most hourly: everyMinutes(10) throws at create(), everyHours(1) is made', () => {
    const rt = addon(MAKE);
    expect(run(rt, 'clock10', asOwner)).toBe(
      'Exception: Add-on time-driven triggers cannot run more frequently than once per hour.',
    );
    expect(run(rt, 'hourly', asOwner)).toBe('made');
    expect(rt.state.triggers).toHaveLength(1);
  });

  it('T1/T2/T3 D+R: one trigger of each type per user per document: a second clock (or edit) trigger throws', () => {
    const rt = addon(MAKE);
    expect([run(rt, 'edit', asOwner), run(rt, 'change', asOwner), run(rt, 'hourly', asOwner)]).toEqual([
      'made',
      'made',
      'made',
    ]);
    expect(run(rt, 'daily9', asOwner)).toBe(
      'Exception: This add-on has created too many time-based triggers in this document for this Google user account',
    );
    expect(run(rt, 'edit', asOwner)).toMatch(/too many edit triggers in this document/);
    // Another user has a set of their own; the same user has one in another document.
    expect(run(rt, 'hourly', { mode: 'menu', activeUser: PT })).toBe('made');
    const b = secondRegister(rt, MAKE);
    expect(run(b, 'hourly', asOwner)).toBe('made');
  });

  it('T6 D: an add-on creates triggers only for the file it is used in', () => {
    expect(run(addon(MAKE), 'elsewhere', asOwner)).toMatch(/only create triggers for the file/);
  });

  it('T12 D: getUserTriggers(ss) lists the user’s triggers in that spreadsheet only', () => {
    const a = addon(MAKE);
    run(a, 'edit', asOwner);
    const b = secondRegister(a, MAKE);
    run(b, 'hourly', asOwner);
    expect(run(a, 'mine', asOwner)).toEqual(['e']);
    expect(run(b, 'mine', asOwner)).toEqual(['h']);
  });

  it('a bound script keeps the bound rules: a 10-minute and a daily trigger side by side', () => {
    const rt = scriptRuntime(TRY + MAKE);
    expect([run(rt, 'clock10', asOwner), run(rt, 'daily9', asOwner)]).toEqual(['made', 'made']);
  });
});

describe('opening the document (AUTH A2–A7)', () => {
  const OPEN = `
function onOpen(e) {
  SpreadsheetApp.getUi().createAddonMenu().addItem('x', 'menuX').addToUi();
  var mode = String(e.authMode);
  var props = tryIt(function () { return PropertiesService.getScriptProperties().getProperty('K'); });
  var user = tryIt(function () { return Session.getActiveUser().getEmail(); });
  var sheet = tryIt(function () { return SpreadsheetApp.getActiveSpreadsheet().getName(); });
  Logger.log(JSON.stringify([mode, props, user, sheet]));
}
function menuX() { return 'enabled'; }`;

  it('A2/A4 D: installed but not enabled: onOpen in AuthMode.NONE may add menu items and nothing else', () => {
    const rt = addon(OPEN);
    const menus = rt.open(PT);
    expect(menus).toHaveLength(1);
    const [mode, props, user, sheet] = JSON.parse(rt.logs.at(-1)!);
    expect(mode).toBe('NONE');
    for (const refused of [props, user, sheet])
      expect(refused).toMatch(/^Exception: Authorization is required/);
  });

  it('A7 D: once a menu item has run in the document, onOpen runs in AuthMode.LIMITED (document and properties)', () => {
    const rt = addon(OPEN);
    expect(run(rt, 'menuX', asOwner)).toBe('enabled');
    rt.open(PT);
    const [mode, props, , sheet] = JSON.parse(rt.logs.at(-1)!);
    expect([mode, props, sheet]).toEqual(['LIMITED', null, 'プラチナ提案台帳']);
  });

  it('A5 D: global code runs in the open’s auth mode: a service call there fails the open, menu and all', () => {
    const rt = addon(`var early = PropertiesService.getScriptProperties();\n${OPEN}`);
    expect(() => rt.open(PT)).toThrow(/Authorization is required/);
    expect(rt.lastExecution?.outcome).toBe('error');
    expect(rt.ui.filter((u) => u.kind === 'menu')).toEqual([]);
  });

  it('A3 D: a bound script (never "installed") opens in AuthMode.LIMITED', () => {
    const rt = scriptRuntime(TRY + OPEN);
    rt.open(PT);
    expect(JSON.parse(rt.logs.at(-1)!)[0]).toBe('LIMITED');
  });
});

describe('properties, the web app and clock runs of an add-on (P1–P4, W5, T14)', () => {
  const CODE = `
function put(k, v) { PropertiesService.getScriptProperties().setProperty(k, v); PropertiesService.getDocumentProperties().setProperty(k, v); }
function get(k) { return [PropertiesService.getScriptProperties().getProperty(k), PropertiesService.getDocumentProperties().getProperty(k)]; }
function web() { return [SpreadsheetApp.getActiveSpreadsheet() === null, PropertiesService.getDocumentProperties() === null]; }
function openIt(id) { return SpreadsheetApp.openById(id).getName(); }
function clock() { return SpreadsheetApp.getActiveSpreadsheet() === null; }`;

  it('P1/P2 D: one script-property store for every document using the add-on; document stores apart', () => {
    const a = addon(CODE);
    const b = secondRegister(a, CODE);
    run(a, 'put', asOwner, ['K', 'from A']);
    expect(run(b, 'get', asOwner, ['K'])).toEqual(['from A', null]);
  });

  it('P3/P4/W5 D+I: the web app has no active spreadsheet and no document properties; it opens a register by ID', () => {
    const a = addon(CODE);
    secondRegister(a, CODE);
    const asWeb = { mode: 'web' as const, activeUser: '', effectiveUser: OWNER };
    expect(run(a, 'web', asWeb)).toEqual([true, true]);
    expect(run(a, 'openIt', asWeb, ['register-b'])).toBe('台帳B');
  });

  it('T14 R/I: an add-on’s clock run gets no active spreadsheet (the emulator’s pessimistic reading)', () => {
    expect(run(addon(CODE), 'clock', { mode: 'time', activeUser: OWNER })).toBe(true);
    expect(run(scriptRuntime(TRY + CODE), 'clock', { mode: 'time', activeUser: OWNER })).toBe(false);
  });
});
