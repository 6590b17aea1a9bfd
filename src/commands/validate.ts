import { fileOptions, parseFlags } from '../cli/args.js';
import { configPaths, loadConfig } from '../config/load.js';
import { plural } from '../ui/format.js';

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
  const counts = [
    plural(config.stacks?.length ?? 0, 'stack'),
    plural(config.images?.length ?? 0, 'image'),
    plural(config.streamingImages?.length ?? 0, 'streaming image'),
  ];
  process.stdout.write(`ok: ${counts.join(', ')} in ${plural(files.length, 'file')}\n`);
  return 0;
}
