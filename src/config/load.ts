import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { KINDS } from '../kinds/index.js';
import { canonicalJson } from '../core/digest.js';
import { UserError } from '../core/errors.js';
import type { SourceLocation } from '../core/plan.js';
import { ConfigError, type ConfigDiagnostic, type Problem } from './diagnostics.js';
import { megabytes, readBounded, sizesOf } from './files.js';
import { pointerOf, segmentsOf } from './pointer.js';
import { ruleProblems } from './rules.js';
import { schemaProblems } from './schema.js';
import type { Config, LoadedConfig } from './types.js';
import { YamlFile } from './yaml.js';

/** Where a command looks for the config when no -f is given. */
export const DEFAULT_CONFIG_FILES = ['streamform.yaml', 'streamform.yml'];

/** The config paths of a command: its -f values, else streamform.yaml in the working directory. */
export function configPaths(command: string, files: string[] | undefined): string[] {
  if (files?.length) return files;
  const found = DEFAULT_CONFIG_FILES.find((name) => existsSync(name));
  if (found) return [found];
  throw new UserError(`${command}: no config given; pass -f FILE|DIR, or run it in a folder that has ${DEFAULT_CONFIG_FILES[0]}`);
}

/** Settings that any file may state, as long as every file that states one agrees. */
const SHARED_SETTINGS = ['version', 'project', 'region', 'prune'] as const;

/** Files larger than this are refused unread. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** All the files of a config together. */
export const MAX_CONFIG_BYTES = 20 * 1024 * 1024;

interface Source {
  file: string;
  /** Absent when the file was too large to read. */
  yaml?: YamlFile;
  problems: Problem[];
}

/** Where an element of a merged list came from. */
interface Origin {
  source: Source;
  index: number;
}

/**
 * Loads, checks and merges the config in `paths` (files, or folders whose *.yaml and *.yml files
 * are read in name order). Throws ConfigError with every problem found, or UserError for a path
 * that cannot be read.
 */
export async function loadConfig(paths: string[]): Promise<LoadedConfig> {
  const files = await expand(paths);
  const sources = await Promise.all(files.map(read));
  const merged = merge(sources);
  const where = (pointer: string, from: string) => {
    const location = merged.locate(pointer);
    return location.file === merged.locate(from).file ? `line ${location.line}` : `${location.file}:${location.line}`;
  };
  for (const problem of ruleProblems(merged.config, where)) {
    const { source, pointer } = merged.resolve(problem.pointer);
    source.problems.push({ ...problem, pointer });
  }
  const diagnostics = sources.flatMap(diagnosticsOf);
  if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  return {
    config: merged.config as unknown as Config,
    files,
    locate: merged.locate,
  };
}

async function expand(paths: string[]): Promise<string[]> {
  if (paths.length === 0) throw new UserError('no config files given');
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UserError(`${path}: no such file or folder`);
    if (info.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true });
      const names = entries
        .filter((entry) => /\.ya?ml$/i.test(entry.name) && !entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      if (names.length === 0) throw new UserError(`${path}: no *.yaml or *.yml files in this folder`);
      files.push(...names.map((name) => join(path, name)));
    } else if (info.isFile()) {
      files.push(path);
    } else {
      throw new UserError(`${path}: not a file or folder`);
    }
  }
  const seen = new Set<string>();
  const unique = files.filter((file) => !seen.has(resolve(file)) && seen.add(resolve(file)));
  // Files over the limit of one file are not read (and each says so); the others must fit together.
  const total = (await sizesOf(unique)).filter((size) => size <= MAX_FILE_BYTES).reduce((sum, size) => sum + size, 0);
  if (total > MAX_CONFIG_BYTES) {
    throw new UserError(`the config's ${unique.length.toLocaleString('en-US')} files hold ${megabytes(total)} together; the limit is ${megabytes(MAX_CONFIG_BYTES)}`);
  }
  return unique;
}

async function read(file: string): Promise<Source> {
  const bytes = await readLimited(file);
  if (typeof bytes === 'number') {
    const message = `file is ${megabytes(bytes)}; the limit is ${megabytes(MAX_FILE_BYTES)}`;
    return { file, problems: [{ pointer: '', message }] };
  }
  const yaml = new YamlFile(bytes);
  const problems = [...yaml.problems];
  if (yaml.value === null) problems.push({ pointer: '', offset: 0, message: 'the file is empty; it needs at least version and project' });
  else if (yaml.value !== undefined) problems.push(...schemaProblems(yaml.value).filter((p) => !within(p.pointer, yaml.problems)));
  return { file, yaml, problems };
}

/** The file's bytes, or its size when it is too large to read. */
async function readLimited(file: string): Promise<Uint8Array | number> {
  try {
    return await readBounded(file, MAX_FILE_BYTES);
  } catch (error) {
    throw new UserError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Whether the YAML reading already reported a problem with this value (e.g. its tag), which says it better. */
function within(pointer: string, reported: Problem[]): boolean {
  return reported.some((r) => r.pointer !== '' && (pointer === r.pointer || pointer.startsWith(r.pointer + '/')));
}

/** All files as one config: resource lists concatenated, shared settings stated once or alike. */
function merge(sources: Source[]) {
  // A kind with one resource per account and region is declared like a setting: once, or alike.
  const settings = [...SHARED_SETTINGS, ...KINDS.filter((kind) => kind.singleton).map((kind) => kind.list)];
  const config: Record<string, unknown> = {};
  const settingSource = new Map<string, Source>();
  const origins = new Map<string, Origin[]>();
  for (const source of sources) {
    const data = source.yaml?.value;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) continue;
    const values = data as Record<string, unknown>;
    for (const key of settings) {
      if (values[key] === undefined) continue;
      const first = settingSource.get(key);
      if (!first) {
        config[key] = values[key];
        settingSource.set(key, source);
      } else if (canonicalJson(values[key]) !== canonicalJson(config[key])) {
        const message = `${key} ${JSON.stringify(values[key])} differs from ${JSON.stringify(config[key])} in ${first.file}; all files of a config must agree`;
        source.problems.push({ pointer: pointerOf([key]), key: true, message });
      }
    }
    for (const { list: key, singleton } of KINDS) {
      const list = values[key];
      if (!Array.isArray(list) || singleton) continue;
      const merged = (config[key] ??= []) as unknown[];
      merged.push(...list);
      let from = origins.get(key);
      if (!from) origins.set(key, (from = []));
      from.push(...list.map((_, index) => ({ source, index })));
    }
  }
  /** The file and local pointer of a pointer into the merged config. */
  const resolveFn = (pointer: string): { source: Source; pointer: string } => {
    const [head, index, ...rest] = segmentsOf(pointer);
    const origin = head === undefined ? undefined : origins.get(head)?.[Number(index)];
    if (origin) return { source: origin.source, pointer: pointerOf([head, origin.index, ...rest]) };
    return { source: settingSource.get(head) ?? sources[0], pointer };
  };
  const locate = (pointer: string): SourceLocation => {
    const { source, pointer: local } = resolveFn(pointer);
    return { file: source.file, ...(source.yaml?.locate(local) ?? START) };
  };
  return { config, resolve: resolveFn, locate };
}

const START = { line: 1, column: 1 };

function diagnosticsOf(source: Source): ConfigDiagnostic[] {
  return source.problems
    .map((problem) => ({ file: source.file, ...(source.yaml?.position(problem) ?? START), path: problem.pointer, message: problem.message }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
