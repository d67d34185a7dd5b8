/**
 * perfkit.config.json: the toolkit's keys (the same names as the flags), plus
 * one section for the plugged-in target provider (e.g. "reference": {…}),
 * validated by the provider's schema. Unknown keys are errors, everywhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseJsonText } from '../../json-text.ts';
import { z } from 'zod';
import { ToolkitError } from '../../errors.ts';
import type { TargetProvider } from '../../target/index.ts';

const presetSchema = z.enum(['mobile', 'desktop']);

const pagePath = z.string().startsWith('/').meta({ description: 'a path on the target, e.g. /pricing' });
const pageSchema = z.strictObject({
  name: z.string().min(1).meta({ description: 'the page as reports name it' }),
  path: pagePath,
  auth: z.boolean().optional().meta({ description: 'log in first (default: true when `auth` is set)' }),
});
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');

/** Logging in before pages marked auth: a login form, its fields, and the credentials' variables. */
export const authSchema = z
  .strictObject({
    loginPath: z.string().startsWith('/').meta({ description: 'the login form page, e.g. /login' }),
    fields: z
      .strictObject({
        email: z.string().min(1).optional().meta({ description: 'CSS selector of the user name / email input' }),
        password: z.string().min(1).optional().meta({ description: 'CSS selector of the password input' }),
        submit: z.string().min(1).optional().meta({ description: 'CSS selector of the submit button' }),
      })
      .optional()
      .meta({ description: 'selectors of the form fields (default: the email/username, password and submit inputs)' }),
    emailEnv: envName.optional().meta({ description: 'variable holding the user name (default PERFKIT_LOGIN_EMAIL)' }),
    passwordEnv: envName
      .optional()
      .meta({ description: 'variable holding the password (default PERFKIT_LOGIN_PASSWORD); never in the file' }),
  })
  .meta({ description: 'opt-in login for pages marked auth; credentials come from the environment' });

/** The toolkit's part of the config file; every key optional. */
export const fileConfigSchema = z.strictObject({
  $schema: z.string().optional().meta({ description: 'the JSON Schema, for editors (perfkit.config.schema.json)' }),
  target: z.url().optional().meta({ description: 'URL of the app to measure (loopback only); as --target' }),
  pages: z
    .array(z.union([pagePath, pageSchema]))
    .min(1)
    .optional()
    .meta({ description: 'pages the generic scenarios, Lighthouse and the browser under load open (default /)' }),
  auth: authSchema.optional(),
  scenarios: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .meta({ description: 'scenario names (scenarios/NAME.ts) or k6 script paths; as --scenario' }),
  budget: z.string().optional().meta({ description: 'budget file; as --budget' }),
  baseline: z.string().optional().meta({ description: "results.json to compare against ('latest'); as --baseline" }),
  engine: z
    .enum(['builtin', 'k6', 'auto'])
    .optional()
    .meta({ description: 'engine of the scenarios (default auto); as --engine' }),
  httpTransport: z
    .enum(['auto', 'vu', 'shared'])
    .optional()
    .meta({ description: "built-in runner's HTTP transport (default auto); as --http-transport" }),
  env: z
    .record(z.string(), z.string())
    .optional()
    .meta({ description: 'environment of the scenarios (__ENV); -e KEY=VALUE adds to it' }),
  outDir: z.string().optional().meta({ description: 'where reports go (default reports/); as --out' }),
  lighthouse: z
    .strictObject({
      enabled: z.boolean().optional().meta({ description: 'false: no Lighthouse (as --no-lighthouse)' }),
      runs: z
        .number()
        .int()
        .min(1)
        .max(15)
        .optional()
        .meta({ description: 'runs per page and preset, median reported (default 3, --ci 1)' }),
      presets: z.array(presetSchema).min(1).optional().meta({ description: 'device presets (default mobile)' }),
      pages: z.array(pageSchema).min(1).optional().meta({ description: 'Lighthouse pages, when not the `pages`' }),
    })
    .optional()
    .meta({ description: 'Lighthouse on the pages after the load' }),
  bundle: z
    .strictObject({
      enabled: z.boolean().optional().meta({ description: 'false: no bundle analysis (as --no-bundle)' }),
      stats: z.string().optional().meta({ description: 'webpack stats file of the build; as --bundle-stats' }),
    })
    .optional()
    .meta({ description: 'bundle sizes from webpack stats' }),
  browserUnderLoad: z
    .strictObject({
      enabled: z
        .boolean()
        .optional()
        .meta({ description: 'false: no page loads during the load (as --no-browser-under-load)' }),
      intervalMs: z.number().int().min(500).optional().meta({ description: 'ms between page loads (default 3000)' }),
    })
    .optional()
    .meta({ description: 'a real browser loading the first page while the scenarios run' }),
  allowNonLoopback: z
    .literal(false)
    .optional()
    .meta({ description: 'only false: load never goes beyond this machine' }),
});
/** The toolkit's keys of the config file. */
export type FileConfig = z.infer<typeof fileConfigSchema>;

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ToolkitError('FILE_NOT_FOUND', `${file}: cannot read the file (${(err as NodeJS.ErrnoException).code})`, {
      fix: 'check the path of the config file',
    });
  }
  return parseJsonText(text, file);
}

/** The first problem as `file#/pointer: message`, pointing a provider's key found at the top level to its section. */
function configError(file: string, error: z.ZodError, provider: TargetProvider | undefined): ToolkitError {
  const issue = error.issues[0];
  const unknown = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const path = [...(issue?.path ?? []).map(String), ...(unknown !== undefined ? [unknown] : [])];
  const pointer = '/' + path.join('/');
  const misplaced = provider && path.length === 1 && unknown !== undefined && unknown in provider.section.shape;
  const fix = misplaced
    ? `"${unknown}" belongs to ${provider.label}: move it into the "${provider.name}" section, e.g. { "${provider.name}": { "${unknown}": … } }`
    : 'see `npm run loadtest -- --help` for the options the config file accepts';
  return new ToolkitError('CONFIG_INVALID', `${file}#${pointer}: ${issue?.message ?? 'invalid'}`, { fix });
}

/** Reads the config file (absent is fine unless it was named with --config): the toolkit's keys and the provider's section. */
export function readFileConfig(
  file: string,
  explicit: boolean,
  provider: TargetProvider | undefined,
): { file: FileConfig; section: unknown } {
  if (!existsSync(file)) {
    if (explicit)
      throw new ToolkitError('FILE_NOT_FOUND', `config file ${file} does not exist`, {
        fix: 'check the --config path',
      });
    return { file: {}, section: undefined };
  }
  const schema = provider
    ? fileConfigSchema.extend({ [provider.name]: provider.section.optional() })
    : fileConfigSchema;
  const parsed = schema.safeParse(readJson(file));
  if (!parsed.success) throw configError(file, parsed.error, provider);
  const data = parsed.data as FileConfig & Record<string, unknown>;
  return { file: data, section: provider ? data[provider.name] : undefined };
}
