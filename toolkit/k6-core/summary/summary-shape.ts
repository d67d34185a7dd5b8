const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const pointer = (path: string, key: string): string => `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

const VALUE_KEYS: Record<string, readonly string[] | undefined> = {
  counter: ['count', 'rate'],
  gauge: ['value', 'min', 'max'],
  rate: ['rate', 'passes', 'fails'],
};

function expectKeys(
  obj: Record<string, unknown>,
  path: string,
  types: Record<string, string>,
  problems: string[],
): void {
  for (const [key, type] of Object.entries(types)) {
    const value = obj[key];
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    if (actual !== type) problems.push(`${pointer(path, key)}: expected ${type}, found ${actual}`);
  }
  for (const key of Object.keys(obj)) {
    if (!(key in types)) problems.push(`${pointer(path, key)}: unexpected key`);
  }
}

function checkGroup(group: unknown, path: string, problems: string[]): void {
  if (!isObject(group)) return void problems.push(`${path}: expected a group object`);
  expectKeys(group, path, { name: 'string', path: 'string', id: 'string', groups: 'array', checks: 'array' }, problems);
  if (typeof group['id'] === 'string' && !/^[0-9a-f]{32}$/.test(group['id']))
    problems.push(`${path}/id: expected an md5 hex id`);
  (Array.isArray(group['groups']) ? group['groups'] : []).forEach((child, i) =>
    checkGroup(child, `${path}/groups/${i}`, problems),
  );
  (Array.isArray(group['checks']) ? group['checks'] : []).forEach((check, i) => {
    const at = `${path}/checks/${i}`;
    if (!isObject(check)) return void problems.push(`${at}: expected a check object`);
    expectKeys(
      check,
      at,
      { name: 'string', path: 'string', id: 'string', passes: 'number', fails: 'number' },
      problems,
    );
  });
}

function checkMetric(metric: unknown, path: string, trendStats: readonly string[], problems: string[]): void {
  if (!isObject(metric)) return void problems.push(`${path}: expected a metric object`);
  const types: Record<string, string> = { type: 'string', contains: 'string', values: 'object' };
  if ('thresholds' in metric) types['thresholds'] = 'object';
  expectKeys(metric, path, types, problems);
  if (!['counter', 'gauge', 'rate', 'trend'].includes(String(metric['type'])))
    problems.push(`${path}/type: unknown metric type ${JSON.stringify(metric['type'])}`);
  if (!['default', 'time', 'data'].includes(String(metric['contains'])))
    problems.push(`${path}/contains: unknown value type ${JSON.stringify(metric['contains'])}`);
  const values = metric['values'];
  if (isObject(values)) {
    const keys = metric['type'] === 'trend' ? trendStats : (VALUE_KEYS[String(metric['type'])] ?? []);
    expectKeys(values, `${path}/values`, Object.fromEntries(keys.map((k) => [k, 'number'])), problems);
  }
  const thresholds = metric['thresholds'];
  if (isObject(thresholds)) {
    for (const [source, verdict] of Object.entries(thresholds)) {
      const at = pointer(`${path}/thresholds`, source);
      if (!isObject(verdict)) problems.push(`${at}: expected { ok: boolean }`);
      else expectKeys(verdict, at, { ok: 'boolean' }, problems);
    }
  }
}

/**
 * Checks a value has the structure of k6's handleSummary data (as in k6 v1.3): root_group tree,
 * options, state, and per-metric type/contains/values(/thresholds) with the value keys of its type.
 * Returns problems as `JSON pointer: what is wrong` lines; empty when the shape is right.
 */
export function validateSummaryShape(data: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(data)) return ['(root): expected an object'];
  const top: Record<string, string> = { root_group: 'object', options: 'object', state: 'object', metrics: 'object' };
  // k6 adds setup_data when setup() returned something; any JSON value is fine there.
  if ('setup_data' in data)
    top['setup_data'] =
      data['setup_data'] === null ? 'null' : Array.isArray(data['setup_data']) ? 'array' : typeof data['setup_data'];
  expectKeys(data, '', top, problems);
  checkGroup(data['root_group'], '/root_group', problems);
  const options = data['options'];
  let trendStats: string[] = [];
  if (isObject(options)) {
    expectKeys(
      options,
      '/options',
      { summaryTrendStats: 'array', summaryTimeUnit: 'string', noColor: 'boolean' },
      problems,
    );
    if (Array.isArray(options['summaryTrendStats'])) trendStats = options['summaryTrendStats'].map(String);
  }
  if (isObject(data['state'])) {
    expectKeys(
      data['state'],
      '/state',
      { isStdOutTTY: 'boolean', isStdErrTTY: 'boolean', testRunDurationMs: 'number' },
      problems,
    );
  }
  if (isObject(data['metrics'])) {
    for (const [name, metric] of Object.entries(data['metrics']))
      checkMetric(metric, pointer('/metrics', name), trendStats, problems);
  }
  return problems;
}
