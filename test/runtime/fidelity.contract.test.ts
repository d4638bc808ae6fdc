// Contract tests for issue #16 item 4: each behaviour with its source (APPS-SCRIPT-SEMANTICS.md
// sections, the official reference mirrored at rajeevmps/google-apps-script-docs).
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../local/runtime/persist';
import { serve } from '../../local/serve';
import { MARSHAL_JS } from '../../local/web/run-shim';
import { OWNER, PT, run, scriptRuntime } from '../helpers';

const TRY = `function tryIt(f) { try { return f(); } catch (e) { return e.name + ': ' + e.message; } }
function sheet() { var ss = SpreadsheetApp.getActiveSpreadsheet(); return ss.getSheetByName('T') || ss.insertSheet('T'); }\n`;
const rtWith = (code: string) => scriptRuntime(TRY + code);

describe('clear keeps notes and data validations (D: Sheet.clear / Range.clear reference)', () => {
  const code = `function fill() { var r = sheet().getRange('A1:B1'); r.setValues([['x', 5]]); r.setNumberFormat('0.0'); r.setNote('理由');
      r.setDataValidation(SpreadsheetApp.newDataValidation().requireValueInList(['x']).build()); r.setBackground('#ff0000'); }
    function state() { var r = sheet().getRange('A1:B1'); return [r.getValues()[0], r.getNotes()[0], r.getDataValidations()[0].map(function (v) { return v ? v.getCriteriaValues()[0].join() : null; }), r.getNumberFormats()[0], r.getBackground()]; }
    function sheetClear() { fill(); sheet().clear(); return state(); }
    function rangeClear() { fill(); sheet().getRange('A1:B1').clear(); return state(); }
    function rangeClearAll() { fill(); sheet().getRange('A1:B1').clear({}); return state(); }
    function contentsOnly() { fill(); sheet().clear({ contentsOnly: true }); return state(); }`;
  it('Sheet.clear(): "Clears the sheet of content and formatting information"; notes and validations stay', () => {
    expect(run(rtWith(code), 'sheetClear')).toEqual([
      ['', ''],
      ['理由', '理由'],
      ['x', 'x'],
      ['General', 'General'],
      '#ffffff',
    ]);
  });
  it('Range.clear(): "Clears the range of contents and formats"; notes and validations stay', () => {
    expect(run(rtWith(code), 'rangeClear')).toEqual([
      ['', ''],
      ['理由', '理由'],
      ['x', 'x'],
      ['General', 'General'],
      '#ffffff',
    ]);
  });
  it('Range.clear(options) with none named: "By default all data is cleared"; contentsOnly keeps formats', () => {
    expect(run(rtWith(code), 'rangeClearAll')).toEqual([
      ['', ''],
      ['', ''],
      [null, null],
      ['General', 'General'],
      '#ffffff',
    ]);
    expect(run(rtWith(code), 'contentsOnly')).toEqual([
      ['', ''],
      ['理由', '理由'],
      ['x', 'x'],
      ['0.0', '0.0'],
      '#ff0000',
    ]);
  });
});

describe('Session in simple triggers (D: §7, §2.3 AuthMode LIMITED: "locale only")', () => {
  it('a simple trigger sees no active or effective user; an installable one sees its owner', () => {
    const rt = rtWith(
      `function who() { return [Session.getActiveUser().getEmail(), Session.getEffectiveUser().getEmail(), Session.getActiveUserLocale()]; }`,
    );
    expect(run(rt, 'who', { mode: 'simple', activeUser: PT })).toEqual(['', '', 'ja']);
    expect(run(rt, 'who', { mode: 'installable', activeUser: OWNER })).toEqual([OWNER, OWNER, 'ja']);
  });
});

