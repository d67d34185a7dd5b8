/**
 * Expands a VU's compact http rows back into k6 samples (one decoder per VU: tag ids are per VU).
 * data_sent / data_received are not per request: the VU emits them once per iteration, as k6 does.
 */
import type { Sample } from '../k6-core/index.ts';
import { HTTP_ROW, type HttpSamples } from './protocol.ts';

const METRICS = [
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
  'http_req_failed',
] as const;

export class HttpSampleDecoder {
  private readonly tags = new Map<number, Record<string, string>>();

  decode(batch: HttpSamples, out: Sample[] = []): Sample[] {
    if (batch.reset) this.tags.clear();
    for (const [id, tags] of batch.tagSets) this.tags.set(id, tags);
    const rows = batch.rows;
    for (let i = 0; i + HTTP_ROW <= rows.length; i += HTTP_ROW) {
      const tags = this.tags.get(rows[i]!) ?? {};
      const time = rows[i + 1]!;
      out.push({ metric: 'http_reqs', value: 1, time, tags });
      for (let m = 0; m < METRICS.length; m++) out.push({ metric: METRICS[m]!, value: rows[i + 2 + m]!, time, tags });
    }
    return out;
  }
}
