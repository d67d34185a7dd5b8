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
  $schema: z.string().optional(),
  target: z.url().optional(),
  pages: z
    .array(z.union([pagePath, pageSchema]))
    .min(1)
    .optional()
    .meta({ description: 'pages the generic scenarios, Lighthouse and the browser under load open (default /)' }),
  auth: authSchema.optional(),
  scenarios: z.array(z.string().min(1)).min(1).optional(),
  budget: z.string().optional(),
  baseline: z.string().optional(),
  engine: z.enum(['builtin', 'k6', 'auto']).optional(),
  httpTransport: z.enum(['auto', 'vu', 'shared']).optional(),
  env: z.record(z.string(), z.string()).optional(),
  outDir: z.string().optional(),
  lighthouse: z
    .strictObject({
      enabled: z.boolean().optional(),
      runs: z.number().int().min(1).max(15).optional(),
      presets: z.array(presetSchema).min(1).optional(),
      pages: z.array(pageSchema).min(1).optional().meta({ description: 'Lighthouse pages, when not the `pages`' }),
    })
    .optional(),
  bundle: z.strictObject({ enabled: z.boolean().optional(), stats: z.string().optional() }).optional(),
  browserUnderLoad: z
    .strictObject({ enabled: z.boolean().optional(), intervalMs: z.number().int().min(500).optional() })
    .optional(),
  allowNonLoopback: z.literal(false).optional(),
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
