/** k6's end-of-test summary: handleSummary data, --summary-export, the text summary and k6's number formats. */
export type { K6SummaryData, K6SummaryMetric, K6SummaryGroup, K6SummaryCheck } from './types.ts';
export {
  buildSummaryData,
  buildRootGroup,
  metricValues,
  validateTrendStats,
  DEFAULT_TREND_STATS,
  type SummaryInput,
} from './summary-data.ts';
export {
  buildSummaryExport,
  formatSummaryExport,
  type SummaryExport,
  type SummaryExportGroup,
} from './summary-export.ts';
export { validateSummaryShape } from './summary-shape.ts';
export { renderTextSummary, type TextSummaryOptions } from './text-summary.ts';
export { humanizeValue, humanizeDuration, humanizeBytes } from './format.ts';
