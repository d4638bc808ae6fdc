// A hand edit made while a save holds the script lock: its onEdit is its own execution whose
// tryLock(20000) waits while the save goes on (APPS-SCRIPT-SEMANTICS.md §3, §15; issue #16).
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { columnLetters } from '../../local/runtime/spreadsheet';
import { displayValue } from '../../local/runtime/values';
import { call, edit, OWNER, ok, records, sampleRuntime, tick } from '../helpers';

function stageCell(rt: Runtime, id: string, department: string) {
  const model = rt.workbook.sheet('所管課別進捗')!;
  const heads = Array.from({ length: model.lastColumn() }, (_, c) => displayValue(model.cell(0, c)));
  const col = heads.indexOf('段階');
  for (let r = 1; r < model.lastRow(); r++) {
    if (
      displayValue(model.cell(r, heads.indexOf('ID'))) === id &&
      displayValue(model.cell(r, heads.indexOf('所管課'))) === department
    )
      return { ref: `所管課別進捗!${columnLetters(col + 1)}${r + 1}`, cell: () => model.cell(r, col)! };
  }
  throw new Error(`no row ${id} ${department}`);
}

/** A sidebar save of R7-U10's 備考, started and run up to its first write (it holds the lock there). */
function saveHeldAtWrite(rt: Runtime) {
  const version = ok(call<{ version: string }>(rt, 'apiGetProposal', { id: 'R7-U10' })).version;
  const save = rt.start('apiUpdateProposal', { mode: 'script', activeUser: OWNER }, () => [
    { id: 'R7-U10', version, fields: { notes: '保存中' } },
  ]);
  rt.runUntil(save, 'Range.setValues');
  expect(save.done).toBe(false);
  return save;
}

describe('a hand edit during a save', () => {
  it('when the save lets go within 20 s, the edit’s trigger waits, gets the lock and puts a backward stage back', () => {
    const rt = sampleRuntime();
    const stage = stageCell(rt, 'R7-U01', '広報室');
    const save = saveHeldAtWrite(rt);
    edit(rt, stage.ref, '①');
    // The edit's triggers ran to their end, the save going on meanwhile (it was waiting at a call).
    expect(save.done).toBe(true);
    expect(rt.result(save)).toMatchObject({ ok: true });
    const onEdit = rt.executions.find((r) => r.fn === 'onEditInstalled')!;
    expect(onEdit.outcome).toBe('ok');
    // They overlapped: onEdit started before the save ended, and ended after it.
    const end = (r: typeof onEdit) => Date.parse(r.startedAt) + r.estimatedMs;
    expect(Date.parse(onEdit.startedAt)).toBeLessThan(end(save.report));
    expect(end(onEdit)).toBeGreaterThan(end(save.report));
    expect(stage.cell()).toMatchObject({
      v: '②',
      note: expect.stringContaining('事務局がサイドバーから理由を付けて'),
    });
    expect(records(rt, '課題一覧').find((r) => r.ID === 'R7-U10')!.備考).toBe('保存中');
  });

  // ADD-ON FINDING (issue #16, first bullet), kept as an expected failure until src/ changes: when
  // the save keeps the lock longer than 20 s (here its write takes 30 s), onEdit's tryLock(20000)
  // fails and the refusal is uncaught; the backward ① stays in the sheet with no note and no
  // history, and the 10-minute trigger does not check it either.
  it('when the save keeps the lock past 20 s, the edit is not lost: the editor is told, a later run checks it', () => {
    const rt = sampleRuntime();
    const stage = stageCell(rt, 'R7-U01', '広報室');
    const version = ok(call<{ version: string }>(rt, 'apiGetProposal', { id: 'R7-U10' })).version;
    rt.interleave('Range.setValues', () => {
      rt.advance(30_000);
      edit(rt, stage.ref, '①');
    });
    ok(call(rt, 'apiUpdateProposal', { id: 'R7-U10', version, fields: { notes: '保存中' } }));
    expect(rt.executions.find((r) => r.fn === 'onEditInstalled')).toMatchObject({ outcome: 'ok' });
    expect(rt.uiLog.find((u) => u.kind === 'toast' && u.title === '確認待ち')).toBeTruthy();
    expect(stage.cell().v).toBe('①');
    rt.advance(10 * 60_000);
    tick(rt);
    expect(stage.cell().v).toBe('②');
    expect(stage.cell().note).toContain('事務局がサイドバーから理由を付けて');
  });
});