describe('values handed to the script are the sandbox realm’s (§0.11)', () => {
  it('getProperties(), getKeys(), nested arrays, user objects: instanceof Object/Array, constructor === Object', () => {
    const rt = rtWith(`function t() {
      var p = PropertiesService.getScriptProperties(); p.setProperty('a', '1');
      var all = p.getProperties(); var keys = p.getKeys();
      var r = sheet().getRange('A1'); r.setDataValidation(SpreadsheetApp.newDataValidation().requireValueInList(['x', 'y']).build());
      var crit = r.getDataValidation().getCriteriaValues();
      var user = Session.getActiveUser();
      return [all instanceof Object, all.constructor === Object, Object.getPrototypeOf(all) === Object.prototype,
        keys instanceof Array, crit instanceof Array, crit[0] instanceof Array, user instanceof Object];
    }`);
    expect(run(rt, 't')).toEqual([true, true, true, true, true, true, true]);
  });

  it('e.parameter and e.parameters of a web request are sandbox objects and arrays', () => {
    const rt = rtWith(`function doGet(e) { return HtmlService.createHtmlOutput(JSON.stringify([
      e instanceof Object, e.parameter instanceof Object, e.parameter.constructor === Object, e.parameters.t instanceof Array, e.parameter.t])); }`);
    expect(JSON.parse(rt.webGet({ t: 'abc' }))).toEqual([true, true, true, true, 'abc']);
  });

  it('an error thrown by service code is the sandbox’s Error, named Exception (§0.1)', () => {
    const rt = rtWith(
      `function t() { try { HtmlService.createHtmlOutput('x').addMetaTag('refresh', '1'); } catch (e) { return [e instanceof Error, e.name, e.message]; } }`,
    );
    expect(run(rt, 't')).toEqual([true, 'Exception', 'Meta tag refresh is not allowed.']);
  });
});

describe('Utilities overloads and algorithms (D: Utilities reference; R: §0.3, §10)', () => {
  const bytes = (buf: Buffer) => Array.from(buf, (b) => (b > 127 ? b - 256 : b));
  it('SHA-384 and SHA-512 are computed as such, never as SHA-256; MD2 is refused loudly', () => {
    const rt = rtWith(`function t() { var D = Utilities.DigestAlgorithm; return [
      Utilities.computeDigest(D.SHA_384, 'abc'), Utilities.computeDigest(D.SHA_512, 'abc'), Utilities.computeDigest(D.SHA_256, [1, 2, 255]),
      Utilities.computeDigest(D.MD5, '課題', Utilities.Charset.UTF_8), tryIt(function () { return Utilities.computeDigest(D.MD2, 'abc'); })]; }`);
    const [s384, s512, s256, md5, md2] = run<unknown[]>(rt, 't');
    expect(s384).toEqual(bytes(createHash('sha384').update('abc').digest()));
    expect(s512).toEqual(bytes(createHash('sha512').update('abc').digest()));
    expect(s256).toEqual(
      bytes(
        createHash('sha256')
          .update(Buffer.from([1, 2, 255]))
          .digest(),
      ),
    );
    expect(md5).toEqual(bytes(createHash('md5').update('課題', 'utf8').digest()));
    expect(md2).toBe('Exception: The offline runtime cannot compute MD2 digests.');
  });

  it('an unknown algorithm (a string, not the enum) and wrong argument types throw the signature error', () => {
    const rt = rtWith(`function t() { return [
      tryIt(function () { return Utilities.computeDigest('SHA_256', 'abc'); }),
      tryIt(function () { return Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_999, 'abc'); }),
      tryIt(function () { return Utilities.computeHmacSha256Signature('abc', [1, 2]); }),
      tryIt(function () { return Utilities.computeHmacSha256Signature([1], [2], Utilities.Charset.UTF_8); }),
      tryIt(function () { return Utilities.formatDate('2025-11-25', 'Asia/Tokyo', 'yyyy'); }),
      tryIt(function () { return Utilities.formatDate(new Date(), 'Asia/Tokyo'); }),
      tryIt(function () { return Utilities.base64Encode(12); }),
      tryIt(function () { return Utilities.sleep('10'); }),
    ]; }`);
    expect(run(rt, 't')).toEqual([
      "Exception: The parameters (String,String) don't match the method signature for Utilities.computeDigest.",
      "Exception: The parameters (undefined,String) don't match the method signature for Utilities.computeDigest.",
      "Exception: The parameters (String,number[]) don't match the method signature for Utilities.computeHmacSha256Signature.",
      "Exception: The parameters (number[],number[],Charset) don't match the method signature for Utilities.computeHmacSha256Signature.",
      "Exception: The parameters (String,String,String) don't match the method signature for Utilities.formatDate.",
      "Exception: The parameters (Date,String) don't match the method signature for Utilities.formatDate.",
      "Exception: The parameters (number) don't match the method signature for Utilities.base64Encode.",
      "Exception: The parameters (String) don't match the method signature for Utilities.sleep.",
    ]);
  });

  it('computeHmacSignature takes a MacAlgorithm (SHA-512 here)', () => {
    const rt = rtWith(
      `function t() { return Utilities.computeHmacSignature(Utilities.MacAlgorithm.HMAC_SHA_512, 'v', 'k'); }`,
    );
    expect(run(rt, 't')).toEqual(bytes(createHmac('sha512', 'k').update('v').digest()));
  });
});

