import type { MachineFacts, Results } from '../results/schema.ts';
import { html, type SafeHtml } from './escape.ts';
import { bytes, section } from './format.ts';

type Loose = Record<string, unknown>;

/** A recorded value as one line of text (objects as `key value` pairs). */
function text(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.map(text).join(', ') || '—';
  if (typeof v === 'object')
    return Object.entries(v as Loose)
      .map(([k, x]) => `${k} ${text(x)}`)
      .join(' · ');
  return String(v);
}

/** The machine the run was measured on, when results record it (meta.machine or results.machine). */
function machineOf(r: Results): Loose | undefined {
  const m = (r.meta as unknown as Loose)['machine'] ?? (r as unknown as Loose)['machine'];
  return m && typeof m === 'object' ? (m as Loose) : undefined;
}

/** The machine's facts as labelled lines, in the order people read them; unknown keys follow as recorded. */
function machineRows(m: Loose): Array<[string, string]> {
  const known = m as Partial<MachineFacts>;
  const rows: Array<[string, string | undefined]> = [
    ['cores', known.cores === undefined ? undefined : String(known.cores)],
    ['CPU', known.cpuModel],
    ['memory', known.memoryBytes === undefined ? undefined : bytes(known.memoryBytes)],
    ['OS', known.os],
    ['Node.js', known.node],
    ['k6', known.k6],
    ['Chromium', known.chromium],
    ['Lighthouse', known.lighthouse],
    ['benchmark index', known.benchmarkIndex === undefined ? undefined : String(Math.round(known.benchmarkIndex))],
  ];
  const named = new Set([
    'cores',
    'cpuModel',
    'memoryBytes',
    'os',
    'node',
    'k6',
    'chromium',
    'lighthouse',
    'benchmarkIndex',
  ]);
  const rest = Object.entries(m)
    .filter(([k]) => !named.has(k))
    .map(([k, v]): [string, string] => [k, text(v)]);
  return [...rows.filter((r): r is [string, string] => r[1] !== undefined), ...rest];
}

/** The machine in one phrase: cores, CPU, memory, OS. */
function machineLine(m: Loose): string {
  const rows = new Map(machineRows(m));
  const cores = rows.get('cores');
  return [cores ? `${cores} cores` : undefined, rows.get('CPU'), rows.get('memory'), rows.get('OS')]
    .filter(Boolean)
    .join(' · ');
}

/** Measurement warnings, when results carry them (strings, or objects with a message). */
export function measurementWarnings(r: Results): string[] {
  const w = (r as unknown as Loose)['measurementWarnings'] ?? (r.meta as unknown as Loose)['measurementWarnings'];
  if (!Array.isArray(w)) return [];
  return w.map((x) =>
    typeof x === 'string' ? x : typeof x === 'object' && x && 'message' in x ? String(x.message) : text(x),
  );
}

/** Engine, its version and transport in one phrase. */
function engineOf(r: Results): string {
  const m = r.meta;
  const version = m.engineVersion ?? m.identity?.engineVersion;
  const transport = m.httpTransport ?? m.identity?.httpTransport;
  return `${m.engine}${version ? ` ${version}` : ''}${transport ? ` · ${transport} transport` : ''}`;
}

/** One line of run facts beside the verdict: where and how it was measured, and any warnings about it. */
export function runFacts(r: Results): SafeHtml {
  const machine = machineOf(r);
  const warnings = measurementWarnings(r);
  const id = r.meta.identity;
  return html`<div class="facts" id="run-facts"><span>profile <b>${r.meta.profile ?? id?.profile ?? '—'}</b></span><span>engine <b>${engineOf(r)}</b></span><span>target <b>${id?.target ?? r.meta.target}</b></span>${id?.budget ? html`<span>budget <b>${id.budget}</b></span>` : ''}${machine ? html`<span>machine <b>${machineLine(machine) || text(machine)}</b></span>` : ''}${r.meta.status === 'interrupted' ? html`<span class="warn-text">interrupted</span>` : ''}</div>
${warnings.length ? html`<div class="measurement-warnings">${warnings.map((w) => html`<div>⚠ ${w}</div>`)}</div>` : ''}`;
}

/** The run section: identity, machine, versions, status, warnings and the resolved configuration. */
export function runSection(r: Results): SafeHtml {
  const m = r.meta;
  const id = m.identity;
  const machine = machineOf(r);
  const rows: Array<[string, string]> = [
    ['run id', m.id],
    ['started', m.startedAt],
    ['ended', m.endedAt],
    ['status', m.status ?? 'complete'],
    ['target', id ? `${id.target} (${m.target})` : m.target],
    ['profile', m.profile ?? id?.profile ?? '—'],
    ['scenarios', id ? id.scenarios.map((s) => `${s.name} (${s.optionsHash})`).join(', ') : m.scenarios.join(', ')],
    ['engine', engineOf(r)],
    ['budget file', id?.budget ?? '—'],
    ['Lighthouse presets', id ? id.lighthousePresets.join(', ') || 'none' : '—'],
    ['tool version', m.toolVersion],
    ['git commit', m.gitCommit ?? 'unknown'],
    ...(machine ? machineRows(machine) : []).map(([k, v]): [string, string] => [`machine: ${k}`, v]),
  ];
  const warnings = measurementWarnings(r);
  return section(
    'run',
    'Run configuration',
    html`<table class="run-facts">${rows.map(([k, v]) => html`<tr><th>${k}</th><td class="mono">${v}</td></tr>`)}</table>${machine ? '' : html`<p class="muted">The machine was not recorded in these results.</p>`}
${warnings.length ? html`<h3>Measurement warnings</h3><ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
<details><summary>Resolved configuration</summary><pre class="config">${JSON.stringify(m.config, null, 2)}</pre></details>`,
  );
}
