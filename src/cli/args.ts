import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../shared/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags shared by every command that talks to AWS. */
export const awsOptions = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
} as const satisfies Options;

/** `-f FILE|DIR`, repeatable. */
export const fileOptions = {
  file: { type: 'string', short: 'f', multiple: true },
} as const satisfies Options;

/**
 * node:util parseArgs with one-line, user-facing errors. `--help` is handled by the caller
 * (the returned values carry `help`).
 */
export function parseFlags<O extends Options>(command: string, argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, '');
    throw new UserError(`${command}: ${message} (see 'streamform ${command} --help')`);
  }
}

/** Parses a flag value that must be a number within bounds. */
export function numberFlag(command: string, flag: string, value: string | undefined, min: number, max: number, integer = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UserError(`${command}: --${flag} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

/** Parses `--format`, naming the allowed values when it is wrong. */
export function choiceFlag<T extends string>(command: string, flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UserError(`${command}: --${flag} must be one of ${choices.join(', ')}, got '${value}'`);
  }
  return value as T;
}
