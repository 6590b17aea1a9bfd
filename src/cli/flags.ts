import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { ParseArgsConfig } from 'node:util';
import type { CommandModule } from './commands.js';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandFlags {
  /** As the command gives them to parseArgs, `--help` included. */
  options: FlagSpec;
  /** Whether the command takes arguments besides its flags. */
  positionals: boolean;
}

const util = createRequire(import.meta.url)('node:util') as { parseArgs: (config: ParseArgsConfig) => unknown };

/**
 * The flags a command accepts, read from where they are defined: the node:util parseArgs call
 * that every command makes (through parseFlags) before it does anything else. Completion scripts
 * and STREAMFORM_CONFIG derive from it, so neither can disagree with what a command accepts.
 * For the duration of the probe parseArgs records its configuration and throws, which ends the
 * command there; argv is `--help`, so a command that parsed later would only print its usage.
 */
export async function commandFlags(module: CommandModule): Promise<CommandFlags> {
  const original = util.parseArgs;
  let seen: ParseArgsConfig | undefined;
  util.parseArgs = (config) => {
    seen = config;
    throw new Error('streamform: flags probed');
  };
  syncBuiltinESMExports();
  try {
    await module.run(['--help']).catch((error: unknown) => {
      if (seen === undefined) throw error;
    });
  } finally {
    util.parseArgs = original;
    syncBuiltinESMExports();
  }
  if (seen === undefined) throw new Error('the command did not parse its flags with node:util parseArgs');
  return { options: seen.options ?? {}, positionals: seen.allowPositionals ?? false };
}
