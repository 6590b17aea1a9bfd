import { fileOptions, parseFlags } from '../cli/args.js';
import { ConfigError, formatDiagnostic } from '../config/diagnostics.js';
import { configPaths, loadConfig } from '../config/load.js';

const HELP = `Usage: streamform validate [-f FILE|DIR]...

Checks a config against the schema and streamform's rules, without calling AWS.
-f may be repeated; a folder means all its *.yaml and *.yml files. Without -f,
streamform.yaml in the current folder is used.

Prints "ok" with what the config declares and exits 0, or prints every problem
as file:line:column: path: message and exits 1.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('validate', argv, fileOptions);
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const paths = configPaths('validate', values.file);
  try {
    const { config, files } = await loadConfig(paths);
    const counts = [
      count(config.stacks?.length ?? 0, 'stack'),
      count(config.images?.length ?? 0, 'image'),
      count(config.streamingImages?.length ?? 0, 'streaming image'),
    ];
    process.stdout.write(`ok: ${counts.join(', ')} in ${count(files.length, 'file')}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lines = error.diagnostics.map(formatDiagnostic);
    lines.push(`${count(error.diagnostics.length, 'error')} in the config`);
    process.stderr.write(lines.join('\n') + '\n');
    return 1;
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
