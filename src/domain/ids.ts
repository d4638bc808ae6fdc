// Proposal IDs: stable, per 年度 and kind (R7-U01, R7-S01), never reused.
import { shortFiscalYear } from './dates';
import { KIND_CODE, type Kind } from './labels';

export const idPrefix = (fiscalYear: number, kind: Kind) =>
  `${shortFiscalYear(fiscalYear)}-${KIND_CODE[kind]}`;

export const idNumber = (id: string): number => Number(/(\d+)$/.exec(id)?.[1] ?? 0);

/**
 * The next ID after every one ever issued: those in the register and the highest recorded
 * (`issued`, kept outside the sheet so a deleted row's ID is not handed out again).
 */
export function nextId(
  prefix: string,
  existing: readonly string[],
  issued: number,
): { id: string; number: number } {
  const max = existing
    .filter((id) => id.startsWith(prefix))
    .reduce((m, id) => Math.max(m, idNumber(id)), issued);
  const number = max + 1;
  return { id: `${prefix}${String(number).padStart(2, '0')}`, number };
}
