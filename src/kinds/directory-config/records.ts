/**
 * The last-applied record of directory configs. They take no tags, so the record cannot live on
 * the resource as other kinds' records do: it is kept in a small JSON file, by default
 * `.streamform/records.json` in the working directory (STREAMFORM_RECORDS names another). It holds,
 * per project, region and directory, the password's reference and the keyed fingerprint of the
 * value last sent: never a value. Without a record, the password is set again (AWS never returns it).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../core/errors.js';
import type { SecretReference } from './secrets.js';

export interface PasswordRecord {
  reference: SecretReference;
  fingerprint: string;
}

interface RecordFile {
  formatVersion: 1;
  directoryConfigs: Record<string, { password: PasswordRecord }>;
}

export const recordsPath = () => process.env.STREAMFORM_RECORDS || join('.streamform', 'records.json');

export const recordKey = (project: string, region: string, directoryName: string) => `${project}/${region}/${directoryName}`;

function readFile(): RecordFile {
  const path = recordsPath();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { formatVersion: 1, directoryConfigs: {} };
    throw new UserError(`cannot read the directory config records ${path}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as RecordFile;
    if (parsed.formatVersion !== 1 || typeof parsed.directoryConfigs !== 'object' || parsed.directoryConfigs === null) throw new Error('not a record file of format 1');
    return parsed;
  } catch (error) {
    throw new UserError(`the directory config records ${path} are unreadable (${(error as Error).message}); delete the file to set every password again`);
  }
}

export function readPasswordRecord(key: string): PasswordRecord | undefined {
  return readFile().directoryConfigs[key]?.password;
}

/** Written whole to a file beside it, then renamed, so a run that stops midway leaves the old file. */
export function writePasswordRecord(key: string, password: PasswordRecord): void {
  const path = recordsPath();
  const file = readFile();
  file.directoryConfigs[key] = { password };
  file.directoryConfigs = Object.fromEntries(Object.entries(file.directoryConfigs).sort(([a], [b]) => (a < b ? -1 : 1)));
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, path);
}
