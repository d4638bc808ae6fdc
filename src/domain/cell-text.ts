// How a text is stored in a cell: what the adapter adds to keep it text, and how long it may be.
// Pure, so that validation (schemas, import) counts exactly what the adapter will write.

/** A Sheets cell holds at most 50,000 characters; writing more throws in the middle of a save. */
export const MAX_CELL_CHARS = 50_000;

/**
 * Whether Sheets would read `s` as something other than this text (a formula, a number, a date,
 * a boolean): such text is written behind a leading apostrophe (asText in src/sheets/cells.ts).
 * (\s is the whitespace trim() removes: no trimmed copy of every string written.)
 */
export function needsTextMarker(s: string): boolean {
  return s !== '' && (/^[=+\-@']/.test(s) || /^[\d\s.,:/%¥$-]+$/.test(s) || /^\s*(true|false)\s*$/i.test(s));
}

/** The characters a text takes in its cell, the apostrophe asText may add included. */
export const storedLength = (s: string): number => s.length + (needsTextMarker(s) ? 1 : 0);

/** Whether a text fits in one cell as the add-on writes it. */
export const fitsInCell = (s: string): boolean => storedLength(s) <= MAX_CELL_CHARS;
