import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-appstream';
import { CreateStreamingImageCommand } from '@aws-sdk/client-nimble';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { loadStateFile, startEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../helpers/emulator.js';

const FIXTURES = 'test/fixtures/emulator';

describe('loadStateFile', () => {
  it('reads YAML and JSON', () => {
    expect(loadStateFile(`${FIXTURES}/state.yaml`).appstream?.stacks?.[0]).toEqual({ Name: 'design', StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }], Tags: { team: 'vfx' } });
    expect(loadStateFile(`${FIXTURES}/state.json`).region).toBe('eu-west-1');
  });

  it.each([
    ['a missing file', 'missing.yaml', /^emulator: cannot read state file .*missing\.yaml: no such file$/],
    ['broken YAML', 'bad-syntax.yaml', /^emulator: state file .*bad-syntax\.yaml is not valid YAML or JSON: /],
    ['a member the model rejects', 'bad-member.yaml', /^emulator: state file .*bad-member\.yaml: appstream\.stacks\[1\]\.UserSettings\[0\]\.Action: must satisfy enum value set: \[.*\] \(got "TELEPORT"\)$/],
  ])('refuses %s with one line that names the problem', (_, file, message) => {
    let error: unknown;
    try {
      loadStateFile(`${FIXTURES}/${file}`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('state checks', () => {
  it.each([
    [{ account: '42' }, 'account: must be a 12-digit string'],
    [{ appstream: { stacks: [{ Name: 'a' }, { Name: 'a' }] } }, "appstream.stacks[1].Name: stack 'a' appears twice"],
    [{ appstream: { fleets: [{ Name: 'f', AssociatedStacks: ['ghost'] }] } }, "appstream.fleets[0].AssociatedStacks[0]: no stack named 'ghost'"],
    [{ appstream: { stacks: [{ Name: 'a', Colour: 'red' }] } }, 'appstream.stacks[0].Colour: is not part of the model'],
    [{ appstream: { stacks: [{ Name: 'a', CreatedTime: 'yesterday' }] } }, 'appstream.stacks[0].CreatedTime: must be a date'],
    [{ appstream: { stacks: [{ Name: 'a', Tags: { 'aws:x': 'y' } }] } }, 'appstream.stacks[0].Tags: Map keys must satisfy'],
    [{ nimble: { studios: [{ studioId: 's', streamingImages: [{ name: 'n', ec2ImageId: 'ami-1', state: 'GONE' }] }] } }, 'nimble.studios[0].streamingImages[0].state: must satisfy enum'],
    [{ nimble: { studios: [{ studioId: 's', streamingImages: [{ name: 'n' }] }] } }, 'nimble.studios[0].streamingImages[0].ec2ImageId: is required'],
    [{ cloud: {} }, 'cloud: unknown key'],
    [{ appstream: { fleets: [{ Name: 'f', State: 'BROKEN' }] } }, 'appstream.fleets[0].State: must satisfy enum value set: [STARTING, RUNNING, STOPPING, STOPPED]'],
    [{ appstream: { fleets: [{ Name: 'f', ComputeCapacityStatus: { Running: 1 } }] } }, 'appstream.fleets[0].ComputeCapacityStatus.Desired: must not be null'],
    [{ appstream: { fleets: [{ Name: 'f', StuckInStarting: 'yes' }] } }, 'appstream.fleets[0].StuckInStarting: must be true or false'],
    [{ appstream: { fleets: [{ Name: 'f' }, { Name: 'f' }] } }, "appstream.fleets[1].Name: fleet 'f' appears twice"],
    [{ sts: { users: [] } }, 'sts.users: unknown key'],
    [{ sts: { roles: [{ RoleArn: 'arn:aws:iam::123456789012:user/x' }] } }, 'sts.roles[0].RoleArn: must be a role ARN'],
    [{ sts: { roles: [{ RoleArn: 'arn:aws:iam::123456789012:role/x', ExternalId: 'x' }] } }, 'sts.roles[0].ExternalId: must have length greater than or equal to 2'],
    [{ sts: { roles: [{ RoleArn: 'arn:aws:iam::123456789012:role/x' }, { RoleArn: 'arn:aws:iam::123456789012:role/x' }] } }, "sts.roles[1].RoleArn: role 'arn:aws:iam::123456789012:role/x' appears twice"],
  ])('rejects %j', async (state, message) => {
    await expect(startEmulator({ state: state as never })).rejects.toThrow(message);
  });
});

describe('admin endpoints', () => {
  it('GET returns the live state with defaults filled in; PUT replaces it and round-trips', async () => {
    const t = await startTestEmulator({ state: loadStateFile(`${FIXTURES}/state.yaml`) });
    try {
      await t.clients.appstream.send(new CreateStackCommand({ Name: 'added', Tags: { k: 'v' } }));
      const live = await t.getState();
      const added = live.appstream!.stacks!.find((s) => s.Name === 'added')!;
      expect(added).toMatchObject({ Arn: 'arn:aws:appstream:us-east-1:123456789012:stack/added', Tags: { k: 'v' }, ApplicationSettings: { Enabled: false } });
      expect(added.CreatedTime).toBeTypeOf('number');
      expect(live.nimble!.studios![0].streamingImages![0]).toMatchObject({ streamingImageId: 'si-1', owner: 'stid-1', arn: 'arn:aws:nimble:us-east-1:123456789012:streaming-image/si-1' });
      expect(live.nimble!.failingAmis).toEqual(['ami-0badbadbadbadbad0']);

      await t.setState({ appstream: { stacks: [{ Name: 'only' }] } });
      const { Stacks } = await t.clients.appstream.send(new DescribeStacksCommand({}));
      expect(Stacks!.map((s) => s.Name)).toEqual(['only']);

      await t.setState(live);
      expect(await t.getState()).toEqual(live);

      // A state put back holds ids the restarted generator would make again; new images get fresh ones.
      await t.setState({ nimble: { studios: [{ studioId: 'st' }] } });
      const create = async () =>
        (await t.clients.nimble.send(new CreateStreamingImageCommand({ studioId: 'st', name: 'n', ec2ImageId: 'ami-1' }))).streamingImage!.streamingImageId!;
      await create();
      const second = await create();
      const saved = await t.getState();
      saved.nimble!.studios![0].streamingImages = saved.nimble!.studios![0].streamingImages!.filter((i) => i.streamingImageId === second);
      await t.setState(saved);
      expect(await create()).not.toBe(second);
    } finally {
      await t.close();
    }
  });

  it('refuses a bad state with 400 and keeps the current one', async () => {
    const t = await startTestEmulator({ state: { appstream: { stacks: [{ Name: 'kept' }] } } });
    try {
      await expect(t.setState({ region: 'mars' })).rejects.toThrow(/400 .*region: must be a region name/);
      const res = await fetch(`${t.url}/_emulator/state`, { method: 'PUT', body: 'not json' });
      expect(res.status).toBe(400);
      expect((await t.getState()).appstream!.stacks!.map((s) => s.Name)).toEqual(['kept']);
    } finally {
      await t.close();
    }
  });

  it('logs service calls in order with their status and error type, and clears the log', async () => {
    const t = await startTestEmulator({}, { maxAttempts: 1 });
    try {
      await t.clients.appstream.send(new DescribeStacksCommand({}));
      await t.clients.appstream.send(new DescribeStacksCommand({ Names: ['nope'] })).catch(() => undefined);
      await t.getState();
      expect(await t.calls()).toEqual([
        { service: 'appstream', operation: 'DescribeStacks', status: 200 },
        { service: 'appstream', operation: 'DescribeStacks', status: 404, error: 'ResourceNotFoundException' },
      ]);
      await t.clearCalls();
      expect(await t.calls()).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
