// Property test on the real bundle: random sequences of sidebar calls; after every step the stored
// sheets obey the rules, 進捗 equals ※1 recomputed from 所管課別進捗 and 判断, and the history
// chain verifies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortSheet, typeInto } from '../../local/runtime/people';
import { columnLetters } from '../../local/runtime/spreadsheet';
import type { DeptState } from '../../src/domain/labels';
import { effectiveStage } from '../../src/domain/stage';
import { call, expectHistorySealed, OWNER, PT, records, sampleRuntime } from '../helpers';

const IDS = ['R7-U01', 'R7-U03', 'R7-U07', 'R7-S05', 'R7-S09'];
const DEPTS = [
  '広報室',
  '情報政策課',
  '保護課',
  'デジタル推進課',
  '区政推進課',
  '市民課',
  '人事課',
  '車両管理課',
  '契約課',
];

const step = fc.record({
  kind: fc.constantFrom(
    'stage',
    'consult',
    'judge',
    'correct',
    'edit',
    'hand-stage',
    'hand-judge',
    'paste',
    'sort',
    'present',
    'answer',
  ),
  row: fc.nat(60),
  column: fc.integer({ min: 1, max: 8 }),
  id: fc.constantFrom(...IDS),
  dept: fc.constantFrom(...DEPTS),
  to: fc.constantFrom('未提示', '①', '②', '④', '所管外'),
  judgment: fc.constantFrom('', '検討継続', '検討終了'),
  asSecretariat: fc.boolean(),
});

function checkInvariants(rt: ReturnType<typeof sampleRuntime>) {
  const progress = records(rt, '所管課別進捗');
  // No accepted value is lost: every department's stage cell holds what history last accepted.
  const accepted = new Map<string, string>();
  for (const h of records(rt, '変更履歴')) {
    if (h.項目 === '所管課追加')
      accepted.set(`${h.ID}|${h.所管課}`, accepted.get(`${h.ID}|${h.所管課}`) ?? '未提示');
    if (h.項目 === '段階') accepted.set(`${h.ID}|${h.所管課}`, h.新値!);
  }
  for (const r of progress) expect(r.段階, `${r.ID} ${r.所管課}`).toBe(accepted.get(`${r.ID}|${r.所管課}`));
  for (const p of records(rt, '課題一覧')) {
    const rows = progress
      .filter((r) => r.ID === p.ID && r.段階 !== '所管外')
      .map((r) => ({ department: r.所管課!, stage: r.段階 as DeptState }));
    expect(p.進捗, p.ID).toBe(effectiveStage(rows, p.判断!).stage);
    if (p.判断 === '検討終了') expect(p.終了理由).not.toBe('');
  }
  expectHistorySealed(rt);
}

describe('random sidebar saves, hand edits and sorts on the bundle', () => {
  it('keep the register consistent after every step', () => {
    let steps = 0;
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (seq) => {
        const rt = sampleRuntime();
        for (const s of seq) {
          steps++;
          const user = s.asSecretariat ? OWNER : PT;
          const got = call<{ version: string }>(rt, 'apiGetProposal', { id: s.id }, user);
          if (!got.ok) throw new Error(got.message);
          const version = got.data.version;
          const historyBefore = records(rt, '変更履歴').length;
          let r: { ok: boolean };
          if (s.kind === 'stage')
            r = call(
              rt,
              'apiSetDepartmentStage',
              {
                id: s.id,
                version,
                department: s.dept,
                stage: s.to,
                reason: s.to === '所管外' ? '所管が違う' : '',
              },
              user,
            );
          else if (s.kind === 'consult')
            r = call(
              rt,
              'apiRecordConsultation',
              { id: s.id, version, department: s.dept, date: '2025-11-25', summary: '協議' },
              user,
            );
          else if (s.kind === 'judge')
            r = call(
              rt,
              'apiRecordJudgment',
              {
                id: s.id,
                version,
                judgment: s.judgment,
                endReason: s.judgment === '検討終了' ? 'その他' : '',
              },
              user,
            );
          else if (s.kind === 'correct')
            r = call(
              rt,
              'apiSetDepartmentStage',
              { id: s.id, version, department: s.dept, stage: s.to, reason: '訂正' },
              user,
            );
          else if (s.kind === 'edit')
            r = call(rt, 'apiUpdateProposal', { id: s.id, version, fields: { notes: `メモ${steps}` } }, user);
          else if (s.kind === 'sort') {
            sortSheet(rt, s.asSecretariat ? '課題一覧' : '所管課別進捗', s.column, { user });
            r = { ok: false };
          } else if (s.kind === 'answer') {
            // A department answers the latest request sent for this proposal, if any.
            const mail = rt.state.outbox
              .filter((m) => m.subject.includes(s.id) && /\?t=/.test(m.body))
              .at(-1);
            const token = mail ? /\?t=(\S+)/.exec(mail.body)![1] : 'none';
            r = rt.callWeb<{ ok: boolean }>('apiAnswer', [
              { token, kind: '協議に応じる', comment: `回答${steps}`, answeredBy: '所管課' },
            ]);
          } else if (s.kind === 'present') {
            r = call(rt, 'apiPresent', { id: s.id, version, departments: [s.dept] }, user);
          } else {
            // A person types into the sheet: a stage or a pasted column of stages in 所管課別進捗,
            // or a 判断 in 課題一覧.
            const sheet = s.kind === 'hand-judge' ? '課題一覧' : '所管課別進捗';
            const model = rt.workbook.sheet(sheet)!;
            const header = Array.from({ length: model.lastColumn() }, (_, c) =>
              String(model.cell(0, c)?.v ?? ''),
            );
            const col = header.indexOf(s.kind === 'hand-judge' ? '判断' : '段階') + 1;
            const row = 2 + (s.row % (model.lastRow() - 1));
            const value = s.kind === 'hand-judge' ? s.judgment : s.to;
            const block =
              s.kind === 'paste'
                ? [[value], [s.judgment ? '②' : '①'], ['④']].slice(0, Math.max(1, model.lastRow() - row + 1))
                : [[value]];
            typeInto(rt, `${sheet}!${columnLetters(col)}${row}`, block, { user });
            r = { ok: records(rt, '変更履歴').length > historyBefore };
          }
          const historyAfter = records(rt, '変更履歴').length;
          if (r.ok) {
            accepted++;
            expect(historyAfter).toBeGreaterThan(historyBefore);
          } else if (s.kind !== 'sort' && s.kind !== 'paste') expect(historyAfter).toBe(historyBefore);
          checkInvariants(rt);
        }
      }),
      { numRuns: 40 },
    );
    console.log(`bundle property test: 40 sequences, ${steps} steps, ${accepted} accepted`);
  }, 120_000);
});
