// Contract tests for the other emulated services (APPS-SCRIPT-SEMANTICS.md §0, §3–§10).
import { describe, expect, it } from 'vitest';
import { CallRefused } from '../../local/runtime/runtime';
import { OWNER, PT, run, scriptRuntime } from '../helpers';

const TRY = `function tryIt(f) { try { return f(); } catch (e) { return e.name + ': ' + e.message; } }\n`;
const rtWith = (code: string) => scriptRuntime(TRY + code);

describe('execution (§0)', () => {
  it('§0.7 D: every execution starts from a fresh global scope', () => {
    const rt = rtWith(`var counter = 0; function bump() { counter++; return counter; }`);
    expect(run(rt, 'bump')).toBe(1);
    expect(run(rt, 'bump')).toBe(1);
  });

  it('§0.1 R: service errors have name "Exception" and a bare message', () => {
    const rt = rtWith(
      `function t() { try { SpreadsheetApp.getActiveSpreadsheet().getSheets()[0]; SpreadsheetApp.getActive().insertSheet('a'); SpreadsheetApp.getActive().insertSheet('a'); } catch (e) { return [e.name, e.message, e instanceof Error]; } }`,
    );
    expect(run(rt, 't')).toEqual([
      'Exception',
      'A sheet with the name "a" already exists. Please enter another name.',
      true,
    ]);
  });

  // runtime-time: service calls now take time (costs.ts), so new Date() after four calls is no longer
  // the start instant; time.contract.test.ts checks the realm and the clock with the costs counted.
  it.skip('§0.11 I: Dates the services return are the sandbox realm’s, and new Date() follows the runtime clock', () => {
    const rt = rtWith(
      `function t() { var s = SpreadsheetApp.getActive().insertSheet('x'); s.getRange('A1').setValue('2025/11/25'); var v = s.getRange('A1').getValue(); return [v instanceof Date, new Date().toISOString(), Date.now() === new Date().getTime()]; }`,
    );
    expect(run(rt, 't')).toEqual([true, '2025-11-25T06:00:00.000Z', true]);
  });

  it('§0.6/§0.5 R: a scope missing from the manifest refuses the call', () => {
    const rt = rtWith(
      `function t() { return tryIt(function () { return MailApp.getRemainingDailyQuota(); }); }`,
    );
    rt.host.scopes = rt.host.scopes.filter((s) => !s.endsWith('send_mail'));
    expect(run(rt, 't')).toBe(
      'Exception: Specified permissions are not sufficient to call MailApp.getRemainingDailyQuota. Required permissions: https://www.googleapis.com/auth/script.send_mail',
    );
  });
});

describe('google.script.run (§8.2)', () => {
  const rt = () =>
    rtWith(
      `function echo(x) { return x; } function withDate() { return { a: 1, when: new Date() }; } function priv_() { return 1; }`,
    );
  it('§8.2 D: a Date argument fails in the client with the index of the bad value', () => {
    expect(() => rt().call('echo', [new Date()], PT)).toThrow(
      new CallRefused('Failed due to illegal value in property: 0'),
    );
  });
  it('§8.2 R: a returned value containing a Date is lost whole', () => {
    expect(rt().call('withDate', [], PT)).toBeNull();
  });
  it('§8.2 R: undefined becomes null; objects arrive as copies', () => {
    expect(rt().call('echo', [undefined], PT)).toBeNull();
    expect(rt().call('echo', [{ a: [1, 'x'] }], PT)).toEqual({ a: [1, 'x'] });
  });
  it('§8.2 D: functions ending in _ are not callable', () => {
    expect(() => rt().call('priv_', [], PT)).toThrow(CallRefused);
  });
});

describe('LockService (§3)', () => {
  const code = `
    function holdAndFlush() { var l = LockService.getScriptLock(); l.waitLock(1000); SpreadsheetApp.flush(); return l.hasLock(); }
    function probe() { var l = LockService.getScriptLock(); return [l.tryLock(-1), l.tryLock(10), tryIt(function () { l.waitLock(10); })]; }
    function free() { var l = LockService.getScriptLock(); return [l.tryLock(0), l.hasLock()]; }
    function docLock() { return LockService.getDocumentLock() === null; }`;

  it('§3 D/R: while another execution holds the script lock, tryLock is false and waitLock throws', () => {
    const rt = rtWith(code);
    let inside: unknown;
    rt.interleave('SpreadsheetApp.flush', () => {
      inside = run(rt, 'probe', { activeUser: PT });
    });
    expect(run(rt, 'holdAndFlush')).toBe(true);
    expect(inside).toEqual([
      false,
      false,
      'Exception: Lock timeout: another process was holding the lock for too long.',
    ]);
  });

  it('§3 D: the lock is released when its execution ends; tryLock(0) then succeeds', () => {
    const rt = rtWith(code);
    run(rt, 'holdAndFlush');
    expect(run(rt, 'free')).toEqual([true, true]);
  });

  it('§3 D: the document lock is null in a web app', () => {
    const rt = rtWith(code);
    expect(run(rt, 'docLock', { mode: 'web' })).toBe(true);
    expect(run(rt, 'docLock', { mode: 'menu' })).toBe(false);
  });
});

describe('PropertiesService (§4)', () => {
  it('§4 D: values are strings, missing keys are null, getProperties is a copy', () => {
    const rt = rtWith(
      `function t() { var p = PropertiesService.getScriptProperties(); p.setProperty('n', 5); var all = p.getProperties(); all.n = 'changed'; return [p.getProperty('n'), typeof p.getProperty('n'), p.getProperty('missing')]; }`,
    );
    expect(run(rt, 't')).toEqual(['5', 'string', null]);
  });
  it('§4 R: a value over 9 KB is refused with the storage-quota message', () => {
    const rt = rtWith(
      `function t() { return tryIt(function () { PropertiesService.getScriptProperties().setProperty('big', new Array(9300).join('x')); }); }`,
    );
    expect(run(rt, 't')).toBe(
      'Exception: You have exceeded the property storage quota. Please remove some properties and try again.',
    );
  });
});

