import type { Results } from '../results/schema.ts';
import type { Verdicts } from '../results/verdicts.ts';
import { chartSpecs, chartsSection, CHARTS_SCRIPT } from './charts.ts';
import { html, inlineAsset, jsonForScript, raw, safeUrl, type SafeHtml } from './escape.ts';
import { span } from './format.ts';
import { apiSummarySection, endpointsSection } from './section-api.ts';
import { checksSection } from './section-checks.ts';
import { cacheSection, resourcesSection } from './section-backend.ts';
import { databaseSection } from './section-database.ts';
import { budgetSection, verdictBanner } from './section-budgets.ts';
import { comparisonSection } from './section-comparison.ts';
import { browserSection, bundleSection } from './section-frontend.ts';
import { lighthouseSection } from './section-lighthouse.ts';
import { scalingSection } from './section-scaling.ts';
import { runFacts, runSection } from './section-run.ts';
import { REPORT_CSS } from './styles.ts';

/** Files the page inlines so it works offline: uPlot's JS and CSS, read by the caller (see loadReportAssets). */
export interface ReportAssets {
  uplotJs: string;
  uplotCss: string;
}

const NAV: Array<[string, string]> = [
  ['verdict', 'Verdict'],
  ['budgets', 'Budgets'],
  ['timeline', 'Over time'],
  ['load', 'Load'],
  ['comparison', 'Comparison'],
  ['endpoints', 'Endpoints'],
  ['checks', 'Checks'],
  ['database', 'Database'],
  ['cache', 'Cache'],
  ['lighthouse', 'Lighthouse'],
  ['browser', 'Browser'],
  ['bundle', 'Bundle'],
  ['resources', 'Resources'],
  ['scaling', 'Scaling'],
  ['run', 'Run'],
];

function header(r: Results): SafeHtml {
  const m = r.meta;
  return html`<header class="top"><h1>Performance report · ${m.id}</h1><div class="meta">
  <span>target <b><a style="color:inherit" href="${safeUrl(m.target)}">${m.target}</a></b></span>
  <span>started <b>${m.startedAt}</b></span><span>took <b>${span(m.startedAt, m.endedAt)}</b></span>
  <span>scenarios <b>${m.scenarios.join(', ') || '—'}</b></span><span>engine <b>${m.engine}${m.engineVersion ? ` v${m.engineVersion}` : ''}</b></span>
  <span>commit <b class="mono">${m.gitCommit ? m.gitCommit.slice(0, 10) : 'unknown'}</b></span></div></header>`;
}

/**
 * Renders one self-contained HTML report (pure: same input, same output).
 * Everything is inlined: styles, uPlot, chart data (as escaped JSON); every
 * string from results or verdicts is escaped.
 */
export function renderReport(
  results: Results,
  verdicts: Verdicts | null,
  assets: ReportAssets,
  baseline?: Results,
): string {
  const specs = chartSpecs(results, baseline);
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${verdicts ? `${verdicts.outcome.toUpperCase()} · ` : ''}${results.meta.id} · performance report</title>
<style>${inlineAsset(assets.uplotCss, 'style')}</style><style>${raw(REPORT_CSS)}</style></head>
<body>
${header(results)}
<nav class="toc">${NAV.filter(([id]) => (id !== 'comparison' || results.comparison) && (id !== 'scaling' || results.scaling)).map(([id, label]) => html`<a href="#${id}">${label}</a>`)}</nav>
<main>
${verdictBanner(verdicts)}
${runFacts(results)}
${budgetSection(verdicts)}
${chartsSection(specs, results.phases)}
${apiSummarySection(results)}
${results.comparison ? comparisonSection(results) : ''}
${endpointsSection(results)}
${checksSection(results)}
${databaseSection(results, specs)}
${cacheSection(results)}
${lighthouseSection(results)}
${browserSection(results)}
${bundleSection(results, baseline)}
${resourcesSection(results, specs)}
${results.scaling ? scalingSection(results) : ''}
${runSection(results)}
</main>
<footer>perfkit ${results.meta.toolVersion} · results schema v${results.schemaVersion}</footer>
<script type="application/json" id="report-data">${raw(jsonForScript({ charts: specs, phases: results.phases ?? [] }))}</script>
<script>${inlineAsset(assets.uplotJs, 'script')}</script>
<script>${raw(CHARTS_SCRIPT)}</script>
</body></html>
`;
  return page.value;
}
