/** Phases from dependencies: creates and updates after what they depend on, deletes before it. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ResourcePlan } from '../../src/kinds/resource.js';
import { phasesOf, sequence } from '../../src/plan/build.js';
import type { Action } from '../../src/core/plan.js';

function resource(address: string, action: Action, dependsOn: string[]): ResourcePlan {
  return {
    change: { address, kind: 'stack', action, drift: false, adopt: false, reasonCode: 'update', dependsOn, diffs: [], liveDigest: null },
    calls: [{ service: 'appstream', operation: action === 'delete' ? 'DeleteStack' : 'UpdateStack', input: { Name: address } }],
    diagnostics: [],
  };
}

/** Acyclic graphs: a resource depends only on resources listed before it. */
const acyclic = fc
  .array(fc.constantFrom<Action>('create', 'update', 'replace', 'delete', 'no-op'), { minLength: 1, maxLength: 12 })
  .chain((actions) =>
    fc.tuple(
      fc.constant(actions),
      fc.tuple(...actions.map((_, i) => fc.subarray(actions.slice(0, i).map((__, j) => `stack/r${j}`)))),
    ),
  )
  .map(([actions, deps]) => actions.map((action, i) => resource(`stack/r${i}`, action, deps[i])));

describe('phases from dependencies', () => {
  test('every dependency comes first on create and update, and last on delete; deletes run after everything else', () => {
    fc.assert(
      fc.property(acyclic, (resources) => {
        const { phases, cycle } = phasesOf(resources);
        expect(cycle).toEqual([]);
        const action = new Map(resources.map((r) => [r.change.address, r.change.action]));
        const maxNonDelete = Math.max(-1, ...resources.filter((r) => r.change.action !== 'delete').map((r) => phases.get(r.change.address)!));
        for (const { change } of resources) {
          const phase = phases.get(change.address)!;
          if (change.action === 'delete') expect(phase).toBeGreaterThan(maxNonDelete);
          for (const dep of change.dependsOn) {
            if (change.action !== 'delete' && action.get(dep) !== 'delete') expect(phases.get(dep)!).toBeLessThan(phase);
            if (change.action === 'delete' && action.get(dep) === 'delete') expect(phases.get(dep)!).toBeGreaterThan(phase);
          }
        }
      }),
    );
  });

  test('calls are numbered in execution order, phases never go back, and a resource keeps its calls in order', () => {
    fc.assert(
      fc.property(acyclic, (resources) => {
        const { calls, diagnostics } = sequence(resources);
        expect(diagnostics).toEqual([]);
        expect(calls.map((c) => c.id)).toEqual(calls.map((_, i) => i + 1));
        for (let i = 1; i < calls.length; i++) expect(calls[i].phase).toBeGreaterThanOrEqual(calls[i - 1].phase);
        expect(calls).toHaveLength(resources.length);
      }),
    );
  });

  test('a cycle is an error naming its addresses, and its resources get no calls', () => {
    const resources = [resource('stack/a', 'create', ['stack/b']), resource('stack/b', 'create', ['stack/a']), resource('stack/c', 'update', [])];
    const { calls, diagnostics } = sequence(resources);
    expect(diagnostics).toEqual([{ severity: 'error', message: expect.stringMatching(/^dependency cycle: stack\/a → stack\/b → stack\/a;/) }]);
    expect(calls.map((c) => c.address)).toEqual(['stack/c']);
  });

  test('a cycle among deletes is found too', () => {
    const { cycle } = phasesOf([resource('stack/a', 'delete', ['stack/b']), resource('stack/b', 'delete', ['stack/a'])]);
    expect(cycle.length).toBeGreaterThan(0);
  });

  test('without dependencies, creates and updates share phase 0 and deletes phase 1, deletes in reverse address order', () => {
    const { calls } = sequence([resource('stack/a', 'delete', []), resource('stack/b', 'delete', []), resource('stack/c', 'create', [])]);
    expect(calls.map((c) => `${c.phase} ${c.address}`)).toEqual(['0 stack/c', '1 stack/b', '1 stack/a']);
  });
});
