// Japanese national holidays come from @holiday-jp/holiday_jp (maintained, with the cabinet
// office's list). Its full table (1970–2050 with names, ~230 KB) would be parsed by Apps Script
// on every call, so the bundle gets only the dates of the years a register can need.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2050;

export function holidayDates() {
  const { holidays } = require('@holiday-jp/holiday_jp');
  return Object.keys(holidays)
    .filter((d) => Number(d.slice(0, 4)) >= FIRST_YEAR && Number(d.slice(0, 4)) <= LAST_YEAR)
    .sort();
}

const DAY = 86_400_000;

/**
 * The dates packed for the bundle (src/domain/holidays.ts unpacks them): the first date, a space,
 * then each next date as the days since the one before in two base-36 digits. 1.3 KB where the
 * dates written out took 7 KB of Code.js.
 */
export function packHolidays(dates) {
  let gaps = '';
  for (let i = 1; i < dates.length; i++) {
    const gap = (Date.parse(dates[i]) - Date.parse(dates[i - 1])) / DAY;
    if (!(gap > 0 && gap < 36 * 36)) throw new Error(`holidays: cannot pack a gap of ${gap} days`);
    gaps += gap.toString(36).padStart(2, '0');
  }
  return `${dates[0]} ${gaps}`;
}

/** esbuild plugin: `import { HOLIDAYS } from 'virtual:jp-holidays'` → the dates, packed. */
export const holidayPlugin = {
  name: 'jp-holidays',
  setup(build) {
    build.onResolve({ filter: /^virtual:jp-holidays$/ }, (args) => ({
      path: args.path,
      namespace: 'jp-holidays',
    }));
    build.onLoad({ filter: /.*/, namespace: 'jp-holidays' }, () => ({
      contents: `export const HOLIDAYS = ${JSON.stringify(packHolidays(holidayDates()))};`,
      loader: 'js',
    }));
  },
};
