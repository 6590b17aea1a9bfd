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
import type { Config, LoadedConfig, Target } from './types.js';
import { forTarget, RESOURCE_LISTS, targetProblems, withoutTargetLists, type TargetView } from './targets.js';
import { didYouMean } from './suggest.js';
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
const SHARED_SETTINGS = ['version', 'project', 'region', 'targets', 'prune'] as const;

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

/** One target of a config: where it goes, and the config as it is for that target. */
export interface LoadedTarget {
  /** Absent for a config that declares no targets: its one target is the config's region. */
  target?: Target;
  loaded: LoadedConfig;
}

/**
 * Loads, checks and merges the config in `paths` (files, or folders whose *.yaml and *.yml files
 * are read in name order), once per target it declares (`only`: those named), with that target's
 * resources and variables. Throws ConfigError with every problem found, or UserError for a path
 * that cannot be read.
 */
export async function loadTargets(paths: string[], only?: readonly string[]): Promise<LoadedTarget[]> {
  const files = await expand(paths);
  const sources = await Promise.all(files.map(read));
  const settings = merge(sources, (source) => source.yaml?.value);
  for (const problem of targetProblems(settings.config)) addProblem(settings, problem);
  const declared = (settings.config.targets as Target[] | undefined) ?? [];
  // A target list that breaks the schema cannot be planned for: its problems come alone.
  if (sources.some((source) => source.problems.some((p) => p.pointer.startsWith('/targets')))) throw new ConfigError(sources.flatMap(diagnosticsOf));
  const settingsDiagnostics = sources.flatMap(diagnosticsOf);
  for (const source of sources) source.problems.length = 0;
  const chosen = selectTargets(declared, only);
  let asWritten: ReturnType<typeof checked> | undefined;
  const perTarget = (chosen.length ? chosen : [undefined]).map((target) => {
    const views = new Map(sources.map((source) => [source, forTarget(source, declared, target)]));
    // Targets that leave nothing out and put no variable in have the one config as written: it is checked once for them all.
    const same = [...views.values()].every((view) => view.asWritten);
    return { target, ...(same ? (asWritten ??= checked(sources, views)) : checked(sources, views)) };
  });
  const diagnostics = [...settingsDiagnostics, ...labelled(perTarget)];
  if (diagnostics.length > 0) throw new ConfigError(diagnostics.sort(byPlace));
  return perTarget.map(({ target, config, locate }) => ({
    ...(target ? { target } : {}),
    loaded: { config: target ? { ...config, region: target.region } : config, files, locate },
  }));
}

/** The config of a command that reads one target: the config's only one, or the one `only` names. */
export async function loadConfig(paths: string[], only?: readonly string[]): Promise<LoadedConfig> {
  const targets = await loadTargets(paths, only);
  if (targets.length > 1) {
    throw new UserError(`the config declares ${targets.length} targets (${targets.map(({ target }) => target!.name).join(', ')}); this command reads one: pass --target NAME`);
  }
  return targets[0].loaded;
}

function selectTargets(declared: Target[], only: readonly string[] | undefined): Target[] {
  if (!only?.length) return declared;
  if (!declared.length) throw new UserError(`--target ${only[0]}: the config declares no targets`);
  for (const name of only) {
    if (!declared.some((t) => t.name === name)) throw new UserError(`--target ${name}: no such target; the config has ${declared.map((t) => t.name).join(', ')}${didYouMean(name, declared.map((t) => t.name))}`);
  }
  // In the config's order, whatever the order of the flags.
  return declared.filter((target) => only.includes(target.name));
}

/** The config for one target (each file as the target sees it): its resources, variables substituted, checked against the schema and the rules. */
function checked(sources: Source[], prepared: ReadonlyMap<Source, TargetView>) {
  for (const [source, { value, problems, originOf }] of prepared) {
    source.problems.push(...problems);
    if (value === undefined) continue;
    const found = schemaProblems(value).filter(inResources).map((p) => ({ ...p, pointer: originOf(p.pointer) }));
    source.problems.push(...found.filter((p) => !within(p.pointer, source.yaml?.problems ?? [])));
  }
  const merged = merge(sources, (source) => prepared.get(source)?.value, (source, list, index) => prepared.get(source)!.originIndex(list, index));
  const where = (pointer: string, from: string) => {
    const location = merged.locate(pointer);
    return location.file === merged.locate(from).file ? `line ${location.line}` : `${location.file}:${location.line}`;
  };
  for (const problem of ruleProblems(merged.config, where)) addProblem(merged, problem);
  const diagnostics = sources.flatMap(diagnosticsOf);
  for (const source of sources) source.problems.length = 0;
  const { targets: _, ...config } = merged.config;
  return { config: withoutTargetLists(config) as unknown as Config, locate: merged.locate, diagnostics };
}