describe('Utilities.formatDate follows Java SimpleDateFormat (D: "Java SE SimpleDateFormat")', () => {
  // 2025-12-30 00:04:05.007 in Tokyo, a Tuesday; its Sunday-started week holds 1 January 2026.
  const fmt = (tz: string, pattern: string) =>
    run<string>(
      rtWith(
        `function t(tz, p) { return tryIt(function () { return Utilities.formatDate(new Date(Date.UTC(2025, 11, 29, 15, 4, 5, 7)), tz, p); }); }`,
      ),
      't',
      {},
      [tz, pattern],
    );
  it('era, year, week year, months, days, weeks', () => {
    expect(fmt('Asia/Tokyo', 'G y yy yyyy YYYY YY')).toBe('AD 2025 25 2025 2026 26');
    expect(fmt('Asia/Tokyo', 'M MM MMM MMMM L')).toBe('12 12 Dec December 12');
    expect(fmt('Asia/Tokyo', 'd dd D w W F')).toBe('30 30 364 1 5 5');
    expect(fmt('Asia/Tokyo', 'E EEE EEEE u')).toBe('Tue Tue Tuesday 2');
  });
  it('hours, minutes, seconds, milliseconds, am/pm', () => {
    expect(fmt('Asia/Tokyo', 'a H HH k K h hh m mm s ss S SSS')).toBe('AM 0 00 24 0 12 12 4 04 5 05 7 007');
    expect(fmt('UTC', 'a H k K h')).toBe('PM 15 15 3 3');
  });
  it('zones: z, zzzz, Z, X, XX, XXX; an unknown zone is GMT; GMT+9 is a zone', () => {
    expect(fmt('Asia/Tokyo', 'z|zzzz|Z|X|XX|XXX')).toBe('JST|Japan Standard Time|+0900|+09|+0900|+09:00');
    expect(fmt('UTC', 'Z|X|XXX')).toBe('+0000|Z|Z');
    expect(fmt('Mars/Olympus', 'HH:mm z')).toBe('15:04 GMT');
    expect(fmt('GMT+9', 'HH:mm Z')).toBe('00:04 +0900');
    expect(fmt('America/Los_Angeles', 'z zzzz')).toBe('PST Pacific Standard Time');
    // Java prints CET here; Intl knows only GMT+1: refused rather than printed differently.
    expect(fmt('Europe/Paris', 'HH z')).toMatch(
      /^Exception: The offline runtime does not know Java's short name of Europe\/Paris/,
    );
  });
  it("quotes: 'text' and '' are copied; an unknown letter is refused loudly", () => {
    expect(fmt('Asia/Tokyo', "yyyy-MM-dd'T'HH:mm''ss 'o''clock'")).toBe("2025-12-30T00:04'05 o'clock");
    expect(fmt('Asia/Tokyo', 'yyyy-MM-ddTHH')).toBe("Exception: Illegal pattern character 'T'");
    expect(fmt('Asia/Tokyo', 'yyyy b')).toBe("Exception: Illegal pattern character 'b'");
  });
});

