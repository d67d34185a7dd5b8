/** k6's thresholds: the expression grammar, validation against the registry, evaluation and abortOnFail. */
export type { ThresholdSpec, ThresholdResult } from './types.ts';
export {
  parseThresholdExpression,
  compare,
  SUPPORTED_AGGREGATIONS,
  type ThresholdExpression,
  type ThresholdOperator,
} from './expression.ts';
export {
  parseThresholds,
  evaluateThresholds,
  shouldAbort,
  abortMessage,
  aggregate,
  parseDurationMs,
} from './thresholds.ts';
