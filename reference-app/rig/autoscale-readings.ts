import { z } from 'zod';
import type { ScalingResults } from '../../toolkit/results/index.ts';

/** The `autoscaling` part of GET /api/performance (reference app with --min/--max-instances); extra keys are ignored. */
const autoscalingSchema = z.looseObject({
  min: z.number().int().min(1),
  max: z.number().int().min(1),
  current: z.number().int().min(0),
  decisions: z.array(
    z.looseObject({
      at: z.iso.datetime({ offset: true }),
      action: z.enum(['up', 'down']),
      reason: z.string(),
      from: z.number().int().min(0),
      to: z.number().int().min(0),
    }),
  ),
});

/** One reading of /api/performance: when (ms since epoch) and its JSON body. */
export interface PerformanceBody {
  t: number;
  body: unknown;
}

/**
 * The scaling section from the readings taken during a run: the instance count
 * at each reading plus a step at each decision (readings are seconds apart,
 * decisions carry their exact time), and every decision seen, once.
 * Undefined when the target reported no auto-scaling.
 */
export function fromAutoscalingReadings(readings: PerformanceBody[], runStartMs: number): ScalingResults | undefined {
  const seconds = (ms: number): number => Math.max(0, Math.round(ms - runStartMs) / 1000);
  const series: ScalingResults['series'] = [];
  const decisions = new Map<string, ScalingResults['decisions'][number]>();
  let limits: { min: number; max: number } | undefined;
  for (const r of readings) {
    const parsed = autoscalingSchema.safeParse((r.body as { autoscaling?: unknown } | null)?.autoscaling);
    if (!parsed.success) continue;
    const a = parsed.data;
    limits = { min: a.min, max: a.max };
    series.push({ t: seconds(r.t), instances: a.current });
    for (const d of a.decisions) {
      const t = seconds(Date.parse(d.at));
      decisions.set(`${d.at}|${d.action}|${d.from}|${d.to}`, {
        t,
        at: d.at,
        action: d.action,
        reason: d.reason,
        from: d.from,
        to: d.to,
      });
    }
  }
  if (!limits) return undefined;
  const sorted = [...decisions.values()].sort((a, b) => a.at.localeCompare(b.at));
  // A reading's body was made before its arrival time: one answered around a decision may show the old
  // count after the step. The decisions are exact, so between them the count is the last one's `to`.
  const countAt = (t: number, reported: number): number => {
    const last = sorted.filter((d) => d.t <= t).at(-1);
    return last ? last.to : (sorted[0]?.from ?? reported);
  };
  const first = series[0]?.t ?? 0;
  // Steps only inside the sampled span: earlier decisions (the app starting) show in the first reading's count.
  const steps = sorted
    .filter((d) => d.t >= first)
    .flatMap((d) => [
      { t: d.t, instances: d.from },
      { t: d.t, instances: d.to },
    ]);
  const points = [...series.map((p) => ({ t: p.t, instances: countAt(p.t, p.instances) })), ...steps].sort(
    (a, b) => a.t - b.t,
  );
  return { ...limits, series: points, decisions: sorted };
}
