import { ToolkitError } from '../../errors.ts';

/** A parsed `metric{tag:value,...}` selector. */
export interface ParsedMetricName {
  /** The parent metric's name. */
  parent: string;
  /** Canonical name: `parent{suffix}` with the suffix trimmed, as k6 names sub-metrics. */
  name: string;
  /** The text between the braces, trimmed; undefined for a plain metric name. */
  suffix: string | undefined;
  /** Tag selectors as [key, value] pairs; values compare as strings. */
  tags: Array<[string, string]>;
}

const stripQuotes = (text: string): string => text.trim().replace(/^["']+|["']+$/g, '');

/**
 * Splits `http_req_duration{name:slow, method:GET}` like k6's sub-metric parser:
 * comma-separated `key:value` pairs, spaces and surrounding quotes trimmed, a key
 * without a value selects the empty value.
 */
export function parseMetricName(input: string): ParsedMetricName {
  const brace = input.indexOf('{');
  if (brace < 0) return { parent: input, name: input, suffix: undefined, tags: [] };
  const parent = input.slice(0, brace);
  if (!input.endsWith('}')) {
    throw new ToolkitError(
      'SCRIPT_INVALID',
      `invalid metric '${input}' in threshold definitions: missing ending bracket`,
      {
        fix: "write sub-metrics as 'metric{key:value}', e.g. 'http_req_duration{name:login}'",
      },
    );
  }
  const suffix = input.slice(brace + 1, -1).trim();
  if (suffix === '') {
    throw new ToolkitError(
      'SCRIPT_INVALID',
      `invalid metric '${input}' in threshold definitions: submetric criteria for metric '${parent}' cannot be empty`,
      {
        fix: "put at least one tag selector between the braces, e.g. 'http_req_duration{name:login}'",
      },
    );
  }
  const tags = new Map<string, string>();
  for (const pair of suffix.split(',')) {
    if (pair.trim() === '') continue;
    const colon = pair.indexOf(':');
    if (colon < 0) tags.set(stripQuotes(pair), '');
    else tags.set(stripQuotes(pair.slice(0, colon)), stripQuotes(pair.slice(colon + 1)));
  }
  return { parent, name: `${parent}{${suffix}}`, suffix, tags: [...tags] };
}

/** True when every selector tag is present on the sample with the same string value. */
export function tagsMatch(selector: ReadonlyArray<readonly [string, string]>, tags: Record<string, string>): boolean {
  // Indexed loop: this runs for every sample of a metric that has sub-metrics.
  for (let i = 0; i < selector.length; i++) {
    const pair = selector[i] as readonly [string, string];
    if (tags[pair[0]] !== pair[1]) return false;
  }
  return true;
}
