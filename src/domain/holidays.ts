const DAY = 86_400_000;

/**
 * The ISO days of a table packed by the build (build/holidays.mjs packHolidays): the first day,
 * a space, then each next day as two base-36 digits of days after the one before.
 */
export function unpackHolidays(packed: string): string[] {
  const [first = '', gaps = ''] = packed.split(' ');
  if (!first) return [];
  const days = [first];
  let t = Date.parse(`${first}T00:00:00Z`);
  for (let i = 0; i < gaps.length; i += 2) {
    t += Number.parseInt(gaps.slice(i, i + 2), 36) * DAY;
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
