// Attacks on add-on mode (#21): two registers on one installation. Links mixing one register's key
// with the other's token, inbox and request links swapped between the answer functions, a PT member
// running setup, and the secret never in anything a visitor or an editor can see. Runs in add-on
// mode whatever REGISTER_MODE says (as addon.test.ts).
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { WorkbookModel } from '../../local/runtime/workbook';
import { loadSample } from '../../local/sample';
import {
  call,
  newRuntime,
  OWNER,
  ok,
  PT,
  pageData,
  type Result,
  records,
  registerProps,
  setUp,
} from '../helpers';

type Answer = { ok: boolean; code?: string; message?: string };

function installation() {
  const a = newRuntime({ mode: 'addon' });
  const b = newRuntime({
    mode: 'addon',
    state: a.state,
    installation: a.installation,
    workbook: new WorkbookModel('register-b', 'プラチナ提案台帳 B', OWNER),
  });
  for (const rt of [a, b]) {
    setUp(rt);
    const loaded = loadSample(rt, OWNER) as Result;
    if (!loaded.ok) throw new Error(JSON.stringify(loaded));
  }
  return { a, b };
}

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;
const present = (rt: Runtime, id: string, department: string) =>
  ok(
    call(rt, 'apiPresent', {
      id,
      version: version(rt, id),
      departments: [department],
      effectiveDate: '2025-11-25',
    }),
  );
const lastBody = (rt: Runtime, to: string) => rt.state.outbox.filter((m) => m.to === to).at(-1)!.body;
const linkOf = (rt: Runtime, to: string, param: 't' | 'i') =>
  new RegExp(`\\?${param}=([A-Za-z0-9_.-]+)`).exec(lastBody(rt, to))![1]!;
const answered = (rt: Runtime, id: string, department: string) =>
  records(rt, '所管課別進捗').find((r) => r.ID === id && r.所管課 === department)!.回答区分;
const keyOf = (link: string) => link.slice(0, link.indexOf('.'));
const signed = (link: string) => link.slice(link.indexOf('.') + 1);

/** A and B each present R7-U03 to 保護課 (one outbox: the links are told apart by their key). */
function presented() {
  const { a, b } = installation();
  present(a, 'R7-U03', '保護課');
  const [tA, iA] = [linkOf(a, 'hogo@example.jp', 't'), linkOf(a, 'hogo@example.jp', 'i')];
  present(b, 'R7-U03', '保護課');
  const [tB, iB] = [linkOf(b, 'hogo@example.jp', 't'), linkOf(b, 'hogo@example.jp', 'i')];
  return { a, b, tA, iA, tB, iB };
}

describe('two registers on one installation', () => {
  it('an inbox link under the other register’s key, or with the other’s request token beside it, answers nothing', () => {
    const { a, b, tA, iA, tB, iB } = presented();
    expect(keyOf(iA)).toBe(keyOf(tA));
    expect(keyOf(iA)).not.toBe(keyOf(iB));
    const crossedInbox = `${keyOf(iB)}.${signed(iA)}`;
    expect(pageData(a.webGet({ i: crossedInbox }))).toMatchObject({ ok: false });
    const attempts: Record<string, unknown>[] = [
      // B's register chosen by the inbox (its key), A's request token riding along.
      { inbox: crossedInbox, token: tA, id: 'R7-U03', kind: '協議に応じる', answeredBy: 'x' },
      // A's inbox (A's register), B's token: the inbox decides, and asks for an id.
      { inbox: iA, token: tB, kind: '協議に応じる', answeredBy: 'x' },
      // The keys alone, or a key with nothing after it.
      { token: keyOf(tA), kind: '協議に応じる', answeredBy: 'x' },
      { token: `${keyOf(tA)}.`, kind: '協議に応じる', answeredBy: 'x' },
      // A's signed part without any key (a bound-mode link).
      { token: signed(tA), kind: '協議に応じる', answeredBy: 'x' },
    ];
    for (const payload of attempts)
      for (const rt of [a, b])
        expect(rt.callWeb<Answer>('apiAnswer', [payload]), JSON.stringify(payload)).toMatchObject({
          ok: false,
        });
    expect([answered(a, 'R7-U03', '保護課'), answered(b, 'R7-U03', '保護課')]).toEqual(['', '']);
    // A's own inbox answers A only, whichever runtime serves the web app.
    ok(
      b.callWeb<Result>('apiAnswer', [
        { inbox: iA, id: 'R7-U03', kind: '協議に応じる', answeredBy: '山田' },
      ]) as never,
    );
    expect([answered(a, 'R7-U03', '保護課'), answered(b, 'R7-U03', '保護課')]).toEqual(['協議に応じる', '']);
  });

  it('request and inbox links are no progress answers, in either register', () => {
    const { a, b, tA, iA, tB } = presented();
    for (const payload of [
      { token: tA, status: '実施中', answeredBy: 'x' },
      { inbox: iA, id: 'R7-U03', status: '実施中', answeredBy: 'x' },
      { token: `${keyOf(tA)}.${signed(tB)}`, status: '実施中', answeredBy: 'x' },
    ])
      for (const rt of [a, b])
        expect(rt.callWeb<Answer>('apiProgressAnswer', [payload])).toMatchObject({ ok: false });
    expect(pageData(a.webGet({ p: tA }))).toMatchObject({ ok: false });
    expect(pageData(a.webGet({ p: iA }))).toMatchObject({ ok: false });
    expect(records(a, '課題一覧').find((r) => r.ID === 'R7-U03')!.実施状況).toBe('');
  });

  it('a PT member running setup on A changes neither its owner, key, secret nor the index to B', () => {
    const { a, b } = installation();
    const before = { ...a.state.properties.script };
    const triggers = a.state.triggers.length;
    setUp(a, PT);
    const propsA = registerProps(a);
    for (const key of ['OWNER', 'TOKEN_SECRET', 'LINK_KEY'])
      expect(propsA[key], key).toBe(before[`${a.workbook.id}:${key}`]);
    for (const [k, v] of Object.entries(before))
      if (k.startsWith('REG:')) expect(a.state.properties.script[k]).toBe(v);
    expect(a.state.triggers).toHaveLength(triggers);
    expect(registerProps(b).OWNER).toBe(OWNER);
  });

  it('no page or answer of either register shows a secret', () => {
    const { a, b, tA, iA, tB, iB } = presented();
    const secrets = [registerProps(a).TOKEN_SECRET!, registerProps(b).TOKEN_SECRET!];
    const seen: string[] = [];
    for (const rt of [a, b]) {
      const queries: Record<string, string>[] = [
        { t: tA },
        { i: iA },
        { t: tB },
        { i: iB },
        { p: tA },
        { t: `${keyOf(tB)}.${signed(tA)}` },
      ];
      for (const q of queries) seen.push(rt.webGet(q));
      seen.push(
        JSON.stringify(rt.callWeb('apiAnswer', [{ token: tA, kind: '協議に応じる', answeredBy: 'x' }])),
      );
      seen.push(
        JSON.stringify(rt.callWeb('apiProgressAnswer', [{ token: tB, status: '実施中', answeredBy: 'x' }])),
      );
      seen.push(JSON.stringify(call(rt, 'apiSettings', undefined)));
      seen.push(JSON.stringify(call(rt, 'apiProposalHistory', { id: 'R7-U03' })));
    }
    seen.push(
      JSON.stringify(a.state.outbox),
      JSON.stringify(a.workbook.sheets),
      JSON.stringify(b.workbook.sheets),
    );
    for (const text of seen) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
