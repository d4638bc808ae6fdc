// The sheet cannot change the register behind the add-on's back: row identity, its own sheets,
// sealed history and accepted state, whole saves. Each case is tried as a careless or a hostile
// editor would, on the bundle in the offline runtime.
import { describe, expect, it } from 'vitest';
import { changeRows, typeInto } from '../../local/runtime/people';
import type { Runtime } from '../../local/runtime/runtime';
import { columnLetters } from '../../local/runtime/spreadsheet';
import { displayValue } from '../../local/runtime/values';
import { sha256Hex } from '../../src/domain/hash';
import {
  call,
  cellRef,
  daily as dailyRun,
  edit,
  OWNER,
  ok,
  PT,
  type Result,
  records,
  sampleRuntime,
} from '../helpers';

const noteAt = (rt: Runtime, ref: string) => {
  const [sheet, a1] = ref.split('!') as [string, string];
  const m = /^([A-Z]+)(\d+)$/.exec(a1)!;
  const col = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return rt.workbook.sheet(sheet)!.cell(Number(m[2]) - 1, col - 1)?.note ?? '';
};
const byId = (rt: Runtime) => new Map(records(rt, '課題一覧').map((p) => [p.ID!, p]));
const progressKeyed = (rt: Runtime) =>
  new Map(records(rt, '所管課別進捗').map((r) => [`${r.ID} ${r.所管課}`, r]));
const summaryNumbers = (rt: Runtime) => {
  const r = call<{ progress: unknown; departments?: unknown }>(rt, 'apiRebuildSummary', {}, OWNER);
  return ok(r).progress;
};
const daily = (rt: Runtime) => dailyRun(rt);

describe('row identity in 課題一覧', () => {
  it('puts back two IDs pasted over each other: no record moves to another ID', () => {
    const rt = sampleRuntime();
    const before = byId(rt);
    const a2 = cellRef(rt, '課題一覧', 'ID', 'R7-U01');
    expect(a2).toBe('課題一覧!A2');
    typeInto(rt, a2, [['R7-U02'], ['R7-U01']], { user: PT });
    expect(byId(rt)).toEqual(before);
    expect(noteAt(rt, '課題一覧!A2')).toContain('IDは変更できません');
    expect(records(rt, '変更履歴').filter((h) => h.経路 === '直接編集' && h.ID?.startsWith('R7-U0'))).toEqual(
      [],
    );
    expect(rt.state.outbox.map((m) => m.subject)).toEqual(['【プラチナ提案台帳】台帳の行を元に戻しました']);
    expect(rt.state.outbox[0]!.body).toContain('R7-U02');
  });

  it('puts back an ID column sorted on its own, a filled-down ID and a typed ID', () => {
    const rt = sampleRuntime();
    const before = byId(rt);
    const titles = records(rt, '課題一覧').map((p) => p['課題(提案)名']);
    // The ID column alone sorted (descending), as sorting a selected range of one column does.
    const sheet = rt.workbook.sheet('課題一覧')!;
    const ids = Array.from({ length: sheet.lastRow() - 1 }, (_, r) => sheet.cell(r + 1, 0)).reverse();
    ids.forEach((cell, r) => {
      sheet.cells[r + 1]![0] = cell;
    });
    rt.fireTrigger('onChangeInstalled', { changeType: 'OTHER' });
    expect(byId(rt)).toEqual(before);
    typeInto(rt, '課題一覧!A5', [['R7-U03'], ['R7-U03'], ['R7-U03']], { user: PT });
    edit(rt, cellRef(rt, '課題一覧', 'ID', 'R7-S02'), 'R7-S2');
    expect(byId(rt)).toEqual(before);
    expect(records(rt, '課題一覧').map((p) => p['課題(提案)名'])).toEqual(titles);
  });

  it('clears a duplicated row and a row with an unknown ID, keeping what they held in a note; the summary does not count them', () => {
    const rt = sampleRuntime();
    const counted = summaryNumbers(rt);
    const last = rt.workbook.sheet('課題一覧')!.lastRow();
    const copy = records(rt, '課題一覧').find((p) => p.ID === 'R7-U05')!;
    typeInto(rt, `課題一覧!A${last + 1}`, [Object.values(copy).slice(0, 15)], { user: PT });
    typeInto(rt, `課題一覧!A${last + 2}`, [['R7-U99', 'R7', 'ユーザーの困りごと', '手で足した']], {
      user: PT,
    });
    expect(records(rt, '課題一覧').filter((p) => p.ID === 'R7-U05')).toHaveLength(1);
    expect(records(rt, '課題一覧').some((p) => p.ID === 'R7-U99')).toBe(false);
    expect(noteAt(rt, `課題一覧!A${last + 2}`)).toContain('手で足した');
    expect(summaryNumbers(rt)).toEqual(counted);
  });

  it('restores a deleted proposal row and keeps finding rows by ID afterwards', () => {
    const rt = sampleRuntime();
    const before = byId(rt);
    changeRows(rt, '課題一覧', 5, 7, 'REMOVE_ROW', { user: PT });
    expect(byId(rt)).toEqual(before);
  });
});

