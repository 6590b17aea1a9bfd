/**
 * The import graph keeps the pipeline's direction: no folder imports from a folder above it, kinds
 * import no stage and no other kind, and the emulator shares only the services' facts (and the
 * vocabulary of errors) with the product, so that it stays an independent check of it. Type-only
 * imports are left out: they vanish at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

/** Lower ranks are nearer the ground; a folder may import from its own rank and below. */
const RANK: Record<string, number> = {
  core: 0,
  facts: 0,
  normalize: 1,
  diff: 1,
  aws: 1,
  kinds: 2,
  config: 3,
  describe: 4,
  plan: 5,
  apply: 6,
  render: 6,
  configdiff: 7,
  import: 7,
  drift: 7,
  // The CLI's flag parser, terminal checks and failure reports serve the views and commands; its entry point is on top.
  cli: 8,
  ui: 8,
  commands: 9,
  main: 10,
};
const EMULATOR_MAY_IMPORT = new Set(['emulator', 'facts']);
/** The one error type that becomes a one-line message, which the emulator's command raises too. */
const EMULATOR_MAY_ALSO_IMPORT = new Set(['core/errors.js']);

const SRC = resolve('src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Relative value imports of a file (static and dynamic), as paths under src. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm)].map((m) => m[1]),
    ...[...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1]),
  ];
  return specs.map((spec) => relative(SRC, resolve(dirname(file), spec)));
}

/** The entry point and the command list it dispatches on sit above the commands. */
const ENTRY = new Set(['cli/main.ts', 'cli/commands.ts']);
const folderOf = (path: string) => (ENTRY.has(path) ? 'main' : path.split('/')[0]);
/** "kinds/stack" for a kind's own folder, "kinds" for the registry and what kinds share. */
const kindFolder = (path: string) => (path.split('/').length > 2 ? path.split('/').slice(0, 2).join('/') : 'kinds');

const edges = sources(SRC).flatMap((file) => valueImports(file).map((to) => ({ from: relative(SRC, file), to })));

describe('the import graph', () => {
  test('reads every source file and finds imports (the check is not vacuous)', () => {
    expect(edges.length).toBeGreaterThan(200);
    const folders = new Set(sources(SRC).map((file) => folderOf(relative(SRC, file))));
    folders.delete('emulator');
    expect(Object.keys(RANK).sort()).toEqual([...folders, 'facts'].sort());
  });

  test('no folder imports from a folder above it in the pipeline', () => {
    const upward = edges.filter(({ from, to }) => folderOf(from) !== 'emulator' && RANK[folderOf(to)] > RANK[folderOf(from)]);
    expect(upward.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  test('a kind imports no other kind, and the registry is imported only through its index', () => {
    const crossing = edges.filter(({ from, to }) => {
      if (folderOf(from) !== 'kinds' || folderOf(to) !== 'kinds') return false;
      const own = kindFolder(from);
      const target = kindFolder(to);
      return own !== 'kinds' && target !== 'kinds' && own !== target;
    });
    expect(crossing.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  test('the emulator imports nothing of the product but the services\' facts', () => {
    const leaks = edges.filter(({ from, to }) => folderOf(from) === 'emulator' && !EMULATOR_MAY_IMPORT.has(folderOf(to)) && !EMULATOR_MAY_ALSO_IMPORT.has(to));
    expect(leaks.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  test('describe does not import the planner', () => {
    expect(edges.filter(({ from, to }) => folderOf(from) === 'describe' && folderOf(to) === 'plan')).toEqual([]);
  });
});
