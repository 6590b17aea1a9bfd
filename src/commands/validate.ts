import { choiceFlag, fileOptions, parseFlags } from '../cli/args.js';
import { ConfigError, type ConfigDiagnostic } from '../config/diagnostics.js';
import { configPaths, loadConfig } from '../config/load.js';
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
  const { values } = parseFlags('validate', argv, { ...fileOptions, format: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = choiceFlag('validate', 'format', values.format, FORMATS) ?? 'text';
  const paths = configPaths('validate', values.file);
  if (format === 'json') return validateJson(paths);
  // A wrong config throws: the CLI lists every problem, as for every command that loads one.
  const { config, files } = await loadConfig(paths);
  // What the config declares, kind by kind; kinds it does not use are not listed.
  const counts = KINDS.map((kind) => [kind, declarationsOf(kind, config).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => plural(count, kind.noun, kind.plural));
  process.stdout.write(`ok: ${counts.join(', ') || 'nothing declared'} in ${plural(files.length, 'file')}\n`);
  return 0;
}

/**
 * The result for programs (a CI step turning problems into a comment or annotations). A problem
 * that is not in a file (a path that does not exist) stays a one-line error on stderr.
 */
async function validateJson(paths: string[]): Promise<number> {
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig(paths);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    write({ formatVersion: FORMAT_VERSION, valid: false, diagnostics: error.diagnostics.map(diagnosticJson) });
    process.stderr.write(`streamform: validate: ${plural(error.diagnostics.length, 'error')} in the config\n`);
    return 1;
  }
  const { config, files } = loaded;
  const summary = { stacks: config.stacks?.length ?? 0, images: config.images?.length ?? 0, streamingImages: config.streamingImages?.length ?? 0 };
  write({ formatVersion: FORMAT_VERSION, valid: true, project: config.project, files, summary, diagnostics: [] });
  return 0;
}

function diagnosticJson({ file, line, column, path, message }: ConfigDiagnostic) {
  return { severity: 'error', file, line, column, path: displayPath(path), pointer: path, message };
}

function write(result: object): void {
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
