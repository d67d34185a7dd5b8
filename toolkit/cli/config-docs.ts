/**
 * docs/config.md, generated: every key of perfkit.config.json (from the zod schema, the provider's section
 * included), every flag of `loadtest` (its --help) and every environment variable the toolkit reads.
 * `npm run docs:config` writes it; `npm run lint` fails when it is stale.
 */
import { z } from 'zod';
import type { TargetProvider } from '../target/index.ts';
import { ENV_VARIABLES } from './config.ts';
import { fileConfigSchema } from './loadtest/config-file.ts';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: string;
  additionalProperties?: JsonSchema | boolean;
}

/** A key's type for people: `"builtin" \| "k6"`, `integer 1..15`, `array of string`, `object`. */
function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  if (s.type === 'array') return `array of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object' && typeof s.additionalProperties === 'object') return 'object of string';
  if (s.format === 'starts_with' || s.pattern === '^\\/.*') return 'path (/…)';
  if (s.format === 'uri') return 'URL';
  const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
  const range = s.minimum !== undefined || max !== undefined ? ` ${s.minimum ?? ''}..${max ?? ''}` : '';
  return `${Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any')}${range}`;
}

/** One table row per key, nested objects (also those inside arrays) as dotted paths. */
function rows(schema: JsonSchema, prefix: string): string[] {
  const out: string[] = [];
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    const name = `${prefix}${key}`;
    const required = schema.required?.includes(key) ? ' (required)' : '';
    out.push(`| \`${name}\` | ${typeOf(s)} | ${(s.description ?? '').replace(/\|/g, '\\|')}${required} |`);
    out.push(...rows(s, `${name}.`));
    for (const item of [s.items, ...(s.items?.anyOf ?? [])])
      if (item?.properties) out.push(...rows(item, `${name}[].`));
  }
  return out;
}

const table = (schema: JsonSchema, prefix = ''): string =>
  ['| key | type | what it does |', '| --- | --- | --- |', ...rows(schema, prefix)].join('\n');

/** The whole reference, as Markdown. */
export function renderConfigDocs(options: { provider?: TargetProvider; loadtestHelp: string }): string {
  const toolkit = z.toJSONSchema(fileConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const { provider } = options;
  const section = provider
    ? [
        `## The "${provider.name}" section (${provider.label})`,
        '',
        `Options of ${provider.label}, the default target; ignored with \`--target\`.`,
        '',
        table(
          z.toJSONSchema(provider.section, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
          `${provider.name}.`,
        ),
        '',
      ]
    : [];
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from the zod schemas by `npm run docs:config`; do not edit. `npm run lint` fails when it is stale. -->',
    '',
    'perfkit resolves each setting once: its defaults, then `perfkit.config.json` (or `--config FILE`), then the',
    'environment, then the flags. Unknown keys are errors, with the file and JSON pointer named. The file has a',
    'JSON Schema for editors: `"$schema": "node_modules/perfkit/perfkit.config.schema.json"`.',
    '',
    '## perfkit.config.json',
    '',
    table(toolkit),
    '',
    ...section,
    '## Flags of `perfkit loadtest`',
    '',
    '```',
    options.loadtestHelp,
    '```',
    '',
    '## Environment variables',
    '',
    '| variable | what it does |',
    '| --- | --- |',
    ...ENV_VARIABLES.map((v) => `| \`${v.name}\` | ${v.description} |`),
    '',
  ].join('\n');
}

/** The config file's JSON Schema (perfkit.config.schema.json), the provider's section included. */
export function configJsonSchema(provider?: TargetProvider): unknown {
  const schema = provider
    ? fileConfigSchema.extend({ [provider.name]: provider.section.optional() })
    : fileConfigSchema;
  return { ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), title: 'perfkit.config.json' };
}
