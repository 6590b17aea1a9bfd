/**
 * Entitlements through an independent client: Debian's AWS CLI v2 at /usr/bin/aws, its paging
 * options included (it has no paginator for these operations). Skipped when the CLI is missing,
 * unless STREAMFORM_REQUIRE_AWS_CLI=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { AWS, awsCli, cliPresent, cliRequired as required, requireCli } from '../helpers/aws-cli.js';
import { applicationsNamed } from '../kinds/entitlement-fixtures.js';

const present = cliPresent('AWS CLI entitlement tests');

let emulator: Emulator;

const { aws: appstream, json: ok } = awsCli({ url: () => emulator.url, prefix: ['appstream'] });
const ident = ['--stack-name', 'desk'];

describe.skipIf(!present && !required)(`AWS CLI v2 (${AWS}): entitlements`, () => {
  beforeAll(async () => {
    requireCli(present);
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
