// The add-on's whole public surface: every function Apps Script must see as a global (triggers,
// menu items, doGet/doPost, google.script.run targets) is exported here and nowhere else.
// The build turns each export into a top-level declaration. Nothing here runs at load time.

import { submitAnswer } from './server/answers';
import { startFiscalYearApi } from './server/fiscal-year';
import { importCsv } from './server/import-api';
import { submitProgressAnswer } from './server/progress-checks';
import {
  addDepartmentApi,
  createProposalApi,
  getProposal,
  getSettingsApi,
  proposalHistory,
  recordConsultationApi,
  recordJudgmentApi,
  searchProposals,
  setDepartmentStageApi,
  similarApi,
  updateProposalApi,
} from './server/proposals-api';
import { publishReportApi } from './server/publish';
import { withRegisterOfLink } from './server/registers';
import { mailQueueApi, presentApi, previewRequestsApi, resolveMailApi } from './server/requests-api';
import { toResult } from './server/result';
import { rebuildSummaryApi, refreshSummaryApi } from './server/summary-refresh';

export { onChangeInstalled } from './server/changes';
export { onDailyNine } from './server/daily';
export { onEditInstalled } from './server/hand-edits';
export { onHourly } from './server/hourly';
export { menuImport, menuOpenSidebar, menuRebuildSummary, menuSetup, onInstall, onOpen } from './server/menu';
export { onTenMinutes } from './server/triggers';
export { doGet } from './server/web';

/**
 * What a target takes: the input type of the zod schema its server function parses, so a wrong
 * payload from a page fails the typecheck. The server still parses whatever really arrives.
 */
type In<F extends (payload: never) => unknown> = Parameters<F>[0];

// google.script.run targets (the sidebar). Each returns a Result: data, or a refusal to show.
export const apiSettings = () => toResult(getSettingsApi);
export const apiSearch = (payload?: In<typeof searchProposals>) => toResult(() => searchProposals(payload));
export const apiGetProposal = (payload: In<typeof getProposal>) => toResult(() => getProposal(payload));
/** A proposal's 変更履歴, read when a person opens that part of the sidebar. */
export const apiProposalHistory = (payload: In<typeof proposalHistory>) =>
  toResult(() => proposalHistory(payload));
export const apiCreateProposal = (payload: In<typeof createProposalApi>) =>
  toResult(() => createProposalApi(payload));
export const apiUpdateProposal = (payload: In<typeof updateProposalApi>) =>
  toResult(() => updateProposalApi(payload));
export const apiAddDepartment = (payload: In<typeof addDepartmentApi>) =>
  toResult(() => addDepartmentApi(payload));
/** Every stage move, forward, back (a correction: 事務局, with a reason) or 所管外. */
export const apiSetDepartmentStage = (payload: In<typeof setDepartmentStageApi>) =>
  toResult(() => setDepartmentStageApi(payload));
export const apiRecordConsultation = (payload: In<typeof recordConsultationApi>) =>
  toResult(() => recordConsultationApi(payload));
/** Every 判断, made, changed or undone (a correction: 事務局, with a reason). */
export const apiRecordJudgment = (payload: In<typeof recordJudgmentApi>) =>
  toResult(() => recordJudgmentApi(payload));
export const apiSimilar = (payload?: In<typeof similarApi>) => toResult(() => similarApi(payload));
export const apiPreviewRequests = (payload: In<typeof previewRequestsApi>) =>
  toResult(() => previewRequestsApi(payload));
export const apiPresent = (payload: In<typeof presentApi>) => toResult(() => presentApi(payload));
export const apiMailQueue = () => toResult(mailQueueApi);
export const apiResolveMail = (payload: In<typeof resolveMailApi>) => toResult(() => resolveMailApi(payload));
/** The answer page's one call (web app, as the deployer): checked by its token alone. */
export const apiAnswer = (payload: In<typeof submitAnswer>) =>
  toResult(() => submitAnswer(withRegisterOfLink(payload)));
/** A department's 実施状況 for a progress check (web app): checked by its progress or inbox token alone. */
export const apiProgressAnswer = (payload: In<typeof submitProgressAnswer>) =>
  toResult(() => submitProgressAnswer(withRegisterOfLink(payload)));
export const apiImportCsv = (payload: In<typeof importCsv>) => toResult(() => importCsv(payload));

/** Rebuilds 集計 (as of a day, for a 年度) and returns its numbers: a role in 設定 needed. */
export const apiRebuildSummary = (payload?: In<typeof rebuildSummaryApi>) =>
  toResult(() => rebuildSummaryApi(payload));
/** Brings 集計 up to date after a sidebar save marked it (the sidebar calls it without waiting). */
export const apiRefreshSummary = () => toResult(refreshSummaryApi);
/** Publishes (確定) the summary for a day as a sheet of its own, 報告 R7.11.25: 事務局 only. */
export const apiPublishReport = (payload: In<typeof publishReportApi>) =>
  toResult(() => publishReportApi(payload));
/** Opens the next 年度 (設定's 年度 +1), carrying over every open proposal (継続検討): 事務局 only. */
export const apiStartFiscalYear = (payload: In<typeof startFiscalYearApi>) =>
  toResult(() => startFiscalYearApi(payload));
