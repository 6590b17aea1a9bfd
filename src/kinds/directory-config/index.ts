/**
 * Directory configs: every member of CreateDirectoryConfig, identified by DirectoryName; created and
 * updated in place (UpdateDirectoryConfig). The service account's name and password are references to
 * secrets, resolved when applying. They carry no tags: a declared one is adopted, and none is ever
 * deleted (prune included).
 */
import type { Config } from '../../config/types.js';
import { asSet } from '../../normalize/values.js';
import { itself } from '../../core/sets.js';
import { declaredValue, sortedBy } from '../resource.js';
import type { AttributeTable, KindDefinition } from '../types.js';
import { directoryConfigAddress } from './live.js';
import { normalCertificateAuth } from './normalize.js';
import { liveDirectoryConfigDigest, planDeclaredDirectoryConfig } from './plan.js';
import { recordKey, writePasswordRecord } from './records.js';
import { fingerprint, resolvePlaceholders, shown, referenceOf } from './secrets.js';

/** The reads, with the AppStream client code they need, load when a plan first describes directory configs. */
const reads = () => import('./describe.js');

const ATTRIBUTES: AttributeTable = {
  DirectoryName: { compare: 'scalar', clear: 'none', impact: 'replace' },
  OrganizationalUnitDistinguishedNames: { compare: { set: 'itself' }, clear: 'none', impact: 'update' },
  ServiceAccountCredentials: { compare: 'scalar', clear: 'none', impact: 'update' },
  CertificateBasedAuthProperties: { compare: 'scalar', clear: { value: { Status: 'DISABLED' } }, impact: 'update' },
};

/** The environment variable an imported config names for a secret: STREAMFORM_<DIRECTORY>_<MEMBER>. */
export function placeholderVariable(directoryName: string, member: 'ACCOUNT_NAME' | 'PASSWORD'): string {
  return `STREAMFORM_${directoryName.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '')}_${member}`;
}

/** The secrets (names or ARNs) that declared credentials take from this store, where plan and apply read them. */
function secretsIn(config: Config, source: 'FromSecretsManager' | 'FromSsmParameter'): string[] {
  const references = (config.directoryConfigs ?? []).flatMap(({ ServiceAccountCredentials: credentials }) => [credentials?.AccountName, credentials?.AccountPassword]);
  return [...new Set(references.flatMap((reference) => reference?.[source] ?? []))];
}

export const directoryConfigKind: KindDefinition = {
  name: 'directoryConfig',
  list: 'directoryConfigs',
  noun: 'directory config',
  plural: 'directory configs',
  service: 'appstream',
  identity: ['DirectoryName'],
  sets: [{ path: ['OrganizationalUnitDistinguishedNames'], noun: 'organizational unit', key: itself }],
  attributes: ATTRIBUTES,
  emptyLive: () => ({}),
  describe: {
    list: async (ctx, onProgress) => {
      if (ctx.config.directoryConfigs?.length) await (await reads()).listInto(ctx, onProgress);
    },
    details: async (ctx) => {
      if (ctx.config.directoryConfigs?.length) await (await reads()).fingerprintSecrets(ctx);
    },
  },

  // Declared configs only: without tags nothing proves a config is this project's, so prune never deletes one.
  plan({ config, live, wanted, subject, plan }) {
    (config.directoryConfigs ?? []).forEach((declared, i) => {
      const address = directoryConfigAddress(declared.DirectoryName);
      if (!wanted(address)) return;
      const found = live.directoryConfigs?.[declared.DirectoryName];
      const secrets = live.directoryConfigSecrets?.[declared.DirectoryName];
      const at = subject(address, `/directoryConfigs/${i}`, () => (found ? liveDirectoryConfigDigest(found, secrets) : null));
      plan(at, () => planDeclaredDirectoryConfig(declared, found, secrets, at));
    });
  },

  declaredValues: (resource) => {
    const config = resource as { OrganizationalUnitDistinguishedNames?: string[]; ServiceAccountCredentials?: { AccountName: unknown; AccountPassword: unknown } | null; CertificateBasedAuthProperties?: unknown };
    return {
      OrganizationalUnitDistinguishedNames: declaredValue(config.OrganizationalUnitDistinguishedNames, (list) => asSet(list)),
      // Only where the secrets come from: their values are nobody's business here.
      ServiceAccountCredentials: declaredValue(config.ServiceAccountCredentials, (credentials) =>
        credentials && { AccountName: shown(referenceOf(credentials.AccountName)), AccountPassword: shown(referenceOf(credentials.AccountPassword)) },
      ),
      CertificateBasedAuthProperties: declaredValue(config.CertificateBasedAuthProperties, normalCertificateAuth),
    };
  },

  importDescribe: async (...args) => (await reads()).importDirectoryConfigs(...args),
  import(live, { note }) {
    return sortedBy(Object.values(live.directoryConfigs ?? {}), (c) => c.config.DirectoryName!).map(({ config }) => {
      const name = config.DirectoryName!;
      const declared: Record<string, unknown> = { DirectoryName: name, OrganizationalUnitDistinguishedNames: asSet(config.OrganizationalUnitDistinguishedNames ?? []) ?? [] };
      if (config.ServiceAccountCredentials) {
        const variables = [placeholderVariable(name, 'ACCOUNT_NAME'), placeholderVariable(name, 'PASSWORD')];
        declared.ServiceAccountCredentials = { AccountName: { FromEnv: variables[0] }, AccountPassword: { FromEnv: variables[1] } };
        note(
          directoryConfigAddress(name),
          `ServiceAccountCredentials are placeholders: set ${variables.join(' and ')} (or point them at Secrets Manager or SSM) before planning; AWS never returns the password, so the first apply sets it`,
        );
      }
      const cba = normalCertificateAuth(config.CertificateBasedAuthProperties);
      if (cba.Status !== 'DISABLED') declared.CertificateBasedAuthProperties = cba;
      return declared;
    });
  },

  reads: [
    'DescribeDirectoryConfigs',
    { service: 'secretsmanager', operation: 'GetSecretValue', resources: (config) => secretsIn(config, 'FromSecretsManager') },
    { service: 'ssm', operation: 'GetParameter', resources: (config) => secretsIn(config, 'FromSsmParameter') },
  ],
  operations: ['CreateDirectoryConfig', 'UpdateDirectoryConfig', 'DescribeDirectoryConfigs'],
  retry: {
    doneOnResend: { CreateDirectoryConfig: 'ResourceAlreadyExistsException' },
  },

  async resolveInput(call, { clients, project }) {
    const { input, secrets, resolved } = await resolvePlaceholders(call.input, clients);
    const password = resolved.find((r) => r.path.endsWith('AccountPassword'));
    const name = call.input.DirectoryName as string;
    return {
      input,
      secrets,
      sent: password ? () => writePasswordRecord(recordKey(project, clients.region, name), { reference: password.reference, fingerprint: fingerprint(project, password.reference, password.value) }) : undefined,
    };
  },
};