describe('Session (§7)', () => {
  it('§7 D: active and effective users follow the execution (web app as deployer: visitor hidden)', () => {
    const rt = rtWith(
      `function who() { return [Session.getActiveUser().getEmail(), Session.getEffectiveUser().getEmail(), Session.getScriptTimeZone()]; }`,
    );
    expect(run(rt, 'who', { activeUser: PT })).toEqual([PT, PT, 'Asia/Tokyo']);
    expect(run(rt, 'who', { mode: 'web', activeUser: '', effectiveUser: OWNER })).toEqual([
      '',
      OWNER,
      'Asia/Tokyo',
    ]);
  });
});

describe('Utilities (§10)', () => {
  it('§10 R: HMAC-SHA256 returns 32 signed bytes (reference vector)', () => {
    const rt = rtWith(
      `function t() { return Utilities.computeHmacSha256Signature('this is my input', 'my key - use a stronger one'); }`,
    );
    const bytes = run<number[]>(rt, 't');
    expect(bytes.slice(0, 4)).toEqual([53, -75, -52, -25]);
    expect(bytes).toHaveLength(32);
  });
  it('§10 R: the string overload without a charset is not UTF-8 (non-ASCII is lossy)', () => {
    const rt =
      rtWith(`function t() { var a = Utilities.computeHmacSha256Signature('課題', 'k'); var b = Utilities.computeHmacSha256Signature('提案', 'k');
      var c = Utilities.computeHmacSha256Signature('課題', 'k', Utilities.Charset.UTF_8); var d = Utilities.computeHmacSha256Signature('提案', 'k', Utilities.Charset.UTF_8);
      return [a.join() === b.join(), c.join() === d.join()]; }`);
    expect(run(rt, 't')).toEqual([true, false]);
  });
  it('§10 D/R: formatDate follows SimpleDateFormat and refuses an unquoted T', () => {
    const rt = rtWith(
      `function t() { var d = new Date('2025-11-24T15:30:00Z'); return [Utilities.formatDate(d, 'Asia/Tokyo', 'yyyy-MM-dd HH:mm'), Utilities.formatDate(d, 'Asia/Tokyo', "yyyy-MM-dd'T'HH:mm"), tryIt(function () { return Utilities.formatDate(d, 'UTC', 'yyyy-MM-ddTHH'); })]; }`,
    );
    expect(run(rt, 't')).toEqual([
      '2025-11-25 00:30',
      '2025-11-25T00:30',
      "Exception: Illegal pattern character 'T'",
    ]);
  });
  it('§10 R: parseCsv handles quotes, escaped quotes and embedded newlines; a trailing newline adds no row', () => {
    const rt = rtWith(`function t() { return Utilities.parseCsv('a,"b ""quoted"" c",d\\n"x\\ny",2\\n'); }`);
    expect(run(rt, 't')).toEqual([
      ['a', 'b "quoted" c', 'd'],
      ['x\ny', '2'],
    ]);
  });
  it('§10 D: base64EncodeWebSafe and getUuid', () => {
    const rt = rtWith(
      `function t() { return [Utilities.base64EncodeWebSafe([-1, -2, -3]), /^[0-9a-f-]{36}$/.test(Utilities.getUuid())]; }`,
    );
    expect(run(rt, 't')).toEqual(['__79', true]);
  });
});

describe('MailApp (§5)', () => {
  const code = `function send(to, cc) { return tryIt(function () { MailApp.sendEmail({ to: to, cc: cc || '', subject: '件名', body: '本文' }); return MailApp.getRemainingDailyQuota(); }); }`;
  it('§5 D: the daily quota counts recipients, not messages', () => {
    const rt = rtWith(code);
    rt.state.mail.dailyQuota = 5;
    expect(run(rt, 'send', {}, ['a@example.jp,b@example.jp', 'c@example.jp'])).toBe(2);
    expect(run(rt, 'send', {}, ['a@example.jp,b@example.jp,c@example.jp'])).toBe(
      'Exception: Service invoked too many times for one day: email.',
    );
    expect(rt.state.outbox).toHaveLength(1);
  });
  it('§5 R: no recipient, a bad address, and sending from a simple trigger are refused', () => {
    const rt = rtWith(code);
    expect(run(rt, 'send', {}, [''])).toBe('Exception: Failed to send email: no recipient');
    expect(run(rt, 'send', {}, ['not an address'])).toBe('Exception: Invalid email: not an address');
    expect(run(rt, 'send', { mode: 'simple' }, ['a@example.jp'])).toMatch(
      /^Exception: You do not have permission to call MailApp.sendEmail/,
    );
  });
});

describe('ScriptApp (§6)', () => {
  it('§6 D: getProjectTriggers shows only the current user’s triggers; everyMinutes takes 1, 5, 10, 15 or 30', () => {
    const rt =
      rtWith(`function make() { ScriptApp.newTrigger('x').timeBased().everyMinutes(10).create(); return ScriptApp.getProjectTriggers().length; }
      function bad() { return tryIt(function () { ScriptApp.newTrigger('x').timeBased().everyMinutes(7).create(); }); }`);
    expect(run(rt, 'make', { activeUser: OWNER })).toBe(1);
    expect(run(rt, 'make', { activeUser: PT })).toBe(1);
    expect(rt.state.triggers.map((t) => t.owner)).toEqual([OWNER, PT]);
    expect(run(rt, 'bad')).toMatch(/^Exception: /);
  });
});
