export declare const FIRST_YEAR: number;
export declare const LAST_YEAR: number;
export declare function holidayDates(): string[];
export declare function packHolidays(dates: readonly string[]): string;
export declare const holidayPlugin: unknown;
