import type { z } from 'zod';
import { HttpError } from './errors.ts';

/** Parses untrusted input; failures answer 400 VALIDATION_FAILED naming each field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new HttpError(
    400,
    'VALIDATION_FAILED',
    `invalid input: ${details.map((d) => `${d.path || '(body)'} ${d.message}`).join('; ')}`,
    { details },
  );
}
