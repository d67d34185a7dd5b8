import type { MetricDef } from './types.ts';

const time = (name: string): MetricDef => ({ name, type: 'trend', contains: 'time' });

/** k6's built-in metrics with their types, as k6 registers them before the script runs. */
export const BUILTIN_METRICS: readonly MetricDef[] = [
  { name: 'vus', type: 'gauge', contains: 'default' },
  { name: 'vus_max', type: 'gauge', contains: 'default' },
  { name: 'iterations', type: 'counter', contains: 'default' },
  time('iteration_duration'),
  { name: 'dropped_iterations', type: 'counter', contains: 'default' },
  { name: 'data_sent', type: 'counter', contains: 'data' },
  { name: 'data_received', type: 'counter', contains: 'data' },
  { name: 'checks', type: 'rate', contains: 'default' },
  time('group_duration'),
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'http_req_failed', type: 'rate', contains: 'default' },
  time('http_req_duration'),
  time('http_req_blocked'),
  time('http_req_connecting'),
  time('http_req_tls_handshaking'),
  time('http_req_sending'),
  time('http_req_waiting'),
  time('http_req_receiving'),
];

/** The sub-metric k6 always tracks when the expected_response system tag is on (the default). */
export const EXPECTED_RESPONSE_SUBMETRIC = 'http_req_duration{expected_response:true}';
