// The Editor add-on (dist-addon/) in the runtime's add-on mode, whatever REGISTER_MODE says: what
// only an add-on has. One installation serving two registers, its one hourly trigger, the open in
// AuthMode.NONE, the answer page finding its register, and the secret out of a PT member's reach.
import { describe, expect, it } from 'vitest';
import { exportNames } from '../../build/bundle.mjs';
import { CallRefused, type Runtime } from '../../local/runtime/runtime';
import { WorkbookModel } from '../../local/runtime/workbook';
import { loadSample } from '../../local/sample';
import {
  call,
  newProposal,
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

/** Two registers on one installation of the add-on (one project, one script-property store). */
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

function present(rt: Runtime, id: string, department: string) {
  ok(
    call(rt, 'apiPresent', {
      id,
      version: version(rt, id),
      departments: [department],
      effectiveDate: '2025-11-25',
    }),
  );
}

const linkOf = (rt: Runtime, to: string) =>
  /\?t=([A-Za-z0-9_.-]+)/.exec(rt.state.outbox.filter((m) => m.to === to).at(-1)!.body)![1]!;

describe('the Editor add-on', () => {
  it('opens in AuthMode.NONE until enabled, building only its menu; setup makes edit, change and one hourly trigger', () => {
    const rt = newRuntime({ mode: 'addon' });
    const [menu] = rt.open(PT);
    expect((menu!.items as { functionName: string }[]).map((i) => i.functionName)).toContain('menuSetup');
    expect(rt.lastExecution?.mode).toBe('load');
    setUp(rt);
    expect(rt.enabledHere()).toBe(true);
    expect(rt.open(PT)).toHaveLength(1);
    expect(rt.lastExecution?.mode).toBe('simple');
    expect(rt.state.triggers.map((t) => [t.handler, t.eventType, t.everyMinutes ?? null])).toEqual([
      ['onEditInstalled', 'ON_EDIT', null],
      ['onChangeInstalled', 'ON_CHANGE', null],
      ['onHourly', 'CLOCK', 60],
    ]);
    // Setup again (a rerun) creates nothing, and so meets no trigger limit.
    setUp(rt);
    expect(rt.state.triggers).toHaveLength(3);
  });

  it('serves two registers from one installation: separate state, separate secrets, separate IDs', () => {
    const { a, b } = installation();
    const [pa, pb] = [registerProps(a), registerProps(b)];
    expect(pa.TOKEN_SECRET).toBeTruthy();
    expect(pb.TOKEN_SECRET).toBeTruthy();
    expect(pa.TOKEN_SECRET).not.toBe(pb.TOKEN_SECRET);
    // No register state outside its register's keys: only the installation's indexes are global.
    for (const key of Object.keys(a.state.properties.script))
      expect(key).toMatch(/^(local-register:|register-b:|REG:|T:)/);
    const idA = newProposal(a);
    const idB = newProposal(b);
    expect(idB).toBe(idA);
    expect(records(a, '課題一覧').filter((r) => r.ID === idA)).toHaveLength(1);
    expect(records(b, '課題一覧').filter((r) => r.ID === idB)).toHaveLength(1);
    expect(records(a, '課題一覧')).toHaveLength(records(b, '課題一覧').length);
    expect(a.state.triggers.filter((t) => t.handler === 'onHourly')).toHaveLength(2);
  });

  it('each register’s hourly run works for its own register; the daily work runs once a day from 9:00', () => {
    const { a, b } = installation();
    // 集計 of A waits for its rebuild (the 10-minute work): B's run leaves it, A's does it.
    registerProps(a).SUMMARY_DIRTY = '1';
    b.fireTrigger('onHourly');
    expect(registerProps(a).SUMMARY_DIRTY).toBe('1');
    a.fireTrigger('onHourly');
    expect(registerProps(a).SUMMARY_DIRTY).toBe('');
    // 変更履歴 loses its last rows: the daily check of A finds it at the first run from 9:00.
    const history = a.workbook.sheet('変更履歴')!;
    history.cells.length = history.lastRow() - 2;
    const reports = () => a.state.outbox.filter((m) => m.subject.includes('変更履歴')).length;
    a.setClock('2025-11-26T08:10:00+09:00');
    a.fireTrigger('onHourly');
    expect([reports(), registerProps(a).DAILY_DONE]).toEqual([0, '2025-11-25']);
    a.setClock('2025-11-26T09:40:00+09:00');
    a.fireTrigger('onHourly');
    expect([reports(), registerProps(a).DAILY_DONE]).toEqual([1, '2025-11-26']);
    expect(registerProps(b).DAILY_DONE).not.toBe('2025-11-26');
    a.setClock('2025-11-26T10:40:00+09:00');
    const before = a.executions.length;
    a.fireTrigger('onHourly');
    // The next hour's run does not do the day's work again (no 変更履歴 read: the check's big read).
    expect(a.executions.slice(before).every((x) => x.cellsRead < 200)).toBe(true);
  });

  it('the answer page reaches the register its link names, with that register’s secret', () => {
    const { a, b } = installation();
    // One outbox: the installation's mail goes out as the one owner account.
    present(a, 'R7-U03', '保護課');
    const linkA = linkOf(a, 'hogo@example.jp');
    present(b, 'R7-U03', '保護課');
    const linkB = linkOf(b, 'hogo@example.jp');
    expect(linkB).not.toBe(linkA);
    expect(linkA.split('.')).toHaveLength(3);
    // One web app for the installation: B's runtime serves A's link (opened by ID as the deployer).
    expect(pageData(b.webGet({ t: linkA }))).toMatchObject({ ok: true, id: 'R7-U03', department: '保護課' });
    ok(b.callWeb('apiAnswer', [{ token: linkA, kind: '協議に応じる', answeredBy: '保護課 山田' }]));
    const answered = (rt: Runtime) =>
      records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U03' && r.所管課 === '保護課')!.回答区分;
    expect([answered(a), answered(b)]).toEqual(['協議に応じる', '']);
    // A's signed part under B's key: checked with B's secret, so refused.
    const [keyB] = linkB.split('.');
    const crossed = `${keyB}.${linkA.split('.').slice(1).join('.')}`;
    expect(pageData(a.webGet({ t: crossed }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('改ざん'),
    });
    expect(a.callWeb('apiAnswer', [{ token: crossed, kind: '所管外', answeredBy: '攻撃者' }])).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(answered(b)).toBe('');
    // A link naming no register is refused as malformed.
    expect(
      pageData(a.webGet({ t: `ZZZZZZZZZZZZZZZZ.${linkA.split('.').slice(1).join('.')}` })),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining('リンクが正しくありません'),
    });
  });

  it('a PT member cannot read the secret through any public function, called with junk from the sidebar or the web app', async () => {
    const { a } = installation();
    present(a, 'R7-U03', '保護課');
    const secret = registerProps(a).TOKEN_SECRET!;
    const link = linkOf(a, 'hogo@example.jp');
    const payloads: unknown[] = [
      undefined,
      {},
      'x',
      { id: 'R7-U03' },
      { token: link, inbox: link, id: 'R7-U03', kind: '協議に応じる', answeredBy: 'PT' },
      { triggerUid: '3', authMode: 'FULL' },
      { key: 'TOKEN_SECRET', name: 'TOKEN_SECRET', query: 'TOKEN_SECRET' },
    ];
    const seen: string[] = [];
    const names = await exportNames();
    expect(names.length).toBeGreaterThan(20);
    for (const fn of names)
      for (const payload of payloads) {
        const args = payload === undefined ? [] : [payload];
        for (const attempt of [() => a.call(fn, args, PT), () => a.callWeb(fn, args, PT)]) {
          try {
            seen.push(JSON.stringify(attempt() ?? null));
          } catch (e) {
            if (!(e instanceof Error || e instanceof CallRefused)) throw e;
            seen.push(String((e as Error).message));
          }
          seen.push(JSON.stringify(a.ui));
        }
      }
    seen.push(JSON.stringify(a.workbook.sheets), JSON.stringify(a.state.outbox), a.logs.join('\n'));
    expect(seen.length).toBeGreaterThan(names.length * payloads.length);
    for (const text of seen) expect(text).not.toContain(secret);
  });
});