describe('row identity in 所管課別進捗', () => {
  it('puts back 所管課 cells swapped between two rows of one proposal', () => {
    const rt = sampleRuntime();
    const before = progressKeyed(rt);
    const ref = cellRef(rt, '所管課別進捗', '所管課', 'R7-U01', '広報室');
    typeInto(rt, ref, [['情報政策課'], ['広報室']], { user: PT });
    expect(progressKeyed(rt)).toEqual(before);
    expect(noteAt(rt, ref)).toContain('ID・所管課は変更できません');
  });

  it('clears a duplicate (ID, 所管課) row and a row for an unknown department, and restores a deleted one', () => {
    const rt = sampleRuntime();
    const before = progressKeyed(rt);
    const counted = summaryNumbers(rt);
    const last = rt.workbook.sheet('所管課別進捗')!.lastRow();
    typeInto(rt, `所管課別進捗!A${last + 1}`, [['R7-U03', '保護課', '②']], { user: PT });
    typeInto(rt, `所管課別進捗!A${last + 2}`, [['R7-U03', '架空課', '②']], { user: PT });
    expect(progressKeyed(rt)).toEqual(before);
    changeRows(rt, '所管課別進捗', 2, 2, 'REMOVE_ROW', { user: PT });
    expect(progressKeyed(rt)).toEqual(before);
    expect(summaryNumbers(rt)).toEqual(counted);
  });
});

