// apiStartFiscalYear: the secretariat opens the next 年度 in the same register. One commit: 設定's
// 年度 cell (journaled with the register's cells, put back if the commit is undone), a 変更履歴 row
// for it (設定:年度), and one sealed 継続検討 row per carried-over proposal. Nothing is deleted or
// renumbered; new proposals then take the new year's IDs (R8-…) from 設定's 年度.

import type * as z from 'zod/mini';
import { fiscalYearLabel, fiscalYearOf } from '../domain/dates';
import { CARRY_FIELD, carryOverCandidates, carryValue } from '../domain/fiscal-year';
import { settingField } from '../domain/history-entry';
import { Refused } from '../domain/operations';
import { startFiscalYearSchema } from '../domain/schemas';
import { PROP_FISCAL_CURRENT } from '../sheets/guarded-settings';
import { SHEETS } from '../sheets/layout';
import { theRegister } from '../sheets/register-scope';
import { SETTING_KEYS } from '../sheets/settings';
import { clockFor } from './clock';
import { scriptProps, sidebarCaller } from './context';
import { mutateAs, parseOrRefuse } from './mutate';
import { readSettingRows } from './settings-guard';

/** Where a started 年度's carry-over rows are in 変更履歴: `{from, row, count}` (written at commit). */
export const fiscalStartProp = (fiscalYear: number) => `FISCAL_YEAR_STARTED:${fiscalYear}`;

export interface FiscalStart {
  from: number;
  row: number;
  count: number;
  startedOn: string;
}

export function readFiscalStart(fiscalYear: number): FiscalStart | null {
  try {
    const v = JSON.parse(scriptProps().getProperty(fiscalStartProp(fiscalYear)) ?? '') as FiscalStart;
    return v && typeof v.from === 'number' ? v : null;
  } catch {
    return null;
  }
}

export function startFiscalYearApi(payload: z.input<typeof startFiscalYearSchema>) {
  const email = sidebarCaller();
  const input = parseOrRefuse(startFiscalYearSchema, payload);
  const ss = theRegister();
  return mutateAs(email, 'サイドバー', ({ reg, draft }) => {
    if (draft.actor.role !== '事務局')
      throw new Refused('forbidden', '新しい年度の開始は事務局だけができます。事務局に依頼してください。');
    const current = reg.state.settings.fiscalYear;
    const next = input.fiscalYear;
    const label = fiscalYearLabel(next);
    const refuse = (message: string) => {
      throw new Refused('invalid', message, { fiscalYear: message });
    };
    if (next < current)
      refuse(
        `${label}は過去の年度です(設定の年度は${fiscalYearLabel(current)}です)。開始できるのは${fiscalYearLabel(current + 1)}だけです。`,
      );
    if (next === current || readFiscalStart(next))
      refuse(
        `${label}はすでに始まっています(設定の年度は${fiscalYearLabel(current)}です)。年度は一度だけ開始できます。`,
      );
    if (next !== current + 1)
      refuse(`開始できるのは次の年度(${fiscalYearLabel(current + 1)})だけです。${label}は指定できません。`);
    const today = clockFor(ss).today;
    if (fiscalYearOf(today) + 1 < next)
      refuse(`${label}はまだ開始できません(今日は${fiscalYearLabel(fiscalYearOf(today))}です)。`);

    const read = readSettingRows(ss);
    if (!read)
      refuse('設定シートに「項目」「値」の見出しがありません。メニューの「初期設定」を実行してください。');
    const at = read!.rows.find((r) => r.key === SETTING_KEYS.fiscalYear);
    const row = at?.row ?? read!.sheet.getLastRow() + 1;
    if (!at) draft.settingWrites.push({ row, col: read!.keyCol, old: '', new: SETTING_KEYS.fiscalYear });
    draft.settingWrites.push({ row, col: read!.valueCol, old: at?.value ?? '', new: label });
    draft.log('', '', settingField(SETTING_KEYS.fiscalYear), at?.value ?? '', label, {
      reason: `${label}を開始(事務局)`,
    });

    const carried = carryOverCandidates(draft.state.proposals, draft.state.progress, next);
    const firstRow = ss.getSheetByName(SHEETS.history)!.getLastRow() + 1 + draft.history.length;
    const from = fiscalYearLabel(current);
    for (const { proposal: p, stage } of carried)
      draft.log(p.id, '', CARRY_FIELD, from, carryValue(next), {
        reason: `${from}から継続検討(進捗 ${stage}、判断 ${p.judgment || '未判断'}${p.implementation ? `、実施状況 ${p.implementation}` : ''})`,
      });
    draft.props.set(
      fiscalStartProp(next),
      JSON.stringify({ from: current, row: firstRow, count: carried.length, startedOn: today }),
    );
    draft.props.set(PROP_FISCAL_CURRENT, String(next));
    draft.state.settings = { ...draft.state.settings, fiscalYear: next };
    return {
      fiscalYear: next,
      label,
      fromFiscalYear: current,
      carriedOver: carried.length,
      ids: carried.map((c) => c.proposal.id),
    };
  });
}
