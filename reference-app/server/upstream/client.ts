import { z } from 'zod';

const ratesSchema = z.object({
  base: z.string(),
  asOf: z.string().optional(),
  rates: z.record(z.string(), z.number()),
});
export type RatesData = { base: string; rates: Record<string, number> };

/** The external API client: a bounded wait, validated answers, failures as errors. */
export class UpstreamClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 2_000,
  ) {}

  async rates(base = 'USD'): Promise<RatesData> {
    const res = await fetch(`${this.baseUrl}/rates?base=${encodeURIComponent(base)}`, {
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`upstream answered ${res.status}`);
    const parsed = ratesSchema.parse(await res.json());
    return { base: parsed.base, rates: parsed.rates };
  }
}
