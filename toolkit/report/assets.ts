import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ReportAssets } from './render.ts';

/** Reads uPlot's browser build and stylesheet from node_modules, to be inlined into the report. */
export function loadReportAssets(): ReportAssets {
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  return {
    uplotJs: readFileSync(path.join(dist, 'uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(path.join(dist, 'uPlot.min.css'), 'utf8'),
  };
}
