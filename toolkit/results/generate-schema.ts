/**
 * Regenerates results.schema.json from the zod model:
 * `npx tsx toolkit/results/generate-schema.ts`.
 */
import { writeFileSync } from 'node:fs';
import { generateResultsJsonSchema, RESULTS_SCHEMA_FILE } from './json-schema.ts';

writeFileSync(RESULTS_SCHEMA_FILE, JSON.stringify(generateResultsJsonSchema(), null, 2) + '\n');
