/** The loadtest stage: measure a Target → results.json → verdicts.json → report. */
export type { LoadtestConfig } from './types.ts';
export { runPipeline } from './pipeline.ts';
export type { LoadtestOutcome, PackageInstaller, PipelineContext } from './pipeline.ts';
export type { ReportWriter } from './stages.ts';
