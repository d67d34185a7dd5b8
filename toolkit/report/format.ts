import { formatQuantity } from '../budgets/units.ts';
import type { QuantityKind } from '../results/verdicts.ts';
import { html, type SafeHtml } from './escape.ts';

/** Formats a value of a kind, or an em dash when absent. */
export function fmt(value: number | null | undefined, kind: QuantityKind): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : formatQuantity(value, kind);
}

export const ms = (v: number | null | undefined): string => fmt(v, 'duration');
export const bytes = (v: number | null | undefined): string => fmt(v, 'size');
export const pct = (v: number | null | undefined): string => fmt(v, 'ratio');
export const perSec = (v: number | null | undefined): string => fmt(v, 'rate');
export const count = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en-US');

/** A section with a heading; `body` null means "no data", which the section says in words. */
export function section(
  id: string,
  title: string,
  body: SafeHtml | null,
  emptyText = 'Not measured in this run.',
): SafeHtml {
  return html`<section id="${id}"><h2>${title}</h2>${body ?? html`<p class="empty">${emptyText}</p>`}</section>`;
}

/** A key figure tile. */
export function kpi(label: string, value: string, sub?: string): SafeHtml {
  return html`<div class="kpi"><div class="label">${label}</div><div class="value">${value}</div>${sub ? html`<div class="sub">${sub}</div>` : ''}</div>`;
}

/** A horizontal bar relative to a maximum. */
export function bar(value: number | null | undefined, max: number): SafeHtml {
  const width = value && max > 0 ? Math.max(1, Math.min(100, (value / max) * 100)) : 0;
  return html`<div class="bar"><span style="width:${width.toFixed(1)}%"></span></div>`;
}

/** Duration between two ISO timestamps, for people. */
export function span(startIso: string, endIso: string): string {
  const seconds = Math.max(0, (Date.parse(endIso) - Date.parse(startIso)) / 1000);
  return seconds >= 120 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`;
}
