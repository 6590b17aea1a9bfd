/** Directory config reads: the account's configs (only when the config declares some), and the fingerprints of the declared secrets. */
import type { AppStreamClient, DirectoryConfig } from '@aws-sdk/client-appstream';
import type { AwsClients } from '../../aws/clients.js';
import { awsErrorMessage } from '../../aws/errors.js';
import { allPages, mapPool } from '../../aws/paging.js';
import { UserError } from '../../core/errors.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { directoryConfigAddress, type SecretFacts } from './live.js';
import { readPasswordRecord, recordKey } from './records.js';
import { fingerprint, referenceOf, resolveSecret, type SecretReference } from './secrets.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeDirectoryConfigsCommand } = appstreamSdk();

export function listDirectoryConfigs(client: AppStreamClient, onProgress?: (listed: number) => void): Promise<DirectoryConfig[]> {
  let listed = 0;
  return allPages(async (token) => {
    const page = await client.send(new DescribeDirectoryConfigsCommand({ NextToken: token }));
    onProgress?.((listed += page.DirectoryConfigs?.length ?? 0));
    return { items: page.DirectoryConfigs, next: page.NextToken };
  });
}

export async function listInto({ config, clients, live }: DescribeContext, onProgress: (listed: number) => void): Promise<void> {
  if (!config.directoryConfigs?.length) return;
  const configs = await listDirectoryConfigs(clients.appstream, onProgress).catch((error: unknown) => {
    throw new UserError(`cannot list the account's directory configs (DescribeDirectoryConfigs): ${awsErrorMessage(error)}`);
  });
  const section = (live.directoryConfigs ??= {});
  for (const found of configs) section[found.DirectoryName!] = { config: found };
}

/** The key the account name AWS has is fingerprinted with when no account name is declared. */
const LIVE_NAME: SecretReference = { FromEnv: 'streamform:live-account-name' };

/** Fingerprints of what the declared references resolve to now; a reference that cannot be resolved leaves its config unplanned. */
export async function fingerprintSecrets({ config, clients, live, fail }: DescribeContext): Promise<void> {
  const project = config.project;
  const known = (live.directoryConfigSecrets ??= {});
  await mapPool(config.directoryConfigs ?? [], async (declared) => {
    const name = declared.DirectoryName;
    if (known[name]) return;
    const facts: SecretFacts = {};
    try {
      const credentials = declared.ServiceAccountCredentials;
      const liveName = live.directoryConfigs?.[name]?.config.ServiceAccountCredentials?.AccountName;
      if (credentials) {
        const nameRef = referenceOf(credentials.AccountName);
        const passwordRef = referenceOf(credentials.AccountPassword);
        facts.accountName = fingerprint(project, nameRef, await resolveSecret('AccountName', nameRef, clients));
        facts.password = fingerprint(project, passwordRef, await checkedPassword(passwordRef, clients));
        if (liveName !== undefined) facts.liveAccountName = fingerprint(project, nameRef, liveName);
      } else if (liveName !== undefined) {
        facts.liveAccountName = fingerprint(project, LIVE_NAME, liveName);
      }
      facts.record = readPasswordRecord(recordKey(project, clients.region, name));
      known[name] = facts;
    } catch (error) {
      fail(directoryConfigAddress(name), 'resolving a secret', error);
    }
  });
}

/** AWS takes 1 to 127 characters; said before anything is sent, without the value. */
export async function checkedPassword(reference: SecretReference, clients: AwsClients): Promise<string> {
  const value = await resolveSecret('AccountPassword', reference, clients);
  if ([...value].length > 127) throw new UserError('AccountPassword is longer than the 127 characters AWS allows');
  return value;
}

/** Import reads every directory config (no secrets: they are imported as placeholders to fill in). */
export const importDirectoryConfigs: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { namePrefix }) => {
  for (const found of await listDirectoryConfigs(clients.appstream)) {
    if (found.DirectoryName?.startsWith(namePrefix ?? '')) (live.directoryConfigs ??= {})[found.DirectoryName!] = { config: found };
  }
};
