/** Japanese national holidays (ISO days, space-separated), generated at build time from @holiday-jp/holiday_jp. */
declare module 'virtual:jp-holidays' {
  export const HOLIDAYS: string;
}
