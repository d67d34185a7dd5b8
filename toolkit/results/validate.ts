import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** One schema problem, located by JSON pointer. */
export interface SchemaProblem {
  pointer: string;
  message: string;
}

// ajv-formats is CommonJS: under NodeNext its plugin function sits on `.default` of the module object.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => unknown }).default;

/** Compiles a JSON Schema (draft 2020-12) into a validator that reports problems by JSON pointer. */
export function compileSchema(schema: object): (data: unknown) => SchemaProblem[] {
  // verbose: errors carry their schema, so a union that no branch fits is explained by its own description.
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
  addFormats(ajv);
  const validate: ValidateFunction = ajv.compile(schema);
  return (data) => (validate(data) ? [] : describeErrors(validate.errors ?? []));
}

function describeOne(err: ErrorObject): SchemaProblem {
  const pointer = err.instancePath || '';
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties':
      return {
        pointer: `${pointer}/${escapePointer(String(p.additionalProperty))}`,
        message: `unknown key "${String(p.additionalProperty)}"`,
      };
    case 'required':
      return { pointer, message: `missing required key "${String(p.missingProperty)}"` };
    case 'enum':
      return {
        pointer,
        message: `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { pointer, message: `expected ${JSON.stringify(p.allowedValue)}` };
    case 'pattern':
      return { pointer, message: `expected a value matching ${String(p.pattern)}` };
    case 'propertyNames':
      return { pointer, message: 'has a key that is not allowed here' };
    default:
      return { pointer, message: `expected: ${err.message ?? err.keyword}` };
  }
}

/**
 * Ajv reports every failed branch of a union; people need the one that got
 * furthest. Under a union, keep the errors of the branch that reached deepest
 * into the value, or, when no branch fit at all, the union's own description.
 */
export function describeErrors(errors: ErrorObject[]): SchemaProblem[] {
  const isUnion = (e: ErrorObject): boolean => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  const unions = errors.filter(isUnion);
  const under = (e: ErrorObject, u: ErrorObject): boolean => e !== u && e.schemaPath.startsWith(u.schemaPath + '/');
  const topUnions = unions.filter((u) => !unions.some((o) => under(u, o)));
  const problems: SchemaProblem[] = errors
    .filter((e) => !isUnion(e) && e.keyword !== 'if' && !unions.some((u) => under(e, u)))
    .map(describeOne);
  for (const u of topUnions) {
    const inner = errors.filter((e) => under(e, u) && !isUnion(e) && depth(e.instancePath) > depth(u.instancePath));
    if (inner.length > 0) {
      const deepest = Math.max(...inner.map((e) => depth(e.instancePath)));
      problems.push(...inner.filter((e) => depth(e.instancePath) === deepest).map(describeOne));
    } else {
      problems.push({
        pointer: u.instancePath,
        message: unionMessage(
          u,
          errors.filter((e) => under(e, u)),
        ),
      });
    }
  }
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pointer} ${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "expected integer or null", or the union's own description when its branches differ by more than type. */
function unionMessage(u: ErrorObject, inner: ErrorObject[]): string {
  const description = (u.parentSchema as { description?: string } | undefined)?.description;
  const types = inner.every((e) => e.keyword === 'type')
    ? [...new Set(inner.map((e) => String((e.params as { type?: unknown }).type)))]
    : [];
  if (types.length > 0) return `expected ${types.join(' or ')}${description ? ` (${description})` : ''}`;
  return `expected ${description ?? 'a value of another shape'}`;
}

function depth(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length - 1;
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
