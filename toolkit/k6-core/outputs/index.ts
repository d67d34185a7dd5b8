/** Streams k6 writes while a test runs: `--out json` NDJSON, and per-second aggregates for charts. */
export { createJsonOutput, type JsonOutput, type JsonOutputOptions } from './json-output.ts';
export { PerSecondAggregator, type PerSecondPoint, type PerSecondNamePoint } from './per-second.ts';
