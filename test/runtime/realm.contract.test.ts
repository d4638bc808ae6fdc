// Contract tests: what the services hand the script is made in the script's own realm (§0.11): the
// script runs on its own thread (local/runtime/sandbox.ts) and every value crossing over is rebuilt
// there, so instanceof holds as on Apps Script, for objects, arrays, Dates and errors alike.
import { describe, expect, it } from 'vitest';
import { OWNER, run, scriptRuntime } from '../helpers';

describe('sandbox-realm values (§0.11)', () => {
  it('§0.11 I: getProperties(), getKeys(), event objects and their fields, and service errors pass instanceof', () => {
    const rt = scriptRuntime(`
      function t() {
        var p = PropertiesService.getScriptProperties(); p.setProperty('a', '1');
        var err; try { SpreadsheetApp.getActive().getSheets()[0]; SpreadsheetApp.getActive().insertSheet('x'); SpreadsheetApp.getActive().insertSheet('x'); } catch (e) { err = e; }
        return [p.getProperties() instanceof Object, p.getKeys() instanceof Array, err instanceof Error, err.name, Object.getPrototypeOf(p.getProperties()) === Object.prototype];
      }
      function doGet(e) { return ContentService.createTextOutput(JSON.stringify([e instanceof Object, e.parameter instanceof Object, e.parameters.q instanceof Array, Object.getPrototypeOf(e.parameter) === Object.prototype])); }`);
    expect(run(rt, 't')).toEqual([true, true, true, 'Exception', true]);
    expect(JSON.parse(rt.webGet({ q: 'x' }))).toEqual([true, true, true, true]);
  });

  it('§0.8 R: an enum is the same object wherever the script meets it (e.authMode === ScriptApp.AuthMode.FULL)', () => {
    const rt = scriptRuntime(
      `function onOpenLike(e) { return [e.authMode === ScriptApp.AuthMode.FULL, String(e.authMode)]; }`,
    );
    expect(
      rt.execute('onOpenLike', { mode: 'installable', activeUser: OWNER }, (ctx) => [
        rt.eventFor(ctx, 'installable', {}),
      ]),
    ).toEqual([true, 'FULL']);
  });
});
