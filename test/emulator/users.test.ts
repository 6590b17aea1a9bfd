import {
  BatchAssociateUserStackCommand,
  BatchDisassociateUserStackCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUsersCommand,
  DescribeUserStackAssociationsCommand,
  DisableUserCommand,
  EnableUserCommand,
  InvalidParameterCombinationException,
  OperationNotPermittedException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  DeleteStackCommand,
} from '@aws-sdk/client-appstream';
import { describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { useEmulator } from '../helpers/emulator.js';

const POOL = 'USERPOOL' as const;
const state: EmulatorState = {
  appstream: {
    stacks: [{ Name: 'desk' }, { Name: 'lab' }, { Name: 'ad' }],
    fleets: [{ Name: 'joined', ImageName: 'base', AssociatedStacks: ['ad'], DomainJoinInfo: { DirectoryName: 'corp.example.com' } }],
    images: [{ Name: 'base' }],
    users: [{ UserName: 'ana@example.com', AuthenticationType: POOL, FirstName: 'Ana' }],
    userStackAssociations: [{ StackName: 'desk', UserName: 'ana@example.com', AuthenticationType: POOL }],
  },
};

const em = useEmulator(state, { transitionMs: 20 }, { maxAttempts: 1 });

describe('users', () => {
  it('creates, describes, disables, enables and deletes; names are case-sensitive', async () => {
    await em.clients.appstream.send(new CreateUserCommand({ UserName: 'Ana@example.com', AuthenticationType: POOL, MessageAction: 'SUPPRESS', LastName: 'Silva' }));
    await expect(em.clients.appstream.send(new CreateUserCommand({ UserName: 'ana@example.com', AuthenticationType: POOL }))).rejects.toThrow(ResourceAlreadyExistsException);
    await em.clients.appstream.send(new DisableUserCommand({ UserName: 'Ana@example.com', AuthenticationType: POOL }));
    const { Users } = await em.clients.appstream.send(new DescribeUsersCommand({ AuthenticationType: POOL }));
    expect(Users!.map((u) => [u.UserName, u.Enabled, u.LastName])).toEqual([
      ['Ana@example.com', false, 'Silva'],
      ['ana@example.com', true, undefined],
    ]);
    expect(Users![0].CreatedTime).toBeInstanceOf(Date);
    await em.clients.appstream.send(new EnableUserCommand({ UserName: 'Ana@example.com', AuthenticationType: POOL }));
    await em.clients.appstream.send(new DeleteUserCommand({ UserName: 'ana@example.com', AuthenticationType: POOL }));
    await expect(em.clients.appstream.send(new DeleteUserCommand({ UserName: 'ana@example.com', AuthenticationType: POOL }))).rejects.toThrow(ResourceNotFoundException);
    // Deleting a user takes its assignments with it.
    expect((await em.getState()).appstream?.userStackAssociations).toBeUndefined();
  });

  it('creates only user-pool users, and RESEND carries no names', async () => {
    await expect(em.clients.appstream.send(new CreateUserCommand({ UserName: 'x@example.com', AuthenticationType: 'SAML' }))).rejects.toThrow(
      "Cannot create a user with 'SAML' authentication type.",
    );
    await expect(em.clients.appstream.send(new CreateUserCommand({ UserName: 'ana@example.com', AuthenticationType: POOL, MessageAction: 'RESEND', FirstName: 'A' }))).rejects.toThrow(
      InvalidParameterCombinationException,
    );
    await em.clients.appstream.send(new CreateUserCommand({ UserName: 'ana@example.com', AuthenticationType: POOL, MessageAction: 'RESEND' }));
  });

  it('pages DescribeUsers', async () => {
    const users = Array.from({ length: 120 }, (_, i) => ({ UserName: `u${String(i).padStart(3, '0')}@example.com`, AuthenticationType: POOL }));
    await em.setState({ appstream: { users } });
    const first = await em.clients.appstream.send(new DescribeUsersCommand({ AuthenticationType: POOL }));
    expect(first.Users).toHaveLength(50);
    const second = await em.clients.appstream.send(new DescribeUsersCommand({ AuthenticationType: POOL, NextToken: first.NextToken, MaxResults: 100 }));
    expect(second.Users).toHaveLength(70);
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses a bad state with the member named', async () => {
    await expect(em.setState({ appstream: { users: [{ UserName: 'a@x', AuthenticationType: 'SAML' }] } })).rejects.toThrow(/appstream.users\[0\].AuthenticationType: only USERPOOL/);
    await expect(em.setState({ appstream: { stacks: [{ Name: 'desk' }], userStackAssociations: [{ StackName: 'desk', UserName: 'nobody@x', AuthenticationType: POOL }] } })).rejects.toThrow(
      /userStackAssociations\[0\].UserName: no user named 'nobody@x'/,
    );
  });
});

describe('user-stack assignments', () => {
  it('associates and disassociates in batches, with errors per entry; the rest stands', async () => {
    const result = await em.clients.appstream.send(
      new BatchAssociateUserStackCommand({
        UserStackAssociations: [
          { StackName: 'lab', UserName: 'ana@example.com', AuthenticationType: POOL },
          { StackName: 'nope', UserName: 'ana@example.com', AuthenticationType: POOL },
          { StackName: 'lab', UserName: 'ANA@example.com', AuthenticationType: POOL },
          { StackName: 'lab', UserName: 'bob@example.com', AuthenticationType: 'SAML' },
        ],
      }),
    );
    expect(result.errors!.map((e) => [e.ErrorCode, e.UserStackAssociation!.StackName, e.UserStackAssociation!.UserName])).toEqual([
      ['STACK_NOT_FOUND', 'nope', 'ana@example.com'],
      ['USER_NAME_NOT_FOUND', 'lab', 'ANA@example.com'],
      ['DIRECTORY_NOT_FOUND', 'lab', 'bob@example.com'],
    ]);
    const { UserStackAssociations } = await em.clients.appstream.send(new DescribeUserStackAssociationsCommand({ UserName: 'ana@example.com', AuthenticationType: POOL }));
    expect(UserStackAssociations!.map((a) => a.StackName)).toEqual(['desk', 'lab']);
    const gone = await em.clients.appstream.send(
      new BatchDisassociateUserStackCommand({ UserStackAssociations: [{ StackName: 'desk', UserName: 'ana@example.com', AuthenticationType: POOL }] }),
    );
    expect(gone.errors).toEqual([]);
    const byStack = await em.clients.appstream.send(new DescribeUserStackAssociationsCommand({ StackName: 'desk' }));
    expect(byStack.UserStackAssociations).toEqual([]);
  });

  it('refuses user-pool users on a stack whose fleet is domain-joined', async () => {
    await expect(
      em.clients.appstream.send(new BatchAssociateUserStackCommand({ UserStackAssociations: [{ StackName: 'ad', UserName: 'ana@example.com', AuthenticationType: POOL }] })),
    ).rejects.toThrow(OperationNotPermittedException);
  });

  it('DescribeUserStackAssociations needs a stack or a user with its type; it pages; a deleted stack takes its assignments', async () => {
    await expect(em.clients.appstream.send(new DescribeUserStackAssociationsCommand({}))).rejects.toThrow(InvalidParameterCombinationException);
    await expect(em.clients.appstream.send(new DescribeUserStackAssociationsCommand({ UserName: 'ana@example.com' }))).rejects.toThrow(InvalidParameterCombinationException);
    const users = Array.from({ length: 30 }, (_, i) => ({ UserName: `u${String(i).padStart(2, '0')}@example.com`, AuthenticationType: POOL }));
    await em.setState({ appstream: { stacks: [{ Name: 'desk' }], users, userStackAssociations: users.map((u) => ({ ...u, StackName: 'desk' })) } });
    const first = await em.clients.appstream.send(new DescribeUserStackAssociationsCommand({ StackName: 'desk', MaxResults: 20 }));
    expect(first.UserStackAssociations).toHaveLength(20);
    const rest = await em.clients.appstream.send(new DescribeUserStackAssociationsCommand({ StackName: 'desk', MaxResults: 20, NextToken: first.NextToken }));
    expect(rest.UserStackAssociations).toHaveLength(10);
    await em.clients.appstream.send(new DeleteStackCommand({ Name: 'desk' }));
    expect((await em.getState()).appstream?.userStackAssociations).toBeUndefined();
  });
});
