// Public API of @paceline/dashboard: explicit named exports only (STYLE.md).
export type { AbandonPoint, CampaignSnapshot, DashboardDialer, FulfilmentStatus } from './campaign-monitor';
export { ABANDON_CAP, CampaignMonitor } from './campaign-monitor';
export type { DashboardOptions, ListImportSummary } from './dashboard-plugin';
export { dashboardPlugin } from './dashboard-plugin';
export type { DayReport, DaySample } from './report/report-html';
export { renderHtmlReport } from './report/report-html';
