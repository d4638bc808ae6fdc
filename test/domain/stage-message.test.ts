// A refused stage lists what the cell accepts from where it stands.
import { describe, expect, it } from 'vitest';
import { checkDeptMove } from '../../src/domain/transitions';

describe('a refused stage move', () => {
  it('names the values accepted from the current stage', () => {
    const typed2 = checkDeptMove('①', '2' as never, { role: 'PT', reason: '' });
    expect(typed2).toEqual({
      ok: false,
      message:
        '段階に「2」は入力できません(段階は 未提示・①・②・④ のいずれかです)。「①」から入力できるのは 「②」・「④」 です。',
    });
    const back = checkDeptMove('未提示', '②', { role: 'PT', reason: '' });
    expect(back).toMatchObject({
      ok: false,
      message: expect.stringContaining('「未提示」から入力できるのは 「①」 です。'),
    });
  });
});
