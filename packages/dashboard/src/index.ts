// Public API of @paceline/dashboard: explicit named exports only (STYLE.md).
export type { AbandonPoint, CampaignSnapshot, DashboardDialer, FloorSnapshot, FulfilmentStatus } from './campaign-monitor';
export { ABANDON_CAP, CampaignMonitor } from './campaign-monitor';
export type { DashboardAuditEvent, DashboardAuthOptions } from './dashboard-auth';
export { registerDashboardAuth, SESSION_COOKIE, WRITE_HEADER } from './dashboard-auth';
export type { DashboardOptions } from './dashboard-plugin';
export { dashboardPlugin } from './dashboard-plugin';
export type { DashboardPrincipal, DashboardRole, DashboardSession, DashboardTokens } from './dashboard-sessions';
export { DashboardSessions } from './dashboard-sessions';
export type { EventStreamLimits, StreamRefusal } from './event-stream';
export { EventStream } from './event-stream';
export type { FloorRouteDeps } from './floor-routes';
export { parseBreaks, registerFloorRoutes } from './floor-routes';
export type { ListImporter, ListImportSummary, ListRowProblem, ListUpload } from './list-upload-routes';
export { MAX_UPLOAD_BYTES, registerListUploadRoutes } from './list-upload-routes';
export type { DayReport, DaySample } from './report/report-html';
export { renderHtmlReport } from './report/report-html';
