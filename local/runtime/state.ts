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
  /** The spreadsheet it was created in (an add-on's triggers belong to one document: T1, T6). */
  document?: string;
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
  /** 'addon' when set up as the Editor add-on (a workbook keeps the mode it was set up in). */
  mode?: 'bound' | 'addon';
  /** Add-on mode: the documents where the add-on is enabled (a menu item has run there, AUTH A7). */
  enabledIn?: string[];
  /** Add-on mode: document properties, per document (PROPG: "all users of an add-on in the open document"). */
  documentProperties?: Record<string, Record<string, string>>;
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
