import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags shared by every command that talks to AWS. */
export const awsOptions = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
} as const satisfies Options;

/** `--target NAME`, repeatable: the targets of the config a command works on (default: all, or $STREAMFORM_TARGET). */
export const targetOptions = {
  target: { type: 'string', multiple: true },
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
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, '');
    throw new UserError(`${command}: ${message} (see 'streamform ${command} --help')`);
  }
  // With --help, the command prints its usage whatever the other values are.
  const values = parsed.values as Record<string, unknown>;
  if (!values.help) checkValues(command, values);
  return parsed;
}

/** The config schema's pattern for a region (us-east-1, eu-west-2, us-gov-west-1, ...). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * An empty value (`--region ''`, often an unset shell variable) is never what was meant: refused
 * for every flag, rather than read as "unset" or as a file named ''.
 */
function checkValues(command: string, values: Record<string, unknown>): void {
  for (const [flag, value] of Object.entries(values)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one === '') throw new UserError(`${command}: --${flag} needs a value, got an empty one`);
    }
  }
  const region = values.region;
  if (typeof region === 'string' && !REGION.test(region)) throw new UserError(`${command}: --region must be a region name such as us-east-1, got '${region}'`);
}

/** Plain decimal notation only: 1e1, 0x10, ' 5' and 5. are slips, not numbers a user means. */
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+(\.\d+)?|\.\d+)$/;

/** Parses a flag value that must be a number within bounds. */
export function numberFlag(command: string, flag: string, value: string | undefined, min: number, max: number, integer = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(integer ? INTEGER : DECIMAL).test(value) || n < min || n > max) {
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