const inResources = (problem: Problem) => RESOURCE_LISTS.has(segmentsOf(problem.pointer)[0] ?? '');

function addProblem(merged: ReturnType<typeof merge>, problem: Problem): void {
  const { source, pointer } = merged.resolve(problem.pointer);
  source.problems.push({ ...problem, pointer });
}

/** A file's settings, without its resources: checked once, whatever the targets. */
function settingsOnly(source: Source): unknown {
  const value = source.yaml?.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !RESOURCE_LISTS.has(key)));
}

/** Problems of one target's diagnostics that every target has are said once; the others name their targets. */
function labelled(perTarget: { target?: Target; diagnostics: ConfigDiagnostic[] }[]): ConfigDiagnostic[] {
  const byProblem = new Map<string, { diagnostic: ConfigDiagnostic; targets: string[] }>();
  for (const { target, diagnostics } of perTarget) {
    const seen = new Map<string, number>();
    for (const diagnostic of diagnostics) {
      const place = JSON.stringify([diagnostic.file, diagnostic.line, diagnostic.column, diagnostic.message]);
      // The same problem twice in one target is two problems; in two targets, one.
      const occurrence = (seen.get(place) ?? 0) + 1;
      seen.set(place, occurrence);
      const key = `${place}#${occurrence}`;
      const entry = byProblem.get(key) ?? { diagnostic, targets: [] };
      if (target) entry.targets.push(target.name);
      byProblem.set(key, entry);
    }
  }
  return [...byProblem.values()].map(({ diagnostic, targets }) =>
    targets.length === 0 || targets.length === perTarget.length ? diagnostic : { ...diagnostic, message: `target ${targets.join(', ')}: ${diagnostic.message}` },
  );
}

const byPlace = (a: ConfigDiagnostic, b: ConfigDiagnostic) => (a.file === b.file ? a.line - b.line || a.column - b.column : 0);

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
  else if (yaml.value !== undefined) problems.push(...schemaProblems(settingsOnly({ file, yaml, problems })).filter((p) => !within(p.pointer, yaml.problems)));
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

/**
 * All files as one config: resource lists concatenated, shared settings stated once or alike.
 * `valueOf` gives a file's data (for one target); `originIndex` where an element of its lists
 * stands in the file, when the target left some out.
 */
function merge(sources: Source[], valueOf: (source: Source) => unknown, originIndex?: (source: Source, list: string, index: number) => number) {
  // A kind with one resource per account and region is declared like a setting: once, or alike.
  const settings = [...SHARED_SETTINGS, ...KINDS.filter((kind) => kind.singleton).map((kind) => kind.list)];
  // A target's pass has its settings checked already, by the pass over the files as written.
  const checkSettings = originIndex === undefined;
  const config: Record<string, unknown> = {};
  const settingSource = new Map<string, Source>();
  const origins = new Map<string, Origin[]>();
  for (const source of sources) {
    const data = valueOf(source);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) continue;
    const values = data as Record<string, unknown>;
    for (const key of settings) {
      if (values[key] === undefined) continue;
      const first = settingSource.get(key);
      if (!first) {
        config[key] = values[key];
        settingSource.set(key, source);
      } else if (checkSettings && canonicalJson(values[key]) !== canonicalJson(config[key])) {
        const message = key === 'targets' ? `targets differ from those in ${first.file}; all files of a config must agree` : `${key} ${JSON.stringify(values[key])} differs from ${JSON.stringify(config[key])} in ${first.file}; all files of a config must agree`;
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
      from.push(...list.map((_, index) => ({ source, index: originIndex?.(source, key, index) ?? index })));
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