describe('変更履歴 and 台帳状態 are the add-on’s', () => {
  const setHistoryCell = (rt: Runtime, row: number, col: number, v: string) => {
    rt.workbook.sheet('変更履歴')!.cells[row - 1]![col - 1] = { v };
  };

  it('puts back a typed cell of 変更履歴 and rebuilds an edited 集計; a pasted block is reported', () => {
    const rt = sampleRuntime();
    const was = displayValue(rt.workbook.sheet('変更履歴')!.cell(4, 8));
    edit(rt, '変更履歴!I5', '書き換え');
    expect(displayValue(rt.workbook.sheet('変更履歴')!.cell(4, 8))).toBe(was);
    expect(noteAt(rt, '変更履歴!I5')).toContain('元に戻しました');
    const title = displayValue(rt.workbook.sheet('集計')!.cell(0, 0));
    edit(rt, '集計!A1', '落書き');
    expect(displayValue(rt.workbook.sheet('集計')!.cell(0, 0))).toBe(title);
    typeInto(rt, '変更履歴!I6', [['a'], ['b']], { user: PT });
    expect(rt.state.outbox.map((m) => m.body).join('\n')).toContain('変更履歴 I6:I7');
    daily(rt);
    expect(rt.state.outbox.at(-1)!.body).toContain('6・7行目');
  });

  it('reports rows deleted from the end of 変更履歴, once', () => {
    const rt = sampleRuntime();
    daily(rt);
    expect(rt.state.outbox).toEqual([]);
    const sheet = rt.workbook.sheet('変更履歴')!;
    sheet.cells.length = sheet.lastRow() - 3;
    // The next days' checks (an add-on does the daily work once a day).
    rt.advance(86_400_000);
    daily(rt);
    rt.advance(86_400_000);
    daily(rt);
    expect(rt.state.outbox.map((m) => m.subject)).toEqual([
      '【プラチナ提案台帳】変更履歴の改ざん・削除の可能性',
    ]);
    expect(rt.state.outbox[0]!.body).toContain('3行少なく');
  });

  it('a row appended with a hash recomputed by the public formula is reported and never obeyed', () => {
    const rt = sampleRuntime();
    const sheet = rt.workbook.sheet('変更履歴')!;
    const last = sheet.lastRow();
    const prev = displayValue(sheet.cell(last - 1, 10));
    // A forged correction: 広報室 on R7-U01 "back at ①", hashed as the old public chain did.
    const forged = [
      '2025-11-25 10:00:00',
      '2025-11-25',
      OWNER,
      'サイドバー',
      'R7-U01',
      '広報室',
      '段階',
      '②',
      '①',
      '訂正',
    ];
    const hash = sha256Hex([prev, ...forged].join('\u0001')).slice(0, 32);
    forged.concat(hash).forEach((v, c) => setHistoryCell(rt, last + 1, c + 1, v));
    // A PT member then types ① by hand, as if the forged row had made it the accepted stage.
    const stage = cellRef(rt, '所管課別進捗', '段階', 'R7-U01', '広報室');
    edit(rt, stage, '①');
    expect(progressKeyed(rt).get('R7-U01 広報室')!.段階).toBe('②');
    daily(rt);
    expect(rt.state.outbox.map((m) => m.subject)).toContain(
      '【プラチナ提案台帳】変更履歴の改ざん・削除の可能性',
    );
  });

  it('an edited row of the accepted-state store is not used: it is rebuilt from sealed history and reported', () => {
    const rt = sampleRuntime();
    const store = rt.workbook.sheet('台帳状態')!;
    // Find R7-U01's 広報室 row and make its stage ①, so a PT member's backward move would pass.
    let row = -1;
    for (let r = 1; r < store.lastRow(); r++)
      if (displayValue(store.cell(r, 1)) === 'R7-U01' && displayValue(store.cell(r, 2)) === '広報室') row = r;
    expect(row).toBeGreaterThan(0);
    store.cells[row]![3] = { v: '①' };
    edit(rt, cellRef(rt, '所管課別進捗', '段階', 'R7-U01', '広報室'), '①');
    expect(progressKeyed(rt).get('R7-U01 広報室')!.段階).toBe('②');
    expect(rt.state.outbox.map((m) => m.body).join('\n')).toContain('台帳状態シートが手で変更されています');
  });
});

describe('a save is whole or nothing', () => {
  it('refuses a 50,000-character text before writing anything, naming the field; no ID is burned', () => {
    const rt = sampleRuntime();
    const before = records(rt, '課題一覧').length;
    const history = records(rt, '変更履歴').length;
    // Stored with the apostrophe that keeps a leading '=' from becoming a formula: 50,001.
    const long = `=${'あ'.repeat(49_999)}`;
    const r = call(rt, 'apiCreateProposal', {
      kind: 'ユーザーの困りごと',
      painPoint: '長い',
      category: '公共の場等',
      title: '長い解決策',
      solution: long,
      departments: [],
    }) as Result;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('解決策');
    expect(records(rt, '課題一覧')).toHaveLength(before);
    expect(records(rt, '変更履歴')).toHaveLength(history);
    const created = ok(
      call<{ proposal: { id: string } }>(rt, 'apiCreateProposal', {
        kind: 'ユーザーの困りごと',
        painPoint: '短い',
        category: '公共の場等',
        title: '短い解決策',
        departments: [],
      }),
    );
    expect(created.proposal.id).toBe('R7-U18');
  });
});

