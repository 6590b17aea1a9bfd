/**
 * Entitlements through an independent client: Debian's AWS CLI v2 at /usr/bin/aws, its paging
 * options included (it has no paginator for these operations). Skipped when the CLI is missing,
 * unless STREAMFORM_REQUIRE_AWS_CLI=1.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { applicationsNamed } from '../kinds/entitlement-fixtures.js';

const AWS = '/usr/bin/aws';
const present = existsSync(AWS);
const required = process.env.STREAMFORM_REQUIRE_AWS_CLI === '1';
if (!present && !required) console.warn(`SKIPPED: AWS CLI entitlement tests need the AWS CLI v2 at ${AWS} (apt-get install awscli)`);

const run = promisify(execFile);
let emulator: Emulator;

/** One `aws appstream` command: its exit code, and its JSON output or its error text. */
async function appstream(...args: string[]): Promise<{ code: number; json?: Record<string, any>; err: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_PAGER: '', AWS_ACCESS_KEY_ID: 'emulator', AWS_SECRET_ACCESS_KEY: 'emulator', AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  try {
    const { stdout } = await run(AWS, ['appstream', ...args, '--endpoint-url', emulator.url, '--output', 'json'], { env });
    return { code: 0, json: stdout.trim() ? JSON.parse(stdout) : {}, err: '' };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? 1, err: failed.stderr ?? '' };
  }
}

const ok = async (...args: string[]) => {
  const result = await appstream(...args);
  expect(result.err).toBe('');
  return result.json!;
};
const ident = ['--stack-name', 'desk'];

describe.skipIf(!present && !required)(`AWS CLI v2 (${AWS}): entitlements`, () => {
  beforeAll(async () => {
    if (!present) throw new Error(`STREAMFORM_REQUIRE_AWS_CLI=1 but ${AWS} is missing: install the awscli package`);
    emulator = await startEmulator({
      state: { appstream: { stacks: [{ Name: 'desk' }], ...applicationsNamed('maya', 'nuke'), entitlements: [{ StackName: 'desk', Name: 'all', AppVisibility: 'ALL', Attributes: [{ Name: 'roles', Value: 'admin' }] }] } },
    });
  });
  afterAll(() => emulator?.close());

  it('creates, entitles applications, lists them page by page, updates and deletes', async () => {
    const created = await ok('create-entitlement', ...ident, '--name', 'designers', '--app-visibility', 'ASSOCIATED', '--attributes', 'Name=department,Value=design', 'Name=groups,Value=vfx');
    expect(created.Entitlement).toMatchObject({ Name: 'designers', StackName: 'desk', AppVisibility: 'ASSOCIATED', Attributes: [{ Name: 'department', Value: 'design' }, { Name: 'groups', Value: 'vfx' }] });
    const [again, badName] = await Promise.all([
      appstream('create-entitlement', ...ident, '--name', 'designers', '--app-visibility', 'ALL', '--attributes', 'Name=roles,Value=x'),
      appstream('create-entitlement', ...ident, '--name', 'other', '--app-visibility', 'ALL', '--attributes', 'Name=email,Value=x'),
      ok('associate-application-to-entitlement', ...ident, '--entitlement-name', 'designers', '--application-identifier', 'maya'),
      ok('associate-application-to-entitlement', ...ident, '--entitlement-name', 'designers', '--application-identifier', 'nuke'),
    ]);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/EntitlementAlreadyExistsException.*Entitlement designers already exists on stack desk/);
    expect(badName.err).toMatch(/ValidationException.*Attribute name email is not supported/);

    const [first, described] = await Promise.all([
      ok('list-entitled-applications', ...ident, '--entitlement-name', 'designers', '--max-results', '1'),
      ok('describe-entitlements', ...ident),
    ]);
    const [second, updated] = await Promise.all([
      ok('list-entitled-applications', ...ident, '--entitlement-name', 'designers', '--next-token', first.NextToken),
      ok('update-entitlement', ...ident, '--name', 'designers', '--description', 'Design team', '--app-visibility', 'ALL'),
    ]);
    expect([...first.EntitledApplications, ...second.EntitledApplications]).toEqual([{ ApplicationIdentifier: 'maya' }, { ApplicationIdentifier: 'nuke' }]);
    expect(second.NextToken).toBeUndefined();
    expect(described.Entitlements.map((e: { Name: string }) => e.Name)).toEqual(['all', 'designers']);

    expect(updated.Entitlement).toMatchObject({ Description: 'Design team', AppVisibility: 'ALL' });
    await ok('delete-entitlement', ...ident, '--name', 'designers');
    const gone = await appstream('describe-entitlements', ...ident, '--name', 'designers');
    expect(gone.err).toMatch(/EntitlementNotFoundException.*Entitlement designers does not exist on stack desk/);
  }, 90_000);
});
