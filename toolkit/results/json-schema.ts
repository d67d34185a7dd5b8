import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RESULTS_SCHEMA_VERSION, resultsSchema } from './schema.ts';

/** Where the published results schema lives (committed; a test keeps it equal to the generated one). */
export const RESULTS_SCHEMA_FILE = new URL('./results.schema.json', import.meta.url);

/** The results JSON Schema generated from the zod model. */
export function generateResultsJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(resultsSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: `urn:perfkit:schema:results:${RESULTS_SCHEMA_VERSION}`, ...rest };
}

/** The published schema as committed next to this file. */
export function publishedResultsJsonSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(RESULTS_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}
