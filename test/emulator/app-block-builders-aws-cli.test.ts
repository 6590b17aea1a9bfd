/**
 * App block builders through an independent client: Debian's AWS CLI v2 at /usr/bin/aws. Its
 * bundled AppStream model (2.9) predates app block builders, so the test gives it the operations
 * from the facts the emulator serves, the way a user adds a model (`aws configure add-model`):
 * the CLI's own botocore serializes the requests and parses the answers. Tags and GetResources go
 * through the CLI's bundled commands. CI sets STREAMFORM_REQUIRE_AWS_CLI=1 (a missing CLI fails).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { AWS, awsCli, cliPresent, cliRequired as required, requireCli } from '../helpers/aws-cli.js';

const BUNDLED = '/usr/lib/python3/dist-packages/awscli/botocore/data/appstream/2016-12-01/service-2.json';
const present = cliPresent('app block builder CLI conformance', [BUNDLED]);

const OPERATIONS = [
  'CreateAppBlockBuilder',
  'UpdateAppBlockBuilder',
  'DescribeAppBlockBuilders',
  'StartAppBlockBuilder',
  'StopAppBlockBuilder',
  'DeleteAppBlockBuilder',
  'AssociateAppBlockBuilderAppBlock',
  'DisassociateAppBlockBuilderAppBlock',
  'DescribeAppBlockBuilderAppBlockAssociations',
];
const APP_BLOCK = 'arn:aws:appstream:us-east-1:123456789012:app-block/office';
const TRANSITION_MS = 300;

type Shape = { members?: Record<string, { shape: string }>; member?: string; key?: string; value?: string };
type Model = { operations: Record<string, Record<string, unknown>>; shapes: Record<string, Shape | Record<string, unknown>> };

/** The CLI's bundled model plus the operations (and the shapes they reach) that it lacks, from the facts. */
function extendedModel(): Model {
  const model = JSON.parse(readFileSync(BUNDLED, 'utf8')) as Model;
  const facts = JSON.parse(readFileSync('src/facts/appstream.json', 'utf8')) as Model;
  const add = (name: string): void => {
    if (model.shapes[name]) return;
    const { member, key, value, ...shape } = facts.shapes[name];
    // The facts name a list's member and a map's key and value by shape name; botocore refers to them as members.
    const refs = Object.entries({ member, key, value }).filter(([, ref]) => ref);
    model.shapes[name] = { ...shape, ...Object.fromEntries(refs.map(([part, ref]) => [part, { shape: ref }])) };
    for (const ref of [...Object.values(shape.members ?? {}).map((m) => m.shape), member, key, value]) if (ref) add(ref);
  };
  for (const name of OPERATIONS) {
    const { input, output, errors, ...rest } = facts.operations[name] as { input: string; output: string; errors?: string[] };
    [input, output, ...(errors ?? [])].forEach(add);
    model.operations[name] = { ...rest, name, input: { shape: input }, output: { shape: output }, errors: (errors ?? []).map((shape) => ({ shape })) };
  }
  return model;
}

let emulator: Emulator;
let home: string;

const { aws, json } = awsCli({ url: () => emulator.url, home: () => home });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!present && !required)(`AWS CLI v2 (${AWS}): app block builders`, () => {
  beforeAll(async () => {
    requireCli(present);
    home = mkdtempSync(join(tmpdir(), 'streamform-cli-'));
    writeFileSync(join(home, 'appstream.json'), JSON.stringify(extendedModel()));
    const builder = { Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.standard.small', VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] } };
    emulator = await startEmulator({
      transitionMs: TRANSITION_MS,
      state: {
        appstream: {
          appBlocks: [{ Name: 'office', PackagingType: 'APPSTREAM2', SourceS3Location: { S3Bucket: 'apps' } }],
          appBlockBuilders: [
            { Name: 'running', ...builder, State: 'RUNNING', Tags: { team: 'apps' } },
            { Name: 'idle', ...builder, State: 'STOPPED' },
          ],
          appBlockBuilderAppBlockAssociations: [{ AppBlockBuilderName: 'running', AppBlockArn: APP_BLOCK }],
        },
      },
    });
    await json('configure', 'add-model', '--service-model', `file://${join(home, 'appstream.json')}`, '--service-name', 'appstream');
  });
  afterAll(async () => {
    await emulator?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  // Three builders side by side: each CLI start costs a second or more on a busy machine.
  it('creates and deletes, associates and starts, refuses a running update, stops and disassociates builders, and lists them by tag', async () => {
    await Promise.all([
      (async () => {
        const made = await json('appstream', 'create-app-block-builder', '--name', 'fresh', '--platform', 'WINDOWS_SERVER_2019', '--instance-type', 'stream.standard.small', '--vpc-config', 'SubnetIds=subnet-a,subnet-b');
        expect(made.AppBlockBuilder).toMatchObject({ Name: 'fresh', State: 'STOPPED', VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] }, EnableDefaultInternetAccess: false });
        await json('appstream', 'delete-app-block-builder', '--name', 'fresh');
      })(),
      (async () => {
        const association = await json('appstream', 'associate-app-block-builder-app-block', '--app-block-builder-name', 'idle', '--app-block-arn', APP_BLOCK);
        expect(association.AppBlockBuilderAppBlockAssociation).toEqual({ AppBlockArn: APP_BLOCK, AppBlockBuilderName: 'idle' });
        expect((await json('appstream', 'start-app-block-builder', '--name', 'idle')).AppBlockBuilder.State).toBe('STARTING');
        await sleep(TRANSITION_MS + 100);
        expect((await json('appstream', 'describe-app-block-builders', '--names', 'idle')).AppBlockBuilders[0]).toMatchObject({ State: 'RUNNING', AppBlockBuilderErrors: [] });
      })(),
      (async () => {
        const refused = await aws('appstream', 'update-app-block-builder', '--name', 'running', '--instance-type', 'stream.standard.large');
        expect(refused.code).not.toBe(0);
        expect(refused.err).toMatch(/ResourceInUseException.*InstanceType/);
        expect((await json('appstream', 'stop-app-block-builder', '--name', 'running')).AppBlockBuilder.State).toBe('STOPPING');
        await sleep(TRANSITION_MS + 100);
        await json('appstream', 'disassociate-app-block-builder-app-block', '--app-block-builder-name', 'running', '--app-block-arn', APP_BLOCK);
        expect((await json('appstream', 'describe-app-block-builder-app-block-associations', '--app-block-builder-name', 'running')).AppBlockBuilderAppBlockAssociations).toEqual([]);
      })(),
      (async () => {
        const tagged = await json('resourcegroupstaggingapi', 'get-resources', '--resource-type-filters', 'appstream:app-block-builder');
        expect(tagged.ResourceTagMappingList).toEqual([{ ResourceARN: 'arn:aws:appstream:us-east-1:123456789012:app-block-builder/running', Tags: [{ Key: 'team', Value: 'apps' }] }]);
      })(),
    ]);
  }, 90_000);
});
