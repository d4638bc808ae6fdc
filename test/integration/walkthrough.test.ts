// Fixes from the walk-through: presentations made by hand are not 未送信, a department card has its
// 回答期限, a partial send failure names the department and why.
import { describe, expect, it } from 'vitest';
import { call, edit, OWNER, ok, records, sampleRuntime, sheetValues } from '../helpers';

type Detail = { version: string; deadlines: Record<string, { dueDate: string; overdue: boolean }> };

describe('a department card', () => {
  it('has no 回答期限 for a presentation made by hand, and one once the add-on sent the request', () => {
    const rt = sampleRuntime();
    const before = ok(call<Detail>(rt, 'apiGetProposal', { id: 'R7-U03' }));
    expect(before.deadlines).toEqual({});
    ok(call(rt, 'apiPresent', { id: 'R7-U03', version: before.version, departments: ['保護課'] }));
    const after = ok(call<Detail>(rt, 'apiGetProposal', { id: 'R7-U03' }));
    // 提示日 R7.9.10 plus 設定's working days (weekends and holidays skipped).
    expect(Object.keys(after.deadlines)).toEqual(['保護課']);
    expect(after.deadlines.保護課!.dueDate > '2025-09-10').toBe(true);
    expect(records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U03')!.依頼状態).toBe('送信済');
  });
});

describe('presenting when a send fails', () => {
  it('names the department and the reason', () => {
    const rt = sampleRuntime();
    const row = sheetValues(rt, '所管課').findIndex((r) => r[0] === '保護課') + 1;
    const col = String.fromCharCode(65 + sheetValues(rt, '所管課')[0]!.indexOf('メールアドレス'));
    edit(rt, `所管課!${col}${row}`, 'hogo@example', OWNER);
    const { version } = ok(call<Detail>(rt, 'apiGetProposal', { id: 'R7-U03' }));
    const r = ok(
      call<{ sent: number; failed: number; failures: { department: string; error: string }[] }>(
        rt,
        'apiPresent',
        { id: 'R7-U03', version, departments: ['保護課'] },
      ),
    );
    expect(r).toMatchObject({ sent: 0, failed: 1, failures: [{ department: '保護課' }] });
    expect(r.failures[0]!.error).toContain('hogo@example');
  });
});
