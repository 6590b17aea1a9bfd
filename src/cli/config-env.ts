import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandModule } from './commands.js';
import { UserError } from '../core/errors.js';
import { commandFlags } from './flags.js';

/**
 * STREAMFORM_CONFIG is the default of `-f`: config files or folders separated like PATH (`:`, or
 * `;` on Windows). It applies to a command that reads a config (has `-f`) and was given neither
 * `-f` nor an argument, which for `apply` is a saved plan that names its own config.
 */
export async function withConfigFromEnvironment(command: string, argv: string[], module: CommandModule, value: string): Promise<string[]> {
  const { options } = await commandFlags(module);
  if (options.file === undefined) return argv;
  // Not strict: a wrong flag is the command's to report, with its own message.
  const { values, positionals } = parseArgs({ args: argv, options, strict: false, allowPositionals: true });
  if (values.file !== undefined || values.help || positionals.length > 0) return argv;
  const paths = value.split(delimiter).filter((path) => path !== '');
  for (const path of paths) {
    if (!existsSync(path)) throw new UserError(`${command}: STREAMFORM_CONFIG names ${path}, which does not exist`);
  }
  return [...paths.flatMap((path) => ['-f', path]), ...argv];
}
