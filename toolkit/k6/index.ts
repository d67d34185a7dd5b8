/** Real k6: find the binary, run scripts with it, import its results (also from several k6-operator instances). */
export { findK6 } from './find.ts';
export { runWithK6, overrideArgs } from './run.ts';
export { importK6Results, thresholdsFromSummaryExport, type ImportK6Options } from './import.ts';
export { replayNdjson, scanMetricLines, type ReplayedSamples } from './ndjson.ts';
