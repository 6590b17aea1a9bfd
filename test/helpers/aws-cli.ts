/**
 * The independent client of the conformance tests: Debian's AWS CLI v2 at /usr/bin/aws (the `aws`
 * first on PATH may be a v1). CI sets STREAMFORM_REQUIRE_AWS_CLI=1, which turns a missing CLI from
 * a skip into a failure.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';

export const AWS = '/usr/bin/aws';
export const cliRequired = process.env.STREAMFORM_REQUIRE_AWS_CLI === '1';

/** Whether the CLI and the files `what` needs are here; when they are not and need not be, says that `what` is skipped. */
export function cliPresent(what: string, files: readonly string[] = []): boolean {
  const present = [AWS, ...files].every((file) => existsSync(file));
  if (!present && !cliRequired) console.warn(`SKIPPED: ${what} needs the AWS CLI v2 at ${AWS} (apt-get install awscli)`);
  return present;
}

/** For a beforeAll: a CLI that CI requires and that is missing fails the file. */
export function requireCli(present: boolean): void {
  if (!present) throw new Error(`STREAMFORM_REQUIRE_AWS_CLI=1 but ${AWS} is missing: install the awscli package`);
}

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export interface CliOptions {
  /** The emulator's URL, read at each call. */
  url(): string;
  /** Words before each call's arguments (a service: `appstream`). */
  prefix?: readonly string[];
  /** HOME, read at each call (a folder of the CLI's models); else the machine's. */
  home?(): string;
}

/**
 * The CLI against an emulator, with dummy credentials (or `credentials`) and the machine's own AWS
 * configuration kept out: `aws` answers the exit code and both outputs, `json` the answer of a call
 * that must succeed, `as` the same with other credentials (a role session's).
 */
export function awsCli(options: CliOptions, credentials: Record<string, string> = {}) {
  const aws = (...args: string[]): Promise<CliResult> => {
    const env = {
      PATH: process.env.PATH,
      HOME: options.home?.() ?? process.env.HOME,
      AWS_PAGER: '',
      AWS_ACCESS_KEY_ID: 'emulator',
      AWS_SECRET_ACCESS_KEY: 'emulator',
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...credentials,
    };
    return new Promise((resolve) => {
      execFile(AWS, [...(options.prefix ?? []), ...args, '--endpoint-url', options.url(), '--output', 'json'], { env }, (error, out, err) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err }),
      );
    });
  };
  const json = async (...args: string[]): Promise<Record<string, any>> => {
    const { code, out, err } = await aws(...args);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    return out.trim() ? JSON.parse(out) : {};
  };
  return { aws, json, as: (others: Record<string, string>) => awsCli(options, { ...credentials, ...others }) };
}
