import {
  AssociateFleetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  DisassociateFleetCommand,
  ListAssociatedFleetsCommand,
  ListTagsForResourceCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-appstream';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const state: EmulatorState = { appstream: { stacks: [{ Name: 'old', Tags: { team: 'a' } }], fleets: [{ Name: 'fleet-a' }] } };
const NEW_ARN = 'arn:aws:appstream:us-east-1:123456789012:stack/new';

let t: TestEmulator;
afterEach(() => t.close());

async function startLagging(consistencyLagMs: number): Promise<void> {
  t = await startTestEmulator({ state, consistencyLagMs }, { maxAttempts: 1 });
}

const createNew = () => t.clients.appstream.send(new CreateStackCommand({ Name: 'new', Tags: { team: 'b' } }));
const listedStacks = async () => (await t.clients.appstream.send(new DescribeStacksCommand({}))).Stacks!.map((s) => s.Name);
const describeNew = () => t.clients.appstream.send(new DescribeStacksCommand({ Names: ['new'] }));

describe('consistency lag (consistencyLagMs)', () => {
  it('answers ResourceNotFoundException to every call naming a stack created within the lag, and listings omit it', async () => {
    await startLagging(60_000);
    expect((await createNew()).Stack?.Name).toBe('new');

    const { appstream, tagging } = t.clients;
    const namingNew = [
      describeNew(),
      appstream.send(new UpdateStackCommand({ Name: 'new', Description: 'x' })),
      appstream.send(new DeleteStackCommand({ Name: 'new' })),
      appstream.send(new TagResourceCommand({ ResourceArn: NEW_ARN, Tags: { env: 'prod' } })),
      appstream.send(new UntagResourceCommand({ ResourceArn: NEW_ARN, TagKeys: ['team'] })),
      appstream.send(new ListTagsForResourceCommand({ ResourceArn: NEW_ARN })),
      appstream.send(new AssociateFleetCommand({ StackName: 'new', FleetName: 'fleet-a' })),
      appstream.send(new DisassociateFleetCommand({ StackName: 'new', FleetName: 'fleet-a' })),
    ];
    for (const outcome of await Promise.allSettled(namingNew)) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ResourceNotFoundException);
      expect((outcome as PromiseRejectedResult).reason.message).toMatch(/\bnew does not exist\.$/);
    }
    // As for any stack unknown to it, ListAssociatedFleets lists nothing.
    expect((await appstream.send(new ListAssociatedFleetsCommand({ StackName: 'new' }))).Names).toEqual([]);
    expect(await listedStacks()).toEqual(['old']);
    const tagged = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['appstream:stack'] }));
    expect(tagged.ResourceTagMappingList!.map((m) => m.ResourceARN)).toEqual([NEW_ARN.replace('/new', '/old')]);

    // The create itself sees it: a second create of the name is refused, and nothing was changed by the refused calls.
    await expect(createNew()).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    const stored = (await t.getState()).appstream!.stacks!.find((s) => s.Name === 'new');
    expect(stored).toMatchObject({ Name: 'new', Tags: { team: 'b' } });
    expect(stored).not.toHaveProperty('Description');
    expect((await t.getState()).appstream!.fleets![0].AssociatedStacks).toEqual([]);
  });

  it('serves the stack to every call once the lag has passed', async () => {
    // Long enough that the first describe comes within it on a busy machine.
    const lagMs = 1000;
    await startLagging(lagMs);
    await createNew();
    await expect(describeNew()).rejects.toBeInstanceOf(ResourceNotFoundException);

    await new Promise((resolve) => setTimeout(resolve, lagMs));
    expect((await describeNew()).Stacks!.map((s) => s.Name)).toEqual(['new']);
    expect(await listedStacks()).toEqual(['new', 'old']);
    await t.clients.appstream.send(new AssociateFleetCommand({ StackName: 'new', FleetName: 'fleet-a' }));
    expect((await t.clients.appstream.send(new ListAssociatedFleetsCommand({ StackName: 'new' }))).Names).toEqual(['fleet-a']);
    expect((await t.clients.appstream.send(new ListTagsForResourceCommand({ ResourceArn: NEW_ARN }))).Tags).toEqual({ team: 'b' });
  });

  it('serves a new stack at once without a lag, and never lags the stacks a state starts with', async () => {
    await startLagging(0);
    await createNew();
    expect((await describeNew()).Stacks!.map((s) => s.Name)).toEqual(['new']);
    await t.close();

    await startLagging(60_000);
    await t.setState(state);
    expect(await listedStacks()).toEqual(['old']);
    expect((await t.clients.appstream.send(new DescribeStacksCommand({ Names: ['old'] }))).Stacks!.map((s) => s.Name)).toEqual(['old']);
  });
});
