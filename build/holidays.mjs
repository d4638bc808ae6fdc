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

/** esbuild plugin: `import { HOLIDAYS } from 'virtual:jp-holidays'` → the dates as a string. */
export const holidayPlugin = {
  name: 'jp-holidays',
  setup(build) {
    build.onResolve({ filter: /^virtual:jp-holidays$/ }, (args) => ({
      path: args.path,
      namespace: 'jp-holidays',
    }));
    build.onLoad({ filter: /.*/, namespace: 'jp-holidays' }, () => ({
      contents: `export const HOLIDAYS = ${JSON.stringify(holidayDates().join(' '))};`,
      loader: 'js',
    }));
  },
};
