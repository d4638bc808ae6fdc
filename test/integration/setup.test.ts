// 初期設定 in the real bundle: what it creates, and that running it again changes nothing.
import { describe, expect, it } from 'vitest';
import { typeInto } from '../../local/runtime/people';
import {
  CLOCK_HANDLERS,
  newRuntime,
  OWNER,
  PT,
  records,
  registerProps,
  secretOf,
  setUp,
  sheetValues,
} from '../helpers';

const SHEETS = [
  '集計',
  '課題一覧',
  '所管課別進捗',
  '協議記録',
  '所管課',
  '変更履歴',
  '送信記録',
  '設定',
  '台帳状態',
];

describe('setup (menu 初期設定)', () => {
  it('creates every sheet with Japanese headers, frozen header rows, dropdowns, date formats and warning-only protections', () => {
    const rt = newRuntime();
    expect(setUp(rt)?.message).toMatch(/初期設定を行いました/);
    expect(rt.workbook.sheets.map((s) => s.name).sort()).toEqual([...SHEETS].sort());
    // The add-on's own store of accepted state is out of sight and warns whoever edits it.
    expect(rt.workbook.sheet('台帳状態')!.hidden).toBe(true);
    expect(rt.workbook.sheet('台帳状態')!.protections[0]).toMatchObject({ warningOnly: true });
    const progress = rt.workbook.sheet('所管課別進捗')!;
    expect(sheetValues(rt, '所管課別進捗')[0]!.slice(0, 4)).toEqual(['ID', '所管課', '段階', '提示日']);
    expect(progress.frozenRows).toBe(1);
    expect(progress.cell(1, 2)!.validation).toMatchObject({
      type: 'VALUE_IN_LIST',
      values: ['未提示', '①', '②', '④', '所管外'],
    });
    expect(progress.cell(5, 3)!.fmt).toBe('yyyy-mm-dd');
    for (const name of ['変更履歴', '送信記録', '集計']) {
      expect(rt.workbook.sheet(name)!.protections).toMatchObject([{ range: null, warningOnly: true }]);
    }
    const settings = Object.fromEntries(records(rt, '設定').map((r) => [r.項目, r.値]));
    expect(settings).toMatchObject({
      プロジェクト名: 'プラチナ市役所プロジェクト',
      年度: '令和7年度',
      事務局: OWNER,
    });
    // Bound: the 10-minute and the 9:00 triggers; add-on: the one hourly trigger.
    expect(rt.triggersHere().map((t) => [t.handler, t.eventType, t.owner])).toEqual([
      ['onEditInstalled', 'ON_EDIT', OWNER],
      ['onChangeInstalled', 'ON_CHANGE', OWNER],
      ...CLOCK_HANDLERS.map((h) => [h, 'CLOCK', OWNER]),
    ]);
    expect(registerProps(rt).OWNER).toBe(OWNER);
    expect(secretOf(rt)).toMatch(/^[0-9a-f-]{72}$/);
  });

  it('running it again changes nothing, and a second person cannot double the triggers', () => {
    const rt = newRuntime();
    setUp(rt);
    const snapshot = (x = rt) =>
      JSON.stringify({
        sheets: x.workbook.sheets.filter((s) => s.name !== '集計'),
        triggers: x.state.triggers,
        p: registerProps(x).OWNER,
      });
    const before = snapshot();
    expect(setUp(rt)?.message).toBe('初期設定は済んでいます。変更はありません。');
    expect(snapshot()).toBe(before);
    expect(setUp(rt, PT)?.message).toBe(`初期設定は済んでいます。トリガーの所有者は ${OWNER} です。`);
    expect(rt.triggersHere()).toHaveLength(2 + CLOCK_HANDLERS.length);
    expect(snapshot()).toBe(before);
  });

  it('on a sheet whose columns people reordered and extended, finds columns by header and keeps every value', () => {
    const rt = newRuntime();
    setUp(rt);
    const sheet = rt.workbook.sheet('所管課')!;
    // Swap two columns by hand and add one of our own, with values.
    typeInto(rt, '所管課!A1', [['メールアドレス', '略称', '所管課', '有効', '担当者メモ']], { user: OWNER });
    typeInto(rt, '所管課!A2', [['kouhou@example.jp', '広報', '広報室', 'TRUE', '内線1234']], { user: OWNER });
    // 有効 gone entirely (a retyped header is put back at once, so as an older copy of the sheet
    // would have it): setup must add it back at the right, leaving the rest.
    sheet.cells[0]![3] = { v: '' };
    setUp(rt);
    expect(sheetValues(rt, '所管課')[0]).toEqual([
      'メールアドレス',
      '略称',
      '所管課',
      '',
      '担当者メモ',
      '有効',
    ]);
    expect(sheetValues(rt, '所管課')[1]!.slice(0, 5)).toEqual([
      'kouhou@example.jp',
      '広報',
      '広報室',
      'TRUE',
      '内線1234',
    ]);
    expect(sheet.frozenRows).toBe(1);
  });
});
