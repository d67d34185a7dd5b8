/** Real k6: find the binary, run scripts with it, import its results (also from several k6-operator instances). */
export { findK6, locateK6, type FoundK6 } from './find.ts';
export { runWithK6, overrideArgs, k6RunArgs } from './run.ts';
export { k6Version, K6_SUPPORTED, type K6Version } from './version.ts';
export { k6ScriptThresholds } from './inspect.ts';
export { K6_EXIT_MEANING, exitMeaning, parseProgressLine } from './process.ts';
export { importK6Results, thresholdsFromSummaryExport, type ImportK6Options } from './import.ts';
export { replayNdjson, scanMetricLines, type ReplayedSamples } from './ndjson.ts';
