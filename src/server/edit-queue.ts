// Hand edits whose check could not get the script lock in time (another run held it): each is
// remembered with its editor and checked by the next 10-minute run, and the editor is told so.
// The list is best effort (two deferrals at once may race for the property); a lost entry, or a
// list grown too long, makes the next run check every row instead, so no edit goes unchecked.
import { scriptProps } from './context';

const PROP_DEFERRED = 'DEFERRED_EDITS';
const MAX_DEFERRED = 20;

export interface DeferredEdit {
  sheet: string;
  a1: string;
  user: string;
}

export function deferEdit(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  range: GoogleAppsScript.Spreadsheet.Range,
  user: string,
): void {
  const props = scriptProps();
  const list = readDeferred(props.getProperty(PROP_DEFERRED));
  const entry = { sheet: range.getSheet().getName(), a1: range.getA1Notation(), user };
  const next = list === 'all' || list.length >= MAX_DEFERRED ? 'all' : [...list, entry];
  props.setProperty(PROP_DEFERRED, JSON.stringify(next));
  ss.toast(
    '他の処理が実行中のため、この入力は10分以内に確認します。それまで集計には反映されません。',
    '確認待ち',
    10,
  );
}

function readDeferred(text: string | null): DeferredEdit[] | 'all' {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return v === 'all' || Array.isArray(v) ? (v as DeferredEdit[] | 'all') : 'all';
  } catch {
    return 'all';
  }
}

/** Whether edits wait for their check, from the script properties as read (the 10-minute run's idle test). */
export const hasDeferred = (props: Record<string, string>) => !!props[PROP_DEFERRED];

/** The deferred edits, taken off the list (under the script lock); 'all' when some may be lost. */
export function takeDeferred(): DeferredEdit[] | 'all' {
  const props = scriptProps();
  const text = props.getProperty(PROP_DEFERRED);
  if (!text) return [];
  props.deleteProperty(PROP_DEFERRED);
  return readDeferred(text);
}
