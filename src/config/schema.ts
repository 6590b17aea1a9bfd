import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Problem } from './diagnostics.js';
import { childPointer } from './pointer.js';
import { didYouMean } from './suggest.js';
// Compiled from schema/streamform.schema.json by `npm run schema`, so no run pays for compiling it.
import { validate as generatedValidator } from './validator.generated.js';

const check = generatedValidator as unknown as ValidateFunction;

/** Every way `value` (one file's data) breaks the schema, as messages for people. */
export function schemaProblems(value: unknown): Problem[] {
  if (check(value)) return [];
  const errors = check.errors ?? [];
  // A nullable property is anyOf [T, null]; its failure reads "expected T or null", once.
  const nullable = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const rules = errors.filter((e) => e.keyword === 'if');
  const problems: Problem[] = [];
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'propertyNames') continue;
    if (error.keyword === 'type' && error.params.type === 'null' && nullable.has(error.instancePath)) continue;
    if (rules.some((rule) => isInside(error, rule))) continue;
    problems.push(error.keyword === 'if' ? ruleProblem(error, errors) : problem(error, nullable.has(error.instancePath)));
  }
  return problems;
}

/** Whether `error` comes from the `then` of a failed rule, which is reported once, as the rule. */
function isInside(error: ErrorObject, rule: ErrorObject): boolean {
  const then = rule.schemaPath.replace(/\/if$/, '/then/');
  return error !== rule && error.schemaPath.startsWith(then) && error.instancePath.startsWith(rule.instancePath);
}

/**
 * A cross-field rule; its schema's description is the message. It is placed at the outermost
 * violation: the property that is not allowed, the list that lacks an element, or the object
 * that lacks a property.
 */
function ruleProblem(rule: ErrorObject, errors: ErrorObject[]): Problem {
  const inner = errors.filter((e) => isInside(e, rule)).sort((a, b) => a.instancePath.length - b.instancePath.length)[0];
  const message = (rule.parentSchema as { description: string }).description;
  if (!inner) return { pointer: rule.instancePath, message };
  if (inner.keyword === 'required') return { pointer: childPointer(inner.instancePath, inner.params.missingProperty as string), message };
  return { pointer: inner.instancePath, key: inner.keyword === 'false schema', message };
}

function problem(error: ErrorObject, nullable: boolean): Problem {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const found = describe(error.data);
  if (error.propertyName !== undefined) {
    return { pointer: childPointer(at, error.propertyName), key: true, message: expectation(error).replace('a value', 'a key') };
  }
  switch (error.keyword) {
    case 'required':
      return { pointer: childPointer(at, params.missingProperty as string), message: 'required property is missing' };
    case 'additionalProperties': {
      const key = params.additionalProperty as string;
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const hint = didYouMean(key, known) || (known.length ? ` (expected one of ${known.join(', ')})` : '');
      return { pointer: childPointer(at, key), key: true, message: `unknown property${hint}` };
    }
    case 'type': {
      const expected = String(params.type).split(',').concat(nullable ? ['null'] : []);
      return { pointer: at, message: `expected ${expected.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}, found ${found}${typeHint(expected, error.data)}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : '';
      return { pointer: at, message: `expected one of ${allowed.join(', ')}, found ${found}${hint}` };
    }
    case 'const':
      return { pointer: at, message: `expected ${JSON.stringify(params.allowedValue)}, found ${found}` };
    case 'false schema':
      return { pointer: at, key: true, message: 'is not allowed here' };
    default:
      return { pointer: at, message: `${expectation(error)}, found ${measure(error) ?? found}` };
  }
}

/** For a size limit, the size found. */
function measure(error: ErrorObject): string | undefined {
  const count = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;
  const value = error.data;
  if (typeof value === 'string' && /Length$/.test(error.keyword)) return value === '' ? 'an empty string' : count([...value].length, 'character');
  if (Array.isArray(value) && /Items$/.test(error.keyword)) return count(value.length, 'item');
  if (isObject(value) && /Properties$/.test(error.keyword)) return count(Object.keys(value).length, 'entry', 'entries');
  return undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a length, size, range or pattern keyword asks for. */
function expectation(error: ErrorObject): string {
  const limit = (error.params as { limit?: number }).limit;
  const unit = (noun: string) => `${limit} ${noun}${limit === 1 ? '' : 's'}`;
  switch (error.keyword) {
    case 'minLength':
      return `expected at least ${unit('character')}`;
    case 'maxLength':
      return `expected at most ${unit('character')}`;
    case 'minItems':
      return `expected at least ${unit('item')}`;
    case 'maxItems':
      return `expected at most ${unit('item')}`;
    case 'maxProperties':
      return `expected at most ${limit} entries`;
    case 'minimum':
      return `expected at least ${limit}`;
    case 'maximum':
      return `expected at most ${limit}`;
    case 'pattern':
      return `expected a value matching ${(error.params as { pattern: string }).pattern}`;
    default:
      return error.message ?? error.keyword;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  null: 'null',
};

/** The value as a message quotes it. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `the ${typeof value} ${String(value)}`;
}

/** The YAML slips behind most type errors: unquoted IDs read as numbers, YAML 1.1 booleans. */
function typeHint(expected: string[], value: unknown): string {
  if (expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) return '; put it in quotes to make it a string';
  if (expected.includes('boolean') && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)) return '; YAML 1.2 reads this as a string, write true or false';
  return '';
}
