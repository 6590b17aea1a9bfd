/** The emulator's entitlements, driven with the real SDK client: the rules the model cannot state, paging and the state file. */
import {
  AssociateApplicationToEntitlementCommand,
  CreateEntitlementCommand,
  CreateStackCommand,
  DeleteEntitlementCommand,
  DeleteApplicationCommand,
  DeleteStackCommand,
  DescribeEntitlementsCommand,
  DisassociateApplicationFromEntitlementCommand,
  EntitlementAlreadyExistsException,
  EntitlementNotFoundException,
  ListEntitledApplicationsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateEntitlementCommand,
} from '@aws-sdk/client-appstream';
import { describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { useEmulator } from '../helpers/emulator.js';
import { applicationsNamed } from '../kinds/entitlement-fixtures.js';

const DEPARTMENT = [{ Name: 'department', Value: 'design' }];
const state: EmulatorState = {
  appstream: {
    stacks: [{ Name: 'desk' }, { Name: 'lab' }],
    ...applicationsNamed('blender', 'maya', 'nuke'),
    entitlements: [
      { StackName: 'desk', Name: 'designers', AppVisibility: 'ASSOCIATED', Attributes: DEPARTMENT, Applications: ['maya', 'nuke'] },
      { StackName: 'desk', Name: 'all', AppVisibility: 'ALL', Attributes: [{ Name: 'roles', Value: 'admin' }], Description: 'everyone' },
      { StackName: 'lab', Name: 'designers', AppVisibility: 'ALL', Attributes: DEPARTMENT },
    ],
  },
};

// Pages of two show paging; no retries, so each error is the first answer.
const em = useEmulator(state, { transitionMs: 20, pageSize: 2 }, { maxAttempts: 1 });

describe('entitlements', () => {
  it('creates, describes, updates and deletes, within its stack', async () => {
    const { Entitlement } = await em.clients.appstream.send(
      new CreateEntitlementCommand({ StackName: 'lab', Name: 'leads', AppVisibility: 'ASSOCIATED', Attributes: [{ Name: 'title', Value: 'lead' }], Description: '' }),
    );
    expect(Entitlement).toMatchObject({ StackName: 'lab', Name: 'leads', AppVisibility: 'ASSOCIATED', Attributes: [{ Name: 'title', Value: 'lead' }] });
    expect(Entitlement!.Description).toBeUndefined();
    expect(Entitlement!.CreatedTime).toBeInstanceOf(Date);
    await expect(
      em.clients.appstream.send(new CreateEntitlementCommand({ StackName: 'lab', Name: 'leads', AppVisibility: 'ALL', Attributes: DEPARTMENT })),
    ).rejects.toThrow(EntitlementAlreadyExistsException);
    // The same name on another stack is another entitlement.
    await em.clients.appstream.send(new CreateEntitlementCommand({ StackName: 'desk', Name: 'leads', AppVisibility: 'ALL', Attributes: DEPARTMENT }));

    const updated = await em.clients.appstream.send(new UpdateEntitlementCommand({ StackName: 'lab', Name: 'leads', Description: 'team leads', AppVisibility: 'ALL' }));
    expect(updated.Entitlement).toMatchObject({ Description: 'team leads', AppVisibility: 'ALL', Attributes: [{ Name: 'title', Value: 'lead' }] });
    const cleared = await em.clients.appstream.send(new UpdateEntitlementCommand({ StackName: 'lab', Name: 'leads', Description: '' }));
    expect(cleared.Entitlement!.Description).toBeUndefined();

    await em.clients.appstream.send(new DeleteEntitlementCommand({ StackName: 'lab', Name: 'leads' }));
    await expect(em.clients.appstream.send(new DeleteEntitlementCommand({ StackName: 'lab', Name: 'leads' }))).rejects.toThrow(EntitlementNotFoundException);
    const { Entitlements } = await em.clients.appstream.send(new DescribeEntitlementsCommand({ StackName: 'desk', Name: 'leads' }));
    expect(Entitlements!.map((e) => e.StackName)).toEqual(['desk']);
  });

  it('needs its stack, and one of the documented attribute names', async () => {
    const create = (StackName: string, Name: string) => new CreateEntitlementCommand({ StackName, AppVisibility: 'ALL', Attributes: [{ Name, Value: 'x' }], Name: 'e' });
    await expect(em.clients.appstream.send(create('gone', 'roles'))).rejects.toThrow(ResourceNotFoundException);
    await expect(em.clients.appstream.send(create('lab', 'email'))).rejects.toThrow(/Attribute name email is not supported; use one of roles, department/);
    await expect(em.clients.appstream.send(new UpdateEntitlementCommand({ StackName: 'lab', Name: 'designers', Attributes: [{ Name: 'email', Value: 'x' }] }))).rejects.toThrow(
      /Attribute name email/,
    );
    await expect(em.clients.appstream.send(new UpdateEntitlementCommand({ StackName: 'lab', Name: 'nobody', AppVisibility: 'ALL' }))).rejects.toThrow(EntitlementNotFoundException);
    await expect(em.clients.appstream.send(new DescribeEntitlementsCommand({ StackName: 'gone' }))).rejects.toThrow(ResourceNotFoundException);
    await expect(em.clients.appstream.send(new DescribeEntitlementsCommand({ StackName: 'lab', Name: 'nobody' }))).rejects.toThrow(EntitlementNotFoundException);
    // The model's own rules (Attributes has at least one) are checked like every request's.
    await expect(em.clients.appstream.send(new CreateEntitlementCommand({ StackName: 'lab', Name: 'e', AppVisibility: 'ALL', Attributes: [] }))).rejects.toThrow(
      /Value \[\] at 'attributes' failed to satisfy constraint/,
    );
  });

  it('describes a stack\'s entitlements page by page, in name order', async () => {
    const first = await em.clients.appstream.send(new DescribeEntitlementsCommand({ StackName: 'desk', MaxResults: 1 }));
    expect(first.Entitlements!.map((e) => e.Name)).toEqual(['all']);
    const second = await em.clients.appstream.send(new DescribeEntitlementsCommand({ StackName: 'desk', NextToken: first.NextToken }));
    expect(second.Entitlements!.map((e) => [e.Name, e.Description])).toEqual([['designers', undefined]]);
    expect(second.NextToken).toBeUndefined();
  });

  it('entitles only applications that exist, and an entitled application cannot be deleted', async () => {
    const ident = { StackName: 'lab', EntitlementName: 'designers' };
    await expect(em.clients.appstream.send(new AssociateApplicationToEntitlementCommand({ ...ident, ApplicationIdentifier: 'ghost' }))).rejects.toThrow(ResourceNotFoundException);
    await expect(em.clients.appstream.send(new DeleteApplicationCommand({ Name: 'maya' }))).rejects.toThrow(ResourceInUseException);
    await expect(em.clients.appstream.send(new DeleteApplicationCommand({ Name: 'nuke' }))).rejects.toThrow('is entitled by the entitlement(s) desk/designers; disassociate it first');
    await em.clients.appstream.send(new DisassociateApplicationFromEntitlementCommand({ StackName: 'desk', EntitlementName: 'designers', ApplicationIdentifier: 'nuke' }));
    await em.clients.appstream.send(new DeleteApplicationCommand({ Name: 'nuke' }));
    // An entitlement that goes lets go of its applications.
    await em.clients.appstream.send(new DeleteEntitlementCommand({ StackName: 'desk', Name: 'designers' }));
    await em.clients.appstream.send(new DeleteApplicationCommand({ Name: 'maya' }));
    expect((await em.getState()).appstream?.applications?.map((a) => a.Name)).toEqual(['blender']);
  });

  it('associates applications once each, lists them page by page, and disassociates only what is associated', async () => {
    const ident = { StackName: 'desk', EntitlementName: 'designers' };
    await em.clients.appstream.send(new AssociateApplicationToEntitlementCommand({ ...ident, ApplicationIdentifier: 'blender' }));
    await em.clients.appstream.send(new AssociateApplicationToEntitlementCommand({ ...ident, ApplicationIdentifier: 'blender' }));
    const first = await em.clients.appstream.send(new ListEntitledApplicationsCommand(ident));
    const second = await em.clients.appstream.send(new ListEntitledApplicationsCommand({ ...ident, NextToken: first.NextToken }));
    expect([...first.EntitledApplications!, ...second.EntitledApplications!].map((a) => a.ApplicationIdentifier)).toEqual(['blender', 'maya', 'nuke']);
    expect(second.NextToken).toBeUndefined();
    await em.clients.appstream.send(new DisassociateApplicationFromEntitlementCommand({ ...ident, ApplicationIdentifier: 'maya' }));
    await expect(em.clients.appstream.send(new DisassociateApplicationFromEntitlementCommand({ ...ident, ApplicationIdentifier: 'maya' }))).rejects.toThrow(
      'The application maya is not associated with entitlement designers.',
    );
    await expect(em.clients.appstream.send(new ListEntitledApplicationsCommand({ StackName: 'desk', EntitlementName: 'nobody' }))).rejects.toThrow(EntitlementNotFoundException);
    expect((await em.getState()).appstream?.entitlements?.find((e) => e.StackName === 'desk' && e.Name === 'designers')?.Applications).toEqual(['blender', 'nuke']);
  });

  it('goes with its stack: a stack made again under the same name has none', async () => {
    await em.clients.appstream.send(new DeleteStackCommand({ Name: 'lab' }));
    await em.clients.appstream.send(new CreateStackCommand({ Name: 'lab' }));
    expect((await em.clients.appstream.send(new DescribeEntitlementsCommand({ StackName: 'lab' }))).Entitlements).toEqual([]);
    expect((await em.getState()).appstream?.entitlements?.map((e) => `${e.StackName}/${e.Name}`)).toEqual(['desk/all', 'desk/designers']);
  });
});

describe('the state file', () => {
  it('keeps entitlements as DescribeEntitlements returns them, plus their applications', async () => {
    const [designers] = (await em.getState()).appstream!.entitlements!;
    expect(designers).toMatchObject({ StackName: 'desk', Name: 'all', Description: 'everyone', AppVisibility: 'ALL', Attributes: [{ Name: 'roles', Value: 'admin' }] });
    expect(typeof designers.CreatedTime).toBe('number');
    expect(designers).not.toHaveProperty('Applications');
  });

  it.each([
    [{ StackName: 'gone', Name: 'e', AppVisibility: 'ALL', Attributes: DEPARTMENT }, /appstream.entitlements\[0\].StackName: no stack named 'gone'/],
    [{ StackName: 'desk', Name: 'e', AppVisibility: 'SOME', Attributes: DEPARTMENT }, /appstream.entitlements\[0\].AppVisibility/],
    [{ StackName: 'desk', Name: 'e', AppVisibility: 'ALL', Attributes: [{ Name: 'email', Value: 'x' }] }, /appstream.entitlements\[0\].Attributes: Attribute name email/],
    [{ StackName: 'desk', Name: 'e', AppVisibility: 'ALL', Attributes: DEPARTMENT, Applications: ['ghost'] }, /appstream.entitlements\[0\].Applications\[0\]: no application named 'ghost' in appstream.applications/],
  ])('refuses a bad entitlement: %j', async (entitlement, message) => {
    await expect(em.setState({ appstream: { stacks: [{ Name: 'desk' }], entitlements: [entitlement as never] } })).rejects.toThrow(message);
  });

  it('refuses an entitlement given twice', async () => {
    const entitlement = { StackName: 'desk', Name: 'e', AppVisibility: 'ALL', Attributes: DEPARTMENT };
    await expect(em.setState({ appstream: { stacks: [{ Name: 'desk' }], entitlements: [entitlement, entitlement] } })).rejects.toThrow(/entitlement 'e' of stack 'desk' appears twice/);
  });
});
