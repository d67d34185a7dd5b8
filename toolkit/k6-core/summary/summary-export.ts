import type { K6SummaryData, K6SummaryGroup } from './types.ts';

/** A group in the --summary-export file: groups and checks keyed by name. */
export interface SummaryExportGroup {
  name: string;
  path: string;
  id: string;
  groups: Record<string, SummaryExportGroup>;
  checks: Record<string, { name: string; path: string; id: string; passes: number; fails: number }>;
}

/** The --summary-export file: flat metric values; a threshold's boolean is true when it FAILED. */
export interface SummaryExport {
  setup_data?: unknown;
  root_group: SummaryExportGroup;
  metrics: Record<string, Record<string, number | Record<string, boolean>>>;
}

function exportGroup(group: K6SummaryGroup): SummaryExportGroup {
  const out: SummaryExportGroup = { name: group.name, path: group.path, id: group.id, groups: {}, checks: {} };
  for (const child of group.groups) out.groups[child.name] = exportGroup(child);
  for (const check of group.checks) out.checks[check.name] = { ...check };
  return out;
}

/**
 * Converts handleSummary data to k6's --summary-export format, the way k6's own converter does:
 * values flattened, thresholds appended as { source: crossed }, a rate's `rate` renamed `value` (last).
 */
export function buildSummaryExport(data: K6SummaryData): SummaryExport {
  const metrics: SummaryExport['metrics'] = {};
  for (const [name, metric] of Object.entries(data.metrics)) {
    const values: Record<string, number | Record<string, boolean>> = { ...metric.values };
    if (metric.thresholds !== undefined && Object.keys(metric.thresholds).length > 0) {
      const crossed: Record<string, boolean> = {};
      for (const [source, { ok }] of Object.entries(metric.thresholds)) crossed[source] = !ok;
      values['thresholds'] = crossed;
    }
    if (metric.type === 'rate' && 'rate' in values) {
      values['value'] = values['rate'] ?? 0;
      delete values['rate'];
    }
    metrics[name] = values;
  }
  const setup = 'setup_data' in data ? { setup_data: data.setup_data } : {};
  return { ...setup, root_group: exportGroup(data.root_group), metrics };
}

/** The --summary-export file's text: 4-space indented JSON, as k6 writes it. */
export function formatSummaryExport(data: K6SummaryData): string {
  return JSON.stringify(buildSummaryExport(data), null, 4);
}
