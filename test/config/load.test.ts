import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { ConfigError, formatDiagnostic } from '../../src/config/diagnostics.js';
import { configPaths, loadConfig } from '../../src/config/load.js';

const root = mkdtempSync(join(tmpdir(), 'streamform-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
/** A fresh folder with the given files. */
function folder(files: Record<string, string | Uint8Array>): string {
  const dir = join(root, String(++count));
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function problems(paths: string[]): Promise<string[]> {
  const error = await loadConfig(paths).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).diagnostics.map(formatDiagnostic);
}

const HEAD = 'version: 1\nproject: studio\n';

describe('examples', () => {
  it.each([['examples'], ['examples/studio'], ['examples/small-team.yaml'], ['examples/every-attribute.yaml']])('%s validates', async (path) => {
    const loaded = await loadConfig([path]);
    expect(loaded.config.version).toBe(1);
    expect(loaded.files.length).toBeGreaterThan(0);
  });

  it('every-attribute.yaml sets every stack attribute', async () => {
    const { config } = await loadConfig(['examples/every-attribute.yaml']);
    const schema = (await import('../../schema/streamform.schema.json', { with: { type: 'json' } })).default as {
      $defs: { StackConfig: { properties: object } };
    };
    expect(Object.keys(config.stacks![0]).sort()).toEqual(Object.keys(schema.$defs.StackConfig.properties).filter((key) => key !== 'Targets').sort());
  });
});

describe('several files', () => {
  const dir = folder({
    'b-teams.yml': `${HEAD}stacks:\n  - Name: lighting\n    Fleets: [light-fleet]\n  - Name: comp\n`,
    'a-project.yaml': `${HEAD}region: eu-west-1\nprune: true\nstacks:\n  - Name: design\n`,
    'c-images.yaml': `${HEAD}images:\n  - Name: base\n`,
    'notes.txt': 'not read',
  });

  it('reads the *.yaml and *.yml files of a folder in name order and concatenates their lists', async () => {
    const { config, files } = await loadConfig([dir]);
    expect(files).toEqual([join(dir, 'a-project.yaml'), join(dir, 'b-teams.yml'), join(dir, 'c-images.yaml')]);
    expect(config).toEqual({
      version: 1,
      project: 'studio',
      region: 'eu-west-1',
      prune: true,
      stacks: [{ Name: 'design' }, { Name: 'lighting', Fleets: ['light-fleet'] }, { Name: 'comp' }],
      images: [{ Name: 'base' }],
    });
  });

  it('locates a value of the merged config in the file and line it came from', async () => {
    const { locate } = await loadConfig([dir]);
    expect(locate('/stacks/0')).toEqual({ file: join(dir, 'a-project.yaml'), line: 6, column: 5 });
    expect(locate('/stacks/1/Fleets')).toEqual({ file: join(dir, 'b-teams.yml'), line: 5, column: 5 });
    expect(locate('/stacks/1/Fleets/0')).toEqual({ file: join(dir, 'b-teams.yml'), line: 5, column: 14 });
    expect(locate('/stacks/2/Name')).toEqual({ file: join(dir, 'b-teams.yml'), line: 6, column: 5 });
    expect(locate('/images/0')).toEqual({ file: join(dir, 'c-images.yaml'), line: 4, column: 5 });
    expect(locate('/region')).toEqual({ file: join(dir, 'a-project.yaml'), line: 3, column: 1 });
    // Not written (e.g. an attribute the plan clears because it was removed): the resource itself.
    expect(locate('/stacks/2/RedirectURL')).toEqual({ file: join(dir, 'b-teams.yml'), line: 6, column: 5 });
  });

  it('takes -f more than once, and reads a file named twice once', async () => {
    const { files, config } = await loadConfig([join(dir, 'c-images.yaml'), dir]);
    expect(files).toEqual([join(dir, 'c-images.yaml'), join(dir, 'a-project.yaml'), join(dir, 'b-teams.yml')]);
    expect(config.images).toHaveLength(1);
  });

  it('rejects files that disagree about the project, region or pruning, at the later file', async () => {
    const other = folder({
      'a.yaml': `${HEAD}region: us-east-1\n`,
      'b.yaml': 'version: 1\nproject: other\nregion: us-west-2\nprune: false\n',
      'c.yaml': `${HEAD}prune: true\n`,
    });
    expect(await problems([other])).toEqual([
      `${join(other, 'b.yaml')}:2:1: project: project "other" differs from "studio" in ${join(other, 'a.yaml')}; all files of a config must agree`,
      `${join(other, 'b.yaml')}:3:1: region: region "us-west-2" differs from "us-east-1" in ${join(other, 'a.yaml')}; all files of a config must agree`,
      `${join(other, 'c.yaml')}:3:1: prune: prune true differs from false in ${join(other, 'b.yaml')}; all files of a config must agree`,
    ]);
  });

  it('finds a name declared in two files, and says where the first one is', async () => {
    const other = folder({ 'a.yaml': `${HEAD}stacks:\n  - Name: design\n`, 'b.yaml': `${HEAD}stacks:\n  - Name: edit\n  - Name: design\n` });
    expect(await problems([other])).toEqual([`${join(other, 'b.yaml')}:5:5: stacks[1]: stack "design" is declared twice (first at ${join(other, 'a.yaml')}:4)`]);
  });

  it('reports the problems of every file, not only the first one', async () => {
    const other = folder({ 'a.yaml': `${HEAD}stacks:\n  - Name: bad name\n`, 'b.yaml': `${HEAD}images:\n  - Nmae: base\n` });
    expect(await problems([other])).toEqual([
      `${join(other, 'a.yaml')}:4:11: stacks[0].Name: expected a value matching ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$, found "bad name"`,
      `${join(other, 'b.yaml')}:4:5: images[0].Name: required property is missing`,
      `${join(other, 'b.yaml')}:4:5: images[0].Nmae: unknown property (did you mean Name?)`,
    ]);
  });
});

describe('paths', () => {
  it('refuses a path that does not exist, and a folder without YAML', async () => {
    const empty = folder({ 'readme.md': '# nothing' });
    await expect(loadConfig([join(root, 'missing.yaml')])).rejects.toThrow(new UserError(`${join(root, 'missing.yaml')}: no such file or folder`));
    await expect(loadConfig([empty])).rejects.toThrow(`${empty}: no *.yaml or *.yml files in this folder`);
  });

  it('skips folders named like YAML files, and names a file it cannot read', async () => {
    const dir = folder({ 'a.yaml': HEAD });
    mkdirSync(join(dir, 'old.yaml'));
    expect((await loadConfig([dir])).files).toEqual([join(dir, 'a.yaml')]);
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'b.yaml'));
    await expect(loadConfig([dir])).rejects.toThrow(new UserError(`${join(dir, 'b.yaml')}: cannot read it (ENOENT)`));
  });

  it('defaults to streamform.yaml in the working directory, and says what to do without it', () => {
    const here = process.cwd();
    try {
      process.chdir(folder({}));
      expect(() => configPaths('plan', undefined)).toThrow("plan: no config given; pass -f FILE|DIR, or run it in a folder that has streamform.yaml");
      writeFileSync('streamform.yaml', HEAD);
      expect(configPaths('plan', [])).toEqual(['streamform.yaml']);
      expect(configPaths('plan', ['x.yaml'])).toEqual(['x.yaml']);
    } finally {
      process.chdir(here);
    }
  });
});

