/** A directory config as describe reads it, and its address. */
import type { DirectoryConfig } from '@aws-sdk/client-appstream';
import type { PasswordRecord } from './records.js';

export interface LiveDirectoryConfig {
  config: DirectoryConfig;
}

/**
 * What the plan knows of a declared config's secrets without knowing them: keyed fingerprints of the
 * values its references resolve to now, of the account name AWS has, and the record of the last apply.
 */
export interface SecretFacts {
  accountName?: string;
  password?: string;
  /** The account name AWS has, fingerprinted with the declared account name's key. */
  liveAccountName?: string;
  record?: PasswordRecord;
}

declare module '../../core/live.js' {
  interface LiveSections {
    /** The account's directory configs, by directory name (read only when the config declares some). */
    directoryConfigs?: Record<string, LiveDirectoryConfig>;
    /** By directory name: what the declared secret references resolve to, as fingerprints. */
    directoryConfigSecrets?: Record<string, SecretFacts>;
  }
}

export const directoryConfigAddress = (name: string) => `directoryConfig/${name}`;
