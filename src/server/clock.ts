// "Now" in the spreadsheet's zone: today (the default 効力日) and the 記録日時 of history rows.
export interface Clock {
  today: string;
  recordedAt: string;
}

export function clockFor(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): Clock {
  const tz = ss.getSpreadsheetTimeZone();
  const recordedAt = Utilities.formatDate(new Date(), tz, 'yyyy-MM-dd HH:mm:ss');
  return { today: recordedAt.slice(0, 10), recordedAt };
}
