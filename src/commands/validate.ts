import { KINDS } from '../kinds/index.js';
import { fileOptions, parseFlags } from '../cli/args.js';
import { configPaths, loadConfig } from '../config/load.js';
import { plural } from '../shared/vocabulary.js';

const HELP = `Usage: streamform validate [-f FILE|DIR]...

Checks a config against the schema and streamform's rules, without calling AWS.
Prints "ok" with what the config declares, or every problem as
file:line:column: path: message.

Options:
  -f, --file FILE|DIR   config file or folder (repeatable; a folder means all its
                        *.yaml and *.yml files; default streamform.yaml)

Exit codes: 0 valid, 1 problems found.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('validate', argv, fileOptions);
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const paths = configPaths('validate', values.file);
  // A wrong config throws: the CLI lists every problem, as for every command that loads one.
  const { config, files } = await loadConfig(paths);
  const counts = KINDS.map((kind) => plural((config as unknown as Record<string, unknown[] | undefined>)[kind.list]?.length ?? 0, kind.noun, kind.plural));
  process.stdout.write(`ok: ${counts.join(', ')} in ${plural(files.length, 'file')}\n`);
  return 0;
}
