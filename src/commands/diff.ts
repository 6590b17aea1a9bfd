import { choiceFlag, parseFlags } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import { ConfigError } from '../config/diagnostics.js';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { compareConfigs, hasConfigChanges } from '../configdiff/compare.js';
import { renderConfigDiffJson, renderConfigDiffMarkdown, renderConfigDiffText } from '../configdiff/render.js';

const HELP = `Usage: streamform diff BASE HEAD [--format text|json|markdown] [--detailed-exitcode]

Compares two configs (files or folders, e.g. the base branch checked out beside a
pull request) without any AWS access, and prints the semantic change per resource
and attribute. Values are compared the way plan compares them: reordered lists that
are sets, reformatted YAML and resources moved between files are "No changes.".
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
  const diff = compareConfigs(base, head);
  process.stdout.write(RENDERERS[format](diff));
  return values['detailed-exitcode'] && hasConfigChanges(diff) ? 2 : 0;
}

/** Both configs, or every problem of both: a reviewer fixing one should not meet the other's next. */
async function loadBoth(base: string, head: string): Promise<[LoadedConfig, LoadedConfig]> {
  const [a, b] = await Promise.allSettled([loadConfig([base]), loadConfig([head])]);
  if (a.status === 'fulfilled' && b.status === 'fulfilled') return [a.value, b.value];
  const failures = [a, b].flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.every((error) => error instanceof ConfigError)) throw new ConfigError(failures.flatMap((error) => (error as ConfigError).diagnostics));
  throw failures.find((error) => !(error instanceof ConfigError));
}
