/**
 * The merge of the targets' imports, checked as `validate` checks a config (the loader itself, on
 * the merged config in a scratch file): a resource whose merged declaration breaks the schema or a
 * rule in some target is declared once per target instead, and said. Each target's own import is
 * valid, so only what the merge adds can break (a default filled in where the kind does not take it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/diagnostics.js';
import { loadTargets } from '../config/load.js';
import { displayPath, pointerOf, segmentsOf } from '../config/pointer.js';
import type { Config } from '../config/types.js';
import { addressOf, KINDS } from '../kinds/index.js';
import type { ImportResult } from './build.js';
import { mergeImports, type TargetImport } from './merge.js';

export async function validMerge(imports: readonly TargetImport[], project: string): Promise<ImportResult> {
  const refused = new Map<string, string>();
  for (;;) {
    const result = mergeImports(imports, project, refused);
    const fresh = [...(await problemsByResource(result.config))].filter(([address]) => !refused.has(address));
    if (fresh.length === 0) return result;
    for (const [address, message] of fresh) refused.set(address, message);
  }
}

/** The first problem of each resource that has one, by address. */
async function problemsByResource(config: Config): Promise<Map<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'streamform-import-'));
  try {
    // JSON is YAML: the loader reads it as the written file would be read.
    const file = join(dir, 'merged.yaml');
    await writeFile(file, JSON.stringify(config));
    await loadTargets([file]);
    return new Map();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const found = new Map<string, string>();
    for (const { path, message } of error.diagnostics) {
      const at = resourceAt(config, path);
      if (at && !found.has(at.address)) found.set(at.address, `${at.member ? `${at.member}: ` : ''}${message}`);
    }
    return found;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The address of the resource a pointer is in, if it is in one, and the member in it. */
function resourceAt(config: Config, pointer: string): { address: string; member: string } | undefined {
  const [list, ...rest] = segmentsOf(pointer);
  const kind = KINDS.find((k) => k.list === list);
  if (!kind) return undefined;
  const declared = (config as unknown as Record<string, unknown>)[kind.list];
  const resource = (kind.singleton ? declared : (declared as unknown[] | undefined)?.[Number(rest.shift())]) as Record<string, unknown> | undefined;
  return resource && { address: addressOf(kind, (member) => resource[member]), member: displayPath(pointerOf(rest)) };
}
