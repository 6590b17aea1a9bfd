/** Every kind in the registry is whole: a half-added kind fails here, loudly, naming what it lacks. */
import { describe, expect, test } from 'vitest';
import schema from '../../schema/streamform.schema.json' with { type: 'json' };
import { appstreamHandlers } from '../../src/emulator/appstream.js';
import { nimbleHandlers } from '../../src/emulator/nimble.js';
import { KINDS, kindNamed, kindOfAddress } from '../../src/kinds/index.js';

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: { $ref?: string }; $defs?: Record<string, JsonSchema> };
const root = schema as unknown as JsonSchema;
const EMULATED: Record<string, Record<string, unknown>> = { appstream: appstreamHandlers, nimble: nimbleHandlers };

/** The properties of a kind's schema section (the definition its list's items refer to). */
/** The properties of a kind's schema section, but Targets, which the loader reads and no kind sees. */
function sectionProperties(list: string): string[] {
  const ref = root.properties?.[list]?.items?.$ref;
  const definition = ref ? root.$defs?.[ref.replace('#/$defs/', '')] : undefined;
  return Object.keys(definition?.properties ?? {}).filter((property) => property !== 'Targets');
}

describe.each(KINDS.map((kind) => [kind.name, kind] as const))('kind %s', (_, kind) => {
  test('has a schema section for its list', () => {
    expect(root.properties).toHaveProperty(kind.list);
    expect(sectionProperties(kind.list)).toEqual(expect.arrayContaining([...kind.identity]));
  });

  test('has an attribute table entry for every property of its schema section but its identity', () => {
    const missing = sectionProperties(kind.list).filter((property) => !kind.identity.includes(property) && !(property in kind.attributes));
    expect(missing).toEqual([]);
  });

  test('has an emulator resource serving every operation it sends', () => {
    const served = EMULATED[kind.service];
    expect(kind.operations.filter((operation) => !Object.hasOwn(served, operation))).toEqual([]);
  });

  test('has describe, plan, configdiff and import entries, and waiters that poll its own operations', () => {
    expect(typeof kind.describe.list).toBe('function');
    expect(typeof kind.plan).toBe('function');
    expect(typeof kind.declaredValues).toBe('function');
    expect(typeof kind.import).toBe('function');
    expect(typeof kind.importDescribe).toBe('function');
    for (const waiter of Object.values(kind.waiters ?? {})) expect(kind.operations).toContain(waiter.operation);
    if (kind.retry?.visibilityProbe) expect(kind.operations).toContain(kind.retry.visibilityProbe(`${kind.name}/x`).operation);
  });

  test('is found by its name and by its addresses', () => {
    expect(kindNamed(kind.name)).toBe(kind);
    expect(kindOfAddress(`${kind.name}/${kind.identity.map(() => 'x').join('/')}`)).toBe(kind);
  });
});

test('kind names, lists and tagging resource types are unique', () => {
  for (const key of ['name', 'list'] as const) expect(new Set(KINDS.map((kind) => kind[key])).size).toBe(KINDS.length);
  const types = KINDS.flatMap((kind) => (kind.describe.tags ? [kind.describe.tags.resourceType] : []));
  expect(new Set(types).size).toBe(types.length);
});
