/**
 * Directory configs: the calls that make one match its declaration. They are never deleted (no tags
 * prove whose they are). The service account's name and password go into the calls as placeholders
 * that apply resolves just before sending; the plan compares them by keyed fingerprints only.
 */
import type { DirectoryConfigConfig } from '../../config/types.js';
import { sameValue } from '../../normalize/values.js';
import { digest } from '../../core/digest.js';
import { setDiff } from '../../diff/collections.js';
import { appstreamCall, change, type DiffSpec, type ResourcePlan, type Subject } from '../resource.js';
import type { LiveDirectoryConfig, SecretFacts } from './live.js';
import { normalCertificateAuth, normalOus } from './normalize.js';
import { placeholder, referenceOf, sameReference, shown, type SecretReference } from './secrets.js';

const call = appstreamCall;

/** Everything about the live config the plan depends on; the account name only as a fingerprint. */
export function liveDirectoryConfigDigest(live: LiveDirectoryConfig, secrets: SecretFacts | undefined): string {
  const { OrganizationalUnitDistinguishedNames, CertificateBasedAuthProperties } = live.config;
  return digest({
    ous: normalOus(OrganizationalUnitDistinguishedNames),
    cba: normalCertificateAuth(CertificateBasedAuthProperties),
    accountName: secrets?.liveAccountName ?? null,
    password: secrets?.record?.fingerprint ?? null,
  });
}

function credentialsInput(declared: NonNullable<DirectoryConfigConfig['ServiceAccountCredentials']>) {
  return { AccountName: placeholder(referenceOf(declared.AccountName)), AccountPassword: placeholder(referenceOf(declared.AccountPassword)) };
}

/** Why the password is sent again, or undefined when the last apply sent this very value from this reference. */
function passwordChange(reference: SecretReference, secrets: SecretFacts): string | undefined {
  const record = secrets.record;
  if (!record) return `set (from ${shown(reference)}; no record of the password last applied, and AWS never returns it)`;
  if (!sameReference(record.reference, reference)) return `changed (from ${shown(reference)}, was ${shown(record.reference)})`;
  if (record.fingerprint !== secrets.password) return `changed (from ${shown(reference)})`;
  return undefined;
}

export function planDeclaredDirectoryConfig(declared: DirectoryConfigConfig, live: LiveDirectoryConfig | undefined, secrets: SecretFacts | undefined, subject: Subject): ResourcePlan {
  const name = declared.DirectoryName;
  const ous = normalOus(declared.OrganizationalUnitDistinguishedNames);
  const credentials = declared.ServiceAccountCredentials;
  const cba = declared.CertificateBasedAuthProperties;
  if (!live) {
    const diffs: DiffSpec[] = [{ path: 'OrganizationalUnitDistinguishedNames', after: ous }];
    const input: Record<string, unknown> = { DirectoryName: name, OrganizationalUnitDistinguishedNames: ous };
    if (credentials) {
      input.ServiceAccountCredentials = credentialsInput(credentials);
      diffs.push(
        { path: 'ServiceAccountCredentials.AccountName', after: `set (from ${shown(referenceOf(credentials.AccountName))})` },
        { path: 'ServiceAccountCredentials.AccountPassword', after: `set (from ${shown(referenceOf(credentials.AccountPassword))})` },
      );
    }
    if (cba) {
      input.CertificateBasedAuthProperties = normalCertificateAuth(cba);
      diffs.push({ path: 'CertificateBasedAuthProperties', after: normalCertificateAuth(cba) });
    }
    return { change: change(subject, { action: 'create', diffs }), calls: [call('CreateDirectoryConfig', input)], diagnostics: [] };
  }

  const diffs: DiffSpec[] = [];
  const update: Record<string, unknown> = {};
  const liveOus = normalOus(live.config.OrganizationalUnitDistinguishedNames);
  if (!sameValue(ous, liveOus)) {
    diffs.push(setDiff('OrganizationalUnitDistinguishedNames', liveOus, ous));
    update.OrganizationalUnitDistinguishedNames = ous;
  }
  if (cba !== undefined) {
    const want = normalCertificateAuth(cba);
    const have = normalCertificateAuth(live.config.CertificateBasedAuthProperties);
    if (!sameValue(want, have)) {
      diffs.push({ path: 'CertificateBasedAuthProperties', before: have, after: want });
      update.CertificateBasedAuthProperties = want;
    }
  }
  let drift = false;
  let adopt = false;
  if (credentials && secrets) {
    const nameRef = referenceOf(credentials.AccountName);
    const passwordRef = referenceOf(credentials.AccountPassword);
    const password = passwordChange(passwordRef, secrets);
    const nameChanged = secrets.liveAccountName !== secrets.accountName;
    if (nameChanged) diffs.push({ path: 'ServiceAccountCredentials.AccountName', before: 'another account', after: `changed (from ${shown(nameRef)})` });
    if (password) diffs.push({ path: 'ServiceAccountCredentials.AccountPassword', after: password });
    // Both members go together: the API takes the credentials whole.
    if (nameChanged || password) update.ServiceAccountCredentials = credentialsInput(credentials);
    adopt = !secrets.record;
    // The last apply sent this name from this reference, and AWS has another: changed outside streamform.
    drift = nameChanged && !password && secrets.record !== undefined;
  }
  const calls = Object.keys(update).length ? [call('UpdateDirectoryConfig', { DirectoryName: name, ...update })] : [];
  return {
    change: change(subject, {
      action: calls.length ? 'update' : 'no-op',
      drift,
      adopt,
      diffs,
      ...(adopt ? { reason: 'adopt: directory configs carry no tags; streamform sets the service account credentials and records their fingerprint', reasonCode: 'adopt' as const } : {}),
    }),
    calls,
    diagnostics: [],
  };
}
