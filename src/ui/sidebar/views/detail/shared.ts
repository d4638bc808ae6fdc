// What the detail view's sections share: the view's data, how a section saves, and the move
// selects' helpers (a move's value carries its transition's kind).
import type { DataOf, Result } from '../../../client';
import type { App } from '../../app';

export type Detail = DataOf<'apiGetProposal'>;

/** Sends a change with the version the person saw; resolves with the refusal to show, if any. */
export type Save = (
  send: (version: string) => Promise<Result<Detail>>,
  done: string,
) => Promise<Result<Detail>>;

export interface Section {
  app: App;
  d: Detail;
  save: Save;
}

/** A refusal's fields named as the form names them (the server's `stage` is the form's `move`). */
export async function asFormFields<T>(
  pending: Promise<Result<T>>,
  names: Record<string, string>,
): Promise<Result<T>> {
  const res = await pending;
  if (res.ok) return res;
  const fieldErrors = Object.fromEntries(Object.entries(res.fieldErrors).map(([k, v]) => [names[k] ?? k, v]));
  return { ...res, fieldErrors };
}

const STAGE_LABEL: Record<string, string> = {
  未提示: '未提示に戻す',
  '①': '① 提示した',
  '②': '② 協議した',
  '④': '④ 対応済',
  所管外: '所管外として外す',
  検討継続: '検討継続',
  検討終了: '検討終了',
  '': '判断を取り消す',
};

/** A move's options: the value carries the transition's kind (a correction or removal needs a reason). */
export function moveOptions(choices: { to: string; kind: string }[]) {
  return [
    { value: '', label: '選んでください' },
    ...choices.map((c) => ({
      value: `${c.kind}:${c.to}`,
      label: `${STAGE_LABEL[c.to] ?? c.to}${c.kind === 'correction' ? '(訂正)' : ''}`,
    })),
  ];
}

export const moveOf = (v: Record<string, string | string[]>) => {
  const [kind = '', to = ''] = String(v.move ?? '').split(':');
  return { kind, to };
};

export const needsReason = (v: Record<string, string | string[]>) =>
  ['correction', 'removal'].includes(moveOf(v).kind);

/** 設定's list, plus the value the proposal has if 設定 no longer lists it (so a save keeps it). */
export const withCurrent = (options: string[], current: string) =>
  current && !options.includes(current) ? [...options, current] : options;