describe('設定: who may do what, and where answer links point', () => {
  const settingRef = (rt: Runtime, key: string) => {
    const rows = records(rt, '設定');
    const i = rows.findIndex((r) => r.項目 === key);
    const header = Object.keys(rows[0]!);
    return `設定!${columnLetters(header.indexOf('値') + 1)}${i + 2}`;
  };

  it('a PT member typing themself into 事務局, or another answer page URL, is put back and reported', () => {
    const rt = sampleRuntime();
    edit(rt, settingRef(rt, '事務局'), `${OWNER}、${PT}`, PT);
    edit(rt, settingRef(rt, '回答ページURL'), 'https://evil.example/answer', PT);
    expect(records(rt, '設定').find((r) => r.項目 === '事務局')!.値).toBe(OWNER);
    expect(records(rt, '設定').find((r) => r.項目 === '回答ページURL')!.値).not.toContain('evil');
    expect(noteAt(rt, settingRef(rt, '事務局'))).toContain('事務局だけが変更できます');
    expect(rt.state.outbox.map((m) => m.body).join('\n')).toContain(`${PT} が`);
    // Still a PT member: a correction (事務局 only) is refused.
    const v = ok(call<{ version: string }>(rt, 'apiGetProposal', { id: 'R7-U01' })).version;
    const r = call(rt, 'apiSetDepartmentStage', {
      id: 'R7-U01',
      version: v,
      department: '広報室',
      stage: '①',
      reason: '誤り',
      effectiveDate: '2025-11-25',
    }) as Result;
    expect(r).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('a row pasted over by an outsider cannot make them PT; the secretariat adding a PT member is accepted with history', () => {
    const rt = sampleRuntime();
    const newcomer = 'pt.sato@example.jp';
    edit(rt, settingRef(rt, 'PTメンバー'), newcomer, 'someone@example.jp');
    expect((call(rt, 'apiSearch', { query: '' }, newcomer) as Result).ok).toBe(false);
    const members = records(rt, '設定').find((r) => r.項目 === 'PTメンバー')!.値!;
    edit(rt, settingRef(rt, 'PTメンバー'), `${members}、${newcomer}`, OWNER);
    expect((call(rt, 'apiSearch', { query: '' }, newcomer) as Result).ok).toBe(true);
    expect(records(rt, '変更履歴').find((h) => h.項目 === '設定:PTメンバー')).toMatchObject({
      利用者: OWNER,
    });
  });
});

describe('headers the add-on finds columns by', () => {
  it('a retyped header is put back; a header row pasted over is reported, and the daily check says so until fixed', () => {
    const rt = sampleRuntime();
    edit(rt, '課題一覧!G1', '件名', PT);
    expect(displayValue(rt.workbook.sheet('課題一覧')!.cell(0, 6))).toBe('課題(提案)名');
    typeInto(rt, '所管課別進捗!B1', [['部署', '状態']], { user: PT });
    expect(rt.state.outbox.map((m) => m.body).join('\n')).toContain('列「所管課」「段階」が見つかりません');
    const before = rt.state.outbox.length;
    daily(rt);
    expect(
      rt.state.outbox
        .slice(before)
        .map((m) => m.body)
        .join('\n'),
    ).toContain('所管課別進捗');
  });
});

describe('a key pasted over another department’s row', () => {
  it('makes a new department that starts empty: nothing of the old row is carried over without history', () => {
    const rt = sampleRuntime();
    const before = records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U01' && r.所管課 === '情報政策課')!;
    const ref = cellRef(rt, '所管課別進捗', '所管課', 'R7-U01', '情報政策課');
    // 所管課 and 段階 pasted together (a different stage, so the row is no longer 情報政策課's by its
    // fields): it now says (R7-U01, 保護課, ②) but still holds 提示日 2025-09-04.
    typeInto(rt, ref, [['保護課', '②']], { user: PT });
    const added = records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U01' && r.所管課 === '保護課')!;
    expect(added).toMatchObject({ 段階: '未提示', 提示日: '' });
    expect(records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U01' && r.所管課 === '情報政策課')).toEqual(
      before,
    );
    expect(
      records(rt, '変更履歴')
        .filter((h) => h.ID === 'R7-U01' && h.所管課 === '保護課')
        .map((h) => h.項目),
    ).toEqual(['所管課追加']);
  });
});
