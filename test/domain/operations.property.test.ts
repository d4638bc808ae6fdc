// Property tests (fast-check): random sequences of operations, through the same transitions table
// as every path, leave only states the rules allow, with one history row per changed field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Draft } from '../../src/domain/draft';
import { DEPT_STAGES, END_REASONS, OUT_OF_SCOPE } from '../../src/domain/labels';
import type { Actor, RegisterState } from '../../src/domain/model';
import {
  createProposal,
  Refused,
  recordConsultation,
  recordJudgment,
  setDepartmentStage,
} from '../../src/domain/operations';

const DEPTS = ['広報室', '人事課', '総務課'];
const initial = (): RegisterState => ({
  settings: {
    projectName: 'p',
    fiscalYear: 2025,
    answerDays: 10,
    reminderDays: 5,
    escalationDays: 5,
    digest: false,
    secretariat: [],
    pt: [],
    ptContact: '',
    webAppUrl: '',
    lists: {
      perspectives: ['市民の目線'],
      userCategories: [],
      staffCategories: [],
      endReasons: [...END_REASONS],
      implementation: [],
    },
  },
  proposals: [],
  progress: [],
  consultations: [],
  departments: DEPTS.map((name) => ({ name, shortName: '', emails: '', active: true })),
});

const opArb = fc.oneof(
  fc.record({
    op: fc.constant('stage' as const),
    p: fc.nat(2),
    d: fc.nat(2),
    to: fc.constantFrom(...DEPT_STAGES, OUT_OF_SCOPE),
    sec: fc.boolean(),
    reason: fc.constantFrom('', '誤り'),
  }),
  fc.record({ op: fc.constant('consult' as const), p: fc.nat(2), d: fc.nat(2) }),
  fc.record({
    op: fc.constant('judge' as const),
    p: fc.nat(2),
    to: fc.constantFrom('', '検討継続', '検討終了'),
    end: fc.constantFrom('', ...END_REASONS),
    sec: fc.boolean(),
    reason: fc.constantFrom('', '誤り'),
  }),
);

function snapshot(state: RegisterState) {
  const fields = new Map<string, string>();
  for (const p of state.proposals)
    for (const [k, v] of Object.entries(p)) fields.set(`${p.id}||${k}`, String(v));
  for (const r of state.progress)
    for (const [k, v] of Object.entries(r)) fields.set(`${r.id}|${r.department}|${k}`, String(v));
  return fields;
}

describe('random operation sequences (domain)', () => {
  it('leave allowed states, and every changed field has its history row', () => {
    let steps = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        let state = initial();
        const actor = (role: '事務局' | 'PT'): Actor => ({
          email: 'a@example.jp',
          role,
          path: 'サイドバー',
          recordedAt: '2025-11-25 10:00:00',
          today: '2025-11-25',
        });
        const seed = new Draft(state, actor('PT'));
        for (let i = 0; i < 3; i++) {
          createProposal(
            seed,
            {
              kind: 'ユーザーの困りごと',
              painPoint: 'x',
              perspective: '',
              category: '公共の場等',
              title: `t${i}`,
              solution: '',
              ptMembers: '',
              ptContact: '',
              notes: '',
              departments: DEPTS,
            },
            `R7-U0${i + 1}`,
          );
        }
        state = seed.state;
        for (const o of ops) {
          steps++;
          const draft = new Draft(state, actor(o.op !== 'consult' && o.sec ? '事務局' : 'PT'));
          const id = `R7-U0${o.p + 1}`;
          const before = snapshot(state);
          try {
            if (o.op === 'stage')
              setDepartmentStage(draft, { id, department: DEPTS[o.d]!, stage: o.to, reason: o.reason });
            if (o.op === 'consult')
              recordConsultation(
                draft,
                {
                  id,
                  department: DEPTS[o.d]!,
                  date: '2025-11-25',
                  attendees: '',
                  summary: 's',
                  nextSteps: '',
                },
                `${id}-K${steps}`,
              );
            if (o.op === 'judge')
              recordJudgment(draft, { id, judgment: o.to as '', endReason: o.end, reason: o.reason });
          } catch (e) {
            if (!(e instanceof Refused)) throw e;
            continue; // a refusal writes nothing: the draft is dropped
          }
          const after = snapshot(draft.state);
          const changed = [...after].filter(([k, v]) => before.get(k) !== v && !k.endsWith('|requestState'));
          for (const [key, value] of changed) {
            const [pid, dept] = key.split('|');
            expect(
              draft.history.some((h) => h.id === pid && h.department === (dept ?? '') && h.new === value),
              key,
            ).toBe(true);
          }
          state = draft.state;
          for (const p of state.proposals) {
            const rows = state.progress.filter((r) => r.id === p.id);
            if (p.judgment === '検討継続')
              expect(rows.some((r) => r.stage === '②' || r.stage === '④')).toBe(true);
            if (p.judgment === '検討終了') expect(END_REASONS).toContain(p.endReason);
            if (p.judgment)
              expect(
                rows.some((r) => r.stage !== '未提示' && r.stage !== OUT_OF_SCOPE) ||
                  p.judgment === '検討終了',
              ).toBe(true);
            for (const r of rows) {
              expect([...DEPT_STAGES, OUT_OF_SCOPE]).toContain(r.stage);
              if (r.stage === '①' || r.stage === '②' || r.stage === '④') expect(r.presentedOn).not.toBe('');
              if (r.stage === '②') expect(r.consultedOn).not.toBe('');
              if (r.stage === '④') expect(r.doneOn).not.toBe('');
              if (r.stage === '未提示') expect(r.presentedOn + r.consultedOn + r.doneOn).toBe('');
              if (r.stage === OUT_OF_SCOPE) expect(r.removalReason).not.toBe('');
            }
          }
        }
      }),
      { numRuns: 300 },
    );
    console.log(`domain property test: 300 sequences, ${steps} steps`);
  });
});
