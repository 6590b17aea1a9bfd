/**
 * References to secrets: where a value comes from (an environment variable, a file, Secrets Manager,
 * SSM Parameter Store), resolved only when needed. A plan carries the reference inside a placeholder
 * ({"$secret": reference}) where the value goes, and keeps a keyed fingerprint (HMAC-SHA-256) to tell
 * a change; the value itself is never kept, printed or written, and no message quotes it.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AwsClients } from '../../aws/clients.js';
import type { SecretReference as ConfigSecretReference } from '../../config/types.js';
import { awsErrorMessage } from '../../aws/errors.js';
import { secretsManagerSdk, ssmSdk } from '../../aws/sdk.js';
import { canonicalJson } from '../../core/digest.js';
import { UserError } from '../../core/errors.js';

/** One of the config's secret references (the schema's SecretReference). */
export type SecretReference = ConfigSecretReference;

/** The member of a placeholder: `{"$secret": {...reference}}` stands where the value goes in a planned call. */
export const PLACEHOLDER = '$secret';

export const placeholder = (reference: SecretReference) => ({ [PLACEHOLDER]: reference });

/** Only the four sources and Key (the loader checked the rest). */
export function referenceOf(value: unknown): SecretReference {
  const { FromEnv, FromFile, FromSecretsManager, Key, FromSsmParameter } = (value ?? {}) as SecretReference;
  return JSON.parse(JSON.stringify({ FromEnv, FromFile, FromSecretsManager, Key, FromSsmParameter })) as SecretReference;
}

/** The reference for people: "env AD_PASSWORD", "secret corp/ad (key password)". */
export function shown(reference: SecretReference): string {
  if (reference.FromEnv !== undefined) return `env ${reference.FromEnv}`;
  if (reference.FromFile !== undefined) return `file ${reference.FromFile}`;
  if (reference.FromSecretsManager !== undefined) return `secret ${reference.FromSecretsManager}${reference.Key !== undefined ? ` (key ${reference.Key})` : ''}`;
  return `SSM parameter ${reference.FromSsmParameter}`;
}

export const sameReference = (a: SecretReference | undefined, b: SecretReference | undefined) => a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b);

/**
 * A keyed hash, so that the fingerprint of one value differs from project to project and from
 * reference to reference, and no table of plain hashes matches it. STREAMFORM_FINGERPRINT_KEY, when
 * set (alike wherever the project plans), adds a key of the user's own.
 */
export function fingerprint(project: string, reference: SecretReference, value: string): string {
  const key = createHash('sha256').update(['streamform secret fingerprint', project, canonicalJson(reference), process.env.STREAMFORM_FINGERPRINT_KEY ?? ''].join('\u0000')).digest();
  return createHmac('sha256', key).update(value).digest('hex').slice(0, 32);
}

/** What the secret is, for the one-line messages: which member, from where. */
const about = (member: string, reference: SecretReference) => `${member} (from ${shown(reference)})`;

/** The value a reference points at now. Every failure names the member and the reference, never a value. */
export async function resolveSecret(member: string, reference: SecretReference, clients: AwsClients): Promise<string> {
  const value = await read(member, reference, clients);
  if (value === '') throw new UserError(`${about(member, reference)} is empty`);
  return value;
}

async function read(member: string, reference: SecretReference, clients: AwsClients): Promise<string> {
  if (reference.FromEnv !== undefined) {
    const value = process.env[reference.FromEnv];
    if (value === undefined) throw new UserError(`${about(member, reference)}: the environment variable ${reference.FromEnv} is not set`);
    return value;
  }
  if (reference.FromFile !== undefined) {
    try {
      return readFileSync(reference.FromFile, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserError(`${about(member, reference)}: cannot read the file${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
    }
  }
  if (reference.FromSecretsManager !== undefined) {
    const { GetSecretValueCommand } = secretsManagerSdk();
    const client = clients.secretsmanager;
    const answer = await client.send(new GetSecretValueCommand({ SecretId: reference.FromSecretsManager })).catch((error: unknown) => {
      throw new UserError(`${about(member, reference)}: GetSecretValue failed: ${awsErrorMessage(error)}`);
    });
    const text = answer.SecretString ?? (answer.SecretBinary ? Buffer.from(answer.SecretBinary).toString('utf8') : undefined);
    if (text === undefined) throw new UserError(`${about(member, reference)}: the secret has no value`);
    if (reference.Key === undefined) return text;
    let members: unknown;
    try {
      members = JSON.parse(text);
    } catch {
      throw new UserError(`${about(member, reference)}: the secret is not a JSON object, so it has no key ${reference.Key}`);
    }
    const value = (members as Record<string, unknown> | null)?.[reference.Key];
    if (typeof value !== 'string') throw new UserError(`${about(member, reference)}: the secret has no text member ${reference.Key}`);
    return value;
  }
  const { GetParameterCommand } = ssmSdk();
  const client = clients.ssm;
  const answer = await client.send(new GetParameterCommand({ Name: reference.FromSsmParameter, WithDecryption: true })).catch((error: unknown) => {
    throw new UserError(`${about(member, reference)}: GetParameter failed: ${awsErrorMessage(error)}`);
  });
  if (answer.Parameter?.Value === undefined) throw new UserError(`${about(member, reference)}: the parameter has no value`);
  return answer.Parameter.Value;
}

/**
 * A planned call's input with every placeholder replaced by the value its reference resolves to,
 * and the values, so that what reports a failure can keep them out.
 */
export async function resolvePlaceholders(input: Record<string, unknown>, clients: AwsClients): Promise<{ input: Record<string, unknown>; secrets: string[]; resolved: { path: string; reference: SecretReference; value: string }[] }> {
  const resolved: { path: string; reference: SecretReference; value: string }[] = [];
  const walk = async (value: unknown, path: string): Promise<unknown> => {
    if (Array.isArray(value)) return Promise.all(value.map((item, i) => walk(item, `${path}.${i}`)));
    if (typeof value !== 'object' || value === null) return value;
    const object = value as Record<string, unknown>;
    if (Object.keys(object).length === 1 && object[PLACEHOLDER] !== undefined) {
      const reference = referenceOf(object[PLACEHOLDER]);
      const secret = await resolveSecret(path.split('.').pop()!, reference, clients);
      resolved.push({ path, reference, value: secret });
      return secret;
    }
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(object)) out[key] = await walk(member, path ? `${path}.${key}` : key);
    return out;
  };
  const out = (await walk(input, '')) as Record<string, unknown>;
  return { input: out, secrets: resolved.map((r) => r.value), resolved };
}
