import type { K6SummaryData } from './types.ts';

/** The end-of-test text summary as k6 v1.3 prints it in compact mode. */
export function renderTextSummary(data: K6SummaryData, opts: { colors?: boolean } = {}): string {
  void data;
  void opts;
  throw new Error('not implemented yet');
}
