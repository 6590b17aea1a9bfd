/** The user pool as describe reads it, and the addresses of users and of their stack assignments. */
import type { User, UserStackAssociation } from '@aws-sdk/client-appstream';

export interface LiveUsers {
  /** The pool was listed (DescribeUsers): a name absent from `users` does not exist. */
  listed: boolean;
  /** The pool's users by their exact, case-sensitive UserName. */
  users: Record<string, User>;
  /** The assignments of each stack read (DescribeUserStackAssociations by StackName), of every authentication type. */
  stacks: Record<string, UserStackAssociation[]>;
}

declare module '../../core/live.js' {
  interface LiveSections {
    /** USERPOOL users and the assignments of the stacks the config names. */
    users: LiveUsers;
  }
}

export const USERPOOL = 'USERPOOL';
export const userAddress = (type: string, name: string) => `user/${type}/${name}`;
/** The one plan resource that batches every assignment change of one authentication type. */
export const assignmentsAddress = (type: string) => `user/${type}`;
