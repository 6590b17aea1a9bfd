import { choiceFlag, parseFlags } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import { ConfigError } from '../config/diagnostics.js';
import { loadTargets, type LoadedTarget } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { compareConfigs, hasConfigChanges, type ConfigDiff } from '../configdiff/compare.js';
import { renderConfigDiffJson, renderConfigDiffMarkdown, renderConfigDiffText } from '../configdiff/render.js';

const HELP = `Usage: streamform diff BASE HEAD [--format text|json|markdown] [--detailed-exitcode]

Compares two configs (files or folders, e.g. the base branch checked out beside a
pull request) without any AWS access, and prints the semantic change per resource
and attribute, target by target for configs of targets (us-prod:stack/design).
Values are compared the way plan compares them: reordered lists that are sets,
reformatted YAML and resources moved between files are "No changes.".
An attribute that is left out (not managed) differs from one set to null (cleared).

Options:
  --format FORMAT       text (default), json or markdown (for a pull-request comment)
  --detailed-exitcode   exit 2 when the configs differ, 0 when they do not

Exit codes: 0 no changes (or any changes, without --detailed-exitcode), 1 error,
2 changes with --detailed-exitcode.`;

const FORMATS = ['text', 'json', 'markdown'] as const;
const RENDERERS = { text: renderConfigDiffText, json: renderConfigDiffJson, markdown: renderConfigDiffMarkdown };

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'diff',
    argv,
    { format: { type: 'string' }, 'detailed-exitcode': { type: 'boolean' } },
    true,
  );
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = choiceFlag('diff', 'format', values.format, FORMATS) ?? 'text';
  if (positionals.length !== 2) {
    throw new UserError(`diff: expected two configs, BASE and HEAD, got ${positionals.length} (see 'streamform diff --help')`);
  }
  const [base, head] = await loadBoth(positionals[0], positionals[1]);
  const diff = compareTargets(base, head);
  process.stdout.write(RENDERERS[format](diff));
  return values['detailed-exitcode'] && hasConfigChanges(diff) ? 2 : 0;
}

/**
 * Configs of targets compared target by target, each address naming its target. A side without
 * targets stands for each target of the other (a config moving to targets); a target on one side
 * alone is compared with nothing declared.
 */
function compareTargets(base: LoadedTarget[], head: LoadedTarget[]): ConfigDiff {
  const named = (side: LoadedTarget[]) => side.filter(({ target }) => target !== undefined).map(({ target }) => target!.name);
  const names = [...new Set([...named(base), ...named(head)])];
  if (names.length === 0) return compareConfigs(base[0].loaded, head[0].loaded);
  const sideFor = (side: LoadedTarget[], name: string, other: LoadedTarget[]): LoadedConfig => {
    if (!side[0].target) return side[0].loaded;
    const found = side.find(({ target }) => target!.name === name);
    if (found) return found.loaded;
    const { loaded } = side[0];
    const region = other.find(({ target }) => target?.name === name)?.target?.region;
    return { ...loaded, config: { version: loaded.config.version, project: loaded.config.project, ...(region ? { region } : {}) } };
  };
  const diffs = names.map((name) => {
    const diff = compareConfigs(sideFor(base, name, head), sideFor(head, name, base));
    const at = (address: string) => `${name}:${address}`;
    return { ...diff, settings: diff.settings.map((d) => ({ ...d, path: `${name}: ${d.path}` })), changes: diff.changes.map((c) => ({ ...c, address: at(c.address) })) };
  });
  const summary = { added: 0, changed: 0, replaced: 0, removed: 0 };
  for (const diff of diffs) for (const key of Object.keys(summary) as (keyof typeof summary)[]) summary[key] += diff.summary[key];
  return { ...diffs[0], settings: diffs.flatMap((d) => d.settings), changes: diffs.flatMap((d) => d.changes), summary };
}

/** Both configs, or every problem of both: a reviewer fixing one should not meet the other's next. */
async function loadBoth(base: string, head: string): Promise<[LoadedTarget[], LoadedTarget[]]> {
  const [a, b] = await Promise.allSettled([loadTargets([base]), loadTargets([head])]);
  if (a.status === 'fulfilled' && b.status === 'fulfilled') return [a.value, b.value];
  const failures = [a, b].flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.every((error) => error instanceof ConfigError)) throw new ConfigError(failures.flatMap((error) => (error as ConfigError).diagnostics));
  throw failures.find((error) => !(error instanceof ConfigError));
}
