import { choiceFlag, fileOptions, parseFlags, targetOptions } from '../cli/args.js';
import { ConfigError, type ConfigDiagnostic } from '../config/diagnostics.js';
import { configPaths, loadTargets, type LoadedTarget } from '../config/load.js';
import { displayPath } from '../config/pointer.js';
import type { LoadedConfig } from '../config/types.js';
import { declarationsOf, KINDS } from '../kinds/index.js';
import { plural } from '../core/vocabulary.js';

const HELP = `Usage: streamform validate [-f FILE|DIR]... [--format text|json]

Checks a config against the schema and streamform's rules, without calling AWS.
Prints "ok" with what the config declares, or every problem as
file:line:column: path: message.

Options:
  -f, --file FILE|DIR   config file or folder (repeatable; a folder means all its
                        *.yaml and *.yml files; default $STREAMFORM_CONFIG, then
                        streamform.yaml)
  --format FORMAT       text (default) or json: {formatVersion, valid, project, files,
                        summary, diagnostics: [{severity, file, line, column, path,
                        pointer, message}]} on stdout, also when the config is wrong

Exit codes: 0 valid, 1 problems found.`;

const FORMATS = ['text', 'json'] as const;
/** Changes whenever a consumer of the JSON would have to adapt. */
const FORMAT_VERSION = '1';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('validate', argv, { ...fileOptions, ...targetOptions, format: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = choiceFlag('validate', 'format', values.format, FORMATS) ?? 'text';
  const paths = configPaths('validate', values.file);
  if (format === 'json') return validateJson(paths, values.target);
  // A wrong config throws: the CLI lists every problem, as for every command that loads one.
  const targets = await loadTargets(paths, values.target);
  const { files } = targets[0].loaded;
  const declared = targets.map(({ target, loaded }) => `${target ? `${target.name}: ` : ''}${declaredText(loaded.config)}`);
  const where = targets[0].target ? ` for ${plural(targets.length, 'target')} (${declared.join('; ')})` : `: ${declared[0]}`;
  process.stdout.write(`ok${where} in ${plural(files.length, 'file')}\n`);
  return 0;
}

/** What the config declares, kind by kind; kinds it does not use are not listed. */
function declaredText(config: LoadedConfig['config']): string {
  const counts = KINDS.map((kind) => [kind, declarationsOf(kind, config).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => plural(count, kind.noun, kind.plural));
  return counts.join(', ') || 'nothing declared';
}

/**
 * The result for programs (a CI step turning problems into a comment or annotations). A problem
 * that is not in a file (a path that does not exist) stays a one-line error on stderr.
 */
async function validateJson(paths: string[], only: string[] | undefined): Promise<number> {
  let targets: LoadedTarget[];
  try {
    targets = await loadTargets(paths, only);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    write({ formatVersion: FORMAT_VERSION, valid: false, diagnostics: error.diagnostics.map(diagnosticJson) });
    process.stderr.write(`streamform: validate: ${plural(error.diagnostics.length, 'error')} in the config\n`);
    return 1;
  }
  const { config, files } = targets[0].loaded;
  const summaryOf = (declared: LoadedConfig['config']) => Object.fromEntries(KINDS.map((kind) => [kind.list, declarationsOf(kind, declared).length]));
  const perTarget = targets[0].target ? { targets: targets.map(({ target, loaded }) => ({ name: target!.name, region: target!.region, summary: summaryOf(loaded.config) })) } : {};
  write({ formatVersion: FORMAT_VERSION, valid: true, project: config.project, files, summary: summaryOf(config), ...perTarget, diagnostics: [] });
  return 0;
}

function diagnosticJson({ file, line, column, path, message }: ConfigDiagnostic) {
  return { severity: 'error', file, line, column, path: displayPath(path), pointer: path, message };
}

function write(result: object): void {
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