describe('YAML as people write it', () => {
  it('accepts a byte order mark and CRLF line ends, and still counts lines and columns right', async () => {
    const dir = folder({ 'a.yaml': '\uFEFF' + `${HEAD}stacks:\n  - Name: design\n    Fleets: [a, a]\n`.replace(/\n/g, '\r\n') });
    expect(await problems([dir])).toEqual([`${join(dir, 'a.yaml')}:5:17: stacks[0].Fleets[1]: fleet "a" is declared twice (first at line 5)`]);
  });

  it('expands aliases into independent copies', async () => {
    const dir = folder({
      'a.yaml': `${HEAD}stacks:\n  - Name: a\n    UserSettings: &std\n      - { Action: FILE_UPLOAD, Permission: DISABLED }\n  - Name: b\n    UserSettings: *std\n`,
    });
    const { config } = await loadConfig([dir]);
    expect(config.stacks![1].UserSettings).toEqual([{ Action: 'FILE_UPLOAD', Permission: 'DISABLED' }]);
    expect(config.stacks![1].UserSettings).not.toBe(config.stacks![0].UserSettings);
  });

  it('keeps a key as written: 012 stays "012", and a quoted number is a string', async () => {
    const dir = folder({ 'a.yaml': `${HEAD}stacks:\n  - Name: a\n    Tags: { 012: "0.50", 2026: x }\n` });
    const { config } = await loadConfig([dir]);
    expect(config.stacks![0].Tags).toEqual({ '012': '0.50', '2026': 'x' });
  });

  it('cannot be made to change an object prototype', async () => {
    const error = await loadConfig(['test/fixtures/config/invalid/proto-key.yaml']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives one-line messages that name the file, however many problems there are', async () => {
    const error = (await loadConfig(['test/fixtures/config/invalid/many-problems.yaml']).catch((e: unknown) => e)) as ConfigError;
    expect(error.message).toBe(
      `test/fixtures/config/invalid/many-problems.yaml:3:9: region: expected a value matching ^[a-z]{2}(-[a-z]+)+-[0-9]+$, found "mars-1" (and 6 more; 'streamform validate' lists them all)`,
    );
    expect(error.name).toBe('UserError');
  });
});
