/** Reports: the pure HTML renderer plus JUnit, Markdown and the atomic writer. */
export { renderReport } from './render.ts';
export type { ReportAssets } from './render.ts';
export { renderIndex, summarizeRun } from './index-page.ts';
export type { RunSummary } from './index-page.ts';
export { renderJunit } from './junit.ts';
export { renderMarkdown } from './markdown.ts';
export { writeReport, writeIndex, collectRuns } from './write.ts';
export type { WriteReportOptions } from './write.ts';
export { loadReportAssets } from './assets.ts';
export { escapeHtml, jsonForScript, safeUrl } from './escape.ts';
export { runReport, REPORT_HELP } from './cli.ts';
