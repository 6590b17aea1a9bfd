/**
 * The service facts (src/facts/*.json, extracted from the official models) and a generic walker
 * that checks a value against a shape: required members, lengths, ranges, list and map sizes,
 * patterns, enums and types. The emulator is the only guard (clients validate nothing), so every
 * request goes through here, and so does the state file.
 */
import appstreamFacts from '../facts/appstream.json' with { type: 'json' };
import nimbleFacts from '../facts/nimble.json' with { type: 'json' };
import stsFacts from '../facts/sts.json' with { type: 'json' };
import taggingFacts from '../facts/tagging.json' with { type: 'json' };

export interface MemberRef {
  shape: string;
  location?: string;
  locationName?: string;
}

export interface Shape {
  type: string;
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: string;
  key?: string;
  value?: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  /** `code` is the wire name of a query-protocol error when it differs from the shape's. */
  error?: { httpStatusCode?: number; code?: string };
}

export interface Operation {
  http?: { method: string; requestUri: string; responseCode?: number };
  input?: string;
  output?: string;
  errors?: string[];
}

export interface Facts {
  metadata?: { apiVersion?: string; protocol?: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

export const facts = {
  appstream: appstreamFacts as Facts,
  nimble: nimbleFacts as Facts,
  tagging: taggingFacts as Facts,
  sts: stsFacts as Facts,
};

/** One broken constraint. `path` names members by their model name; numbers are list positions. */
export interface Violation {
  path: (string | number)[];
  value: unknown;
  constraint: string;
}

export interface ValidateOptions {
  /** The state file may spell timestamps as ISO strings. */
  textTimestamps?: boolean;
  /** The state file rejects unknown members (they are typos); requests ignore them as services do. */
  rejectUnknown?: boolean;
}

const patterns = new Map<string, RegExp>();

/** Model patterns use \p{…} (needs the `u` flag); a few use escapes that only non-`u` mode accepts. */
function compile(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = new RegExp(pattern);
    }
    patterns.set(pattern, re);
  }
  return re;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validate(model: Facts, shapeName: string, value: unknown, options: ValidateOptions = {}): Violation[] {
  const out: Violation[] = [];
  const fail = (path: (string | number)[], v: unknown, constraint: string) => out.push({ path, value: v, constraint });

  const sizeChecks = (shape: Shape, size: number, path: (string | number)[], v: unknown, unit: 'length' | 'value') => {
    if (shape.min !== undefined && size < shape.min) fail(path, v, `Member must have ${unit} greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && size > shape.max) fail(path, v, `Member must have ${unit} less than or equal to ${shape.max}`);
  };

  const walk = (name: string, v: unknown, path: (string | number)[]): void => {
    const shape = model.shapes[name];
    switch (shape.type) {
      case 'structure': {
        if (!isObject(v)) return void fail(path, v, 'Member must be a structure');
        for (const req of shape.required ?? []) {
          if (v[req] === undefined || v[req] === null) fail([...path, req], null, 'Member must not be null');
        }
        for (const [key, child] of Object.entries(v)) {
          const ref = shape.members?.[key];
          if (!ref) {
            if (options.rejectUnknown) fail([...path, key], child, 'Member is not part of the model');
          } else if (child !== undefined && child !== null) {
            walk(ref.shape, child, [...path, key]);
          }
        }
        return;
      }
      case 'list': {
        if (!Array.isArray(v)) return void fail(path, v, 'Member must be a list');
        sizeChecks(shape, v.length, path, v, 'length');
        v.forEach((item, i) => (item === null ? fail([...path, i], null, 'Member must not be null') : walk(shape.member!, item, [...path, i])));
        return;
      }
      case 'map': {
        if (!isObject(v)) return void fail(path, v, 'Member must be a map');
        sizeChecks(shape, Object.keys(v).length, path, v, 'length');
        for (const [key, item] of Object.entries(v)) {
          for (const k of validate(model, shape.key!, key, options)) fail(path, key, `Map keys must satisfy constraint: [${k.constraint}]`);
          for (const k of validate(model, shape.value!, item, options)) fail([...path, key, ...k.path], k.value, k.constraint);
        }
        return;
      }
      case 'string': {
        if (typeof v !== 'string') return void fail(path, v, 'Member must be a string');
        if (shape.enum && !shape.enum.includes(v)) return void fail(path, v, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
        sizeChecks(shape, [...v].length, path, v, 'length');
        if (shape.pattern && !compile(shape.pattern).test(v)) fail(path, v, `Member must satisfy regular expression pattern: ${shape.pattern}`);
        return;
      }
      case 'integer':
      case 'long':
        if (typeof v !== 'number' || !Number.isInteger(v)) return void fail(path, v, 'Member must be an integer');
        return sizeChecks(shape, v, path, v, 'value');
      case 'double':
      case 'float':
        if (typeof v !== 'number') return void fail(path, v, 'Member must be a number');
        return sizeChecks(shape, v, path, v, 'value');
      case 'boolean':
        if (typeof v !== 'boolean') fail(path, v, 'Member must be a boolean');
        return;
      case 'timestamp':
        if (typeof v === 'number' && Number.isFinite(v)) return;
        if (options.textTimestamps && typeof v === 'string' && !Number.isNaN(Date.parse(v))) return;
        fail(path, v, options.textTimestamps ? 'Member must be a date (ISO 8601) or epoch seconds' : 'Member must be epoch seconds');
        return;
      default:
        return;
    }
  };

  walk(shapeName, value, []);
  return out;
}

/** Copies `value` shape by shape: `leaf` rewrites scalars; members the shape does not model are kept or dropped. */
function rebuild(model: Facts, shapeName: string, value: unknown, leaf: (shape: Shape, v: unknown) => unknown, keepUnknown: boolean): unknown {
  const shape = model.shapes[shapeName];
  if (value === null || value === undefined || !shape) return value;
  const again = (name: string, v: unknown) => rebuild(model, name, v, leaf, keepUnknown);
  switch (shape.type) {
    case 'structure':
      if (!isObject(value)) return value;
      return Object.fromEntries(
        Object.entries(value).flatMap(([k, v]) => {
          const ref = shape.members?.[k];
          if (ref) return [[k, again(ref.shape, v)]];
          return keepUnknown ? [[k, v]] : [];
        }),
      );
    case 'list':
      return Array.isArray(value) ? value.map((item) => again(shape.member!, item)) : value;
    case 'map':
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, again(shape.value!, v)])) : value;
    default:
      return leaf(shape, value);
  }
}

/** Copies `value`, turning every timestamp member given as text into epoch seconds (the awsJson wire form). */
export function epochTimestamps(model: Facts, shapeName: string, value: unknown): unknown {
  return rebuild(model, shapeName, value, (shape, v) => (shape.type === 'timestamp' && typeof v === 'string' ? Date.parse(v) / 1000 : v), true);
}

/**
 * Copies a request keeping only the members its shape models, at every depth. AWS JSON services
 * ignore unknown members rather than reject them, so they must not reach what the emulator stores
 * (`Tags` or `Arn` sent to UpdateStack change nothing).
 */
export function modelledOnly(model: Facts, shapeName: string, value: unknown): unknown {
  return rebuild(model, shapeName, value, (_, v) => v, false);
}

/** Coral's wording, which AWS services use for constraint violations. Member names start lower-case there. */
export function validationMessage(violations: Violation[]): string {
  const where = (path: (string | number)[]) =>
    path.map((p) => (typeof p === 'number' ? `${p + 1}.member` : p.charAt(0).toLowerCase() + p.slice(1))).join('.');
  const show = (v: unknown) => (v === null || v === undefined ? 'null' : typeof v === 'string' ? `'${v}'` : JSON.stringify(v));
  const parts = violations.map((v) => `Value ${show(v.value)} at '${where(v.path)}' failed to satisfy constraint: ${v.constraint}`);
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}
