// What the runtime keeps beside the workbook (the sidecar JSON): everything Apps Script keeps
// outside the spreadsheet file.

export interface TriggerData {
  id: string;
  handler: string;
  eventType: 'ON_EDIT' | 'ON_CHANGE' | 'ON_OPEN' | 'CLOCK';
  owner: string;
  /** For clock triggers: every N minutes, or daily at an hour. */
  everyMinutes?: number;
  atHour?: number;
  everyDays?: number;
}

export interface MailMessage {
  id: number;
  from: string;
  to: string;
  cc: string;
  bcc: string;
  replyTo: string;
  name: string;
  subject: string;
  body: string;
  htmlBody: string;
  sentAt: string;
  file: string;
}

export interface RuntimeState {
  properties: {
    script: Record<string, string>;
    document: Record<string, string>;
    user: Record<string, Record<string, string>>;
  };
  triggers: TriggerData[];
  nextTriggerId: number;
  mail: { dailyQuota: number; used: Record<string, number> };
  outbox: MailMessage[];
  /** The /exec URL of the one web app deployment (null until deployed). */
  webAppUrl: string | null;
  deployer: string;
}

export const emptyState = (owner: string): RuntimeState => ({
  properties: { script: {}, document: {}, user: {} },
  triggers: [],
  nextTriggerId: 1,
  mail: { dailyQuota: 1500, used: {} },
  outbox: [],
  webAppUrl: 'http://localhost:8787/exec',
  deployer: owner,
});
