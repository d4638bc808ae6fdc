/**
 * Japanese national holidays, generated at build time from @holiday-jp/holiday_jp and packed
 * (build/holidays.mjs packHolidays; unpacked by src/domain/holidays.ts).
 */
declare module 'virtual:jp-holidays' {
  export const HOLIDAYS: string;
}
