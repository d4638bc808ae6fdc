// The register the progress-check tests start from: the sample in March 2026 with 検討継続 on three
// proposals at ② (two sharing a department, whose one email lists both), 年度 2026 started, then
// 2026-04-01 (a Wednesday): the first quarter's round is due.
import { expect } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { call, OWNER, ok, records, sampleRuntime } from '../helpers';

const DAY = 24 * 3600_000;
const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;

export function carriedOverRegister(opts: { firstStatus?: string } = {}) {
  const rt = sampleRuntime();
  rt.advance(100 * DAY);
  const atTwo = new Set(
    records(rt, '課題一覧')
      .filter((r) => r.進捗 === '②')
      .map((r) => r.ID!),
  );
  const consulted = records(rt, '所管課別進捗').filter((r) => r.段階 === '②' && atTwo.has(r.ID!));
  const byDept = new Map<string, typeof consulted>();
  for (const r of consulted) byDept.set(r.所管課!, [...(byDept.get(r.所管課!) ?? []), r]);
  const [shared, pair] = [...byDept].find(([, rows]) => rows.length >= 2)!;
  const third = consulted.find((r) => !consulted.some((x) => x.ID === r.ID && x.所管課 === shared))!;
  const judged = [pair[0]!.ID!, pair[1]!.ID!, third.ID!];
  for (const id of judged)
    ok(call(rt, 'apiRecordJudgment', { id, version: version(rt, id), judgment: '検討継続' }));
  if (opts.firstStatus)
    ok(
      call(rt, 'apiUpdateProposal', {
        id: judged[0],
        version: version(rt, judged[0]!),
        fields: { implementation: opts.firstStatus },
      }),
    );
  ok(call(rt, 'apiStartFiscalYear', { fiscalYear: 2026 }, OWNER));
  rt.advance(27 * DAY);
  // Who is due: each department at ② on a judged proposal, with its address.
  const progress = records(rt, '所管課別進捗');
  const emails = new Map(records(rt, '所管課').map((d) => [d.所管課!, d.メールアドレス!]));
  const due = new Map<string, string[]>();
  for (const id of judged)
    for (const r of progress.filter((x) => x.ID === id && x.段階 === '②'))
      due.set(r.所管課!, [...(due.get(r.所管課!) ?? []), id]);
  return { rt, judged, shared, third: third.ID!, thirdDept: third.所管課!, emails, due };
}

export const progressMails = (rt: Runtime) =>
  rt.state.outbox.filter((m) => m.subject.startsWith('【実施状況の確認】'));

/** The progress link for `id` in the last progress-check email to `to`. */
export const progressToken = (rt: Runtime, to: string, id: string) => {
  const body = progressMails(rt)
    .filter((m) => m.to === to)
    .at(-1)!.body;
  const at = body.indexOf(`■${id} `);
  expect(at).toBeGreaterThanOrEqual(0);
  return /\?p=((?:[A-Za-z0-9]{16}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(body.slice(at))![1]!;
};

/** The inbox link in the last progress-check email to `to`. */
export const inboxToken = (rt: Runtime, to: string) =>
  /\?i=((?:[A-Za-z0-9]{16}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(
    progressMails(rt)
      .filter((m) => m.to === to)
      .at(-1)!.body,
  )![1]!;
