// The add-on's whole public surface: every function Apps Script must see as a global (triggers,
// menu items, doGet/doPost, google.script.run targets) is exported here and nowhere else.
// The build turns each export into a top-level declaration. Nothing here runs at load time.

import { submitAnswer } from './server/answers';
import { startFiscalYearApi } from './server/fiscal-year';
import { importCsv } from './server/import-api';
import {
  addDepartmentApi,
  correctApi,
  createProposalApi,
  getProposal,
  getSettingsApi,
  recordConsultationApi,
  recordJudgmentApi,
  searchProposals,
  setDepartmentStageApi,
  similarApi,
  updateProposalApi,
} from './server/proposals-api';
import { publishReportApi } from './server/publish';
import { mailQueueApi, presentApi, previewRequestsApi, resolveMailApi } from './server/requests-api';
import { toResult } from './server/result';
import { rebuildSummaryApi, refreshSummaryApi } from './server/summary-refresh';

export { onChangeInstalled } from './server/changes';
export { onDailyNine } from './server/daily';
export { onEditInstalled } from './server/hand-edits';
export { menuImport, menuOpenSidebar, menuRebuildSummary, menuSetup, onInstall, onOpen } from './server/menu';
export { onTenMinutes } from './server/triggers';
export { doGet } from './server/web';

// google.script.run targets (the sidebar). Each returns a Result: data, or a refusal to show.
export const apiSettings = () => toResult(getSettingsApi);
export const apiSearch = (payload: unknown) => toResult(() => searchProposals(payload));
export const apiGetProposal = (payload: unknown) => toResult(() => getProposal(payload));
export const apiCreateProposal = (payload: unknown) => toResult(() => createProposalApi(payload));
export const apiUpdateProposal = (payload: unknown) => toResult(() => updateProposalApi(payload));
export const apiAddDepartment = (payload: unknown) => toResult(() => addDepartmentApi(payload));
export const apiSetDepartmentStage = (payload: unknown) => toResult(() => setDepartmentStageApi(payload));
export const apiRecordConsultation = (payload: unknown) => toResult(() => recordConsultationApi(payload));
export const apiRecordJudgment = (payload: unknown) => toResult(() => recordJudgmentApi(payload));
export const apiCorrect = (payload: unknown) => toResult(() => correctApi(payload));
export const apiSimilar = (payload: unknown) => toResult(() => similarApi(payload));
export const apiPreviewRequests = (payload: unknown) => toResult(() => previewRequestsApi(payload));
export const apiPresent = (payload: unknown) => toResult(() => presentApi(payload));
export const apiMailQueue = () => toResult(mailQueueApi);
export const apiResolveMail = (payload: unknown) => toResult(() => resolveMailApi(payload));
/** The answer page's one call (web app, as the deployer): checked by its token alone. */
export const apiAnswer = (payload: unknown) => toResult(() => submitAnswer(payload));
export const apiImportCsv = (payload: unknown) => toResult(() => importCsv(payload));

/** Rebuilds 集計 (as of a day, for a 年度) and returns its numbers: a role in 設定 needed. */
export const apiRebuildSummary = (payload: unknown) => toResult(() => rebuildSummaryApi(payload));
/** Brings 集計 up to date after a sidebar save marked it (the sidebar calls it without waiting). */
export const apiRefreshSummary = () => toResult(refreshSummaryApi);
/** Publishes (確定) the summary for a day as a sheet of its own, 報告 R7.11.25: 事務局 only. */
export const apiPublishReport = (payload: unknown) => toResult(() => publishReportApi(payload));
/** Opens the next 年度 (設定's 年度 +1), carrying over every open proposal (継続検討): 事務局 only. */
export const apiStartFiscalYear = (payload: unknown) => toResult(() => startFiscalYearApi(payload));
