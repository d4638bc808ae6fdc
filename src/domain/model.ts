// The register's records as the domain sees them: plain data read from the sheets by header.
import type { DeptState, Judgment, Kind, Role } from './labels';

export interface Proposal {
  id: string;
  fiscalYear: number;
  kind: Kind;
  painPoint: string;
  perspective: string;
  category: string;
  title: string;
  solution: string;
  ptMembers: string;
  ptContact: string;
  judgment: Judgment | '';
  judgmentDate: string;
  endReason: string;
  implementation: string;
  notes: string;
}

/** The columns of 課題一覧 people may edit through the sidebar's ordinary edit form. */
export const EDITABLE_FIELDS = [
  'painPoint',
  'perspective',
  'category',
  'title',
  'solution',
  'ptMembers',
  'ptContact',
  'implementation',
  'notes',
] as const satisfies readonly (keyof Proposal)[];
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** One department's standing on one proposal (所管課別進捗). */
export interface Progress {
  id: string;
  department: string;
  stage: DeptState;
  presentedOn: string;
  consultedOn: string;
  doneOn: string;
  removalReason: string;
  requestState: string;
  answerKind: string;
  answerComment: string;
  answeredBy: string;
  answeredOn: string;
  proposedDate: string;
}

export interface Consultation {
  recordId: string;
  id: string;
  department: string;
  date: string;
  attendees: string;
  summary: string;
  nextSteps: string;
  recordedBy: string;
  recordedAt: string;
}

export interface Department {
  name: string;
  shortName: string;
  emails: string;
  active: boolean;
}

export interface Settings {
  projectName: string;
  fiscalYear: number;
  reminderDays: number;
  /** Working days past 回答期限 after which the secretariat is told (again at each multiple). */
  escalationDays: number;
  answerDays: number;
  digest: boolean;
  secretariat: string[];
  pt: string[];
  ptContact: string;
  webAppUrl: string;
  lists: {
    perspectives: string[];
    userCategories: string[];
    staffCategories: string[];
    endReasons: string[];
    implementation: string[];
  };
}

export interface RegisterState {
  settings: Settings;
  proposals: Proposal[];
  progress: Progress[];
  consultations: Consultation[];
  departments: Department[];
}

/** Who makes a change, from where, and the day it happened (効力日) versus when it is written. */
export interface Actor {
  email: string;
  role: Role | null;
  path: import('./labels').ChangePath;
  /** 記録日時, ISO with time, in the spreadsheet's zone. */
  recordedAt: string;
  /** Today in the spreadsheet's zone (default 効力日). */
  today: string;
}