describe('the mail quota window (D: quotas "reset 24 hours after the first request")', () => {
  it('counts recipients from the first send for 24 hours, then starts again', () => {
    const rt = rtWith(
      `function send(n) { return tryIt(function () { var to = []; for (var i = 0; i < n; i++) to.push('a' + i + '@example.jp'); MailApp.sendEmail(to.join(','), 's', 'b'); return MailApp.getRemainingDailyQuota(); }); }
       function left() { return MailApp.getRemainingDailyQuota(); }`,
    );
    rt.state.mail.dailyQuota = 3;
    expect(run(rt, 'send', {}, [2])).toBe(1);
    rt.advance(23 * 3600_000 + 59 * 60_000);
    // Not yet: a calendar day has turned (in Tokyo and in California) but not 24 hours.
    expect(run(rt, 'send', {}, [2])).toBe('Exception: Service invoked too many times for one day: email.');
    expect(run(rt, 'left')).toBe(1);
    rt.advance(60_000);
    expect(run(rt, 'left')).toBe(3);
    expect(run(rt, 'send', {}, [2])).toBe(1);
    // Per user: another sender has a window of its own.
    expect(run(rt, 'send', { activeUser: PT }, [3])).toBe(0);
  });
});

describe('google.script.run in the served page (§8.2)', () => {
  /** Runs the page's marshalling in a fresh realm, as a browser would, with the Dates made there. */
  function marshal(argsJs: string): string {
    const ctx = vm.createContext({});
    vm.runInContext(MARSHAL_JS, ctx);
    return vm.runInContext(
      `(function () { try { return __gasMarshal(${argsJs}); } catch (e) { return e.name + ': ' + e.message; } })()`,
      ctx,
    );
  }
  it('D: a Date fails before sending, top level or nested, naming the key or index', () => {
    expect(marshal('[0, 1, 2, new Date()]')).toBe('TypeError: Failed due to illegal value in property: 3');
    expect(marshal('[{ a: { when: new Date() } }]')).toBe(
      'TypeError: Failed due to illegal value in property: when',
    );
    expect(marshal('[{ list: [1, new Date()] }]')).toBe(
      'TypeError: Failed due to illegal value in property: 1',
    );
  });
  it('D/R: functions, Maps and circular values fail; undefined becomes null at the top level and in arrays', () => {
    expect(marshal('[{ f: function () {} }]')).toBe('TypeError: Failed due to illegal value in property: f');
    expect(marshal('[new Map()]')).toBe('TypeError: Failed due to illegal value in property: 0');
    expect(marshal('(function () { var o = {}; o.self = o; return [o]; })()')).toBe(
      'TypeError: Failed due to circular reference.',
    );
    expect(JSON.parse(marshal('[undefined, [undefined, 1], { a: undefined, b: 2 }]'))).toEqual([
      null,
      [null, 1],
      { b: 2 },
    ]);
  });
});

describe('serve honours --mail-quota and --fail-mail-after; a run that dies keeps what it did', () => {
  it('the quota and the failure apply to runs from the page, and the workbook is saved after a death', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'serve-')), 'r.xlsx');
    const rt = rtWith(`function sendTwo() { sheet().getRange('A1').setValue('before the mail');
        MailApp.sendEmail('a@example.jp', 's', 'b'); sheet().getRange('A2').setValue('after one');
        MailApp.sendEmail('b@example.jp', 's', 'b'); sheet().getRange('A3').setValue('never'); }
      function quota() { return MailApp.getRemainingDailyQuota(); }`);
    const server = await serve({ workbook: file, runtime: rt, mailQuota: 40, failMailAfter: 1 });
    try {
      const post = (fn: string) =>
        fetch(`http://127.0.0.1:${server.port}/api/run`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fn, args: [], user: OWNER }),
        }).then((r) => r.json() as Promise<{ value?: unknown; error?: string }>);
      expect(await post('quota')).toMatchObject({ value: 40 });
      expect(await post('sendTwo')).toMatchObject({ error: 'Exceeded maximum execution time' });
    } finally {
      await server.close();
    }
    const { workbook, state } = await loadWorkbook(file);
    const t = workbook.sheet('T')!;
    expect([0, 1, 2].map((r) => t.cell(r, 0)?.v ?? '')).toEqual(['before the mail', 'after one', '']);
    expect(state.outbox.map((m) => m.to)).toEqual(['a@example.jp']);
  });
});
