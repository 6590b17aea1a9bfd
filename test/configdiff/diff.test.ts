import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compareConfigs, hasConfigChanges } from '../../src/configdiff/compare.js';
import { renderConfigDiffMarkdown } from '../../src/configdiff/render.js';
import { GITHUB_COMMENT_LIMIT } from '../../src/render/markdown.js';
import type { Config, LoadedConfig } from '../../src/config/types.js';
import { lineOf, runCli, tempDir, writeYaml } from '../drift/support.js';

const BASE = `# yaml-language-server: $schema=../schema/streamform.schema.json
version: 1
project: studio
region: us-east-1
stacks:
  - Name: design
    DisplayName: Design
    RedirectURL: https://intranet.example.com/bye
    StorageConnectors:
      - ConnectorType: HOMEFOLDERS
      - ConnectorType: ONE_DRIVE
        Domains: [a.example.com, b.example.com]
    UserSettings:
      - { Action: CLIPBOARD_COPY_TO_LOCAL_DEVICE, Permission: ENABLED, MaximumLength: 1024 }
      - { Action: FILE_DOWNLOAD, Permission: DISABLED }
    EmbedHostDomains: [studio.example.com, apps.example.com]
    ApplicationSettings: { Enabled: false }
    Fleets: [design-fleet, spare-fleet]
    Tags: { team: design, cost: vfx }
  - Name: edit
    FeedbackURL: null
images:
  - Name: base-2026
    SharedWith:
      - { AccountId: "210987654321", AllowFleet: true, AllowImageBuilder: false }
      - { AccountId: "111122223333", AllowFleet: false, AllowImageBuilder: true }
    MaxBaseImageAgeDays: 180
streamingImages:
  - StudioId: stid-1
    Name: maya
    Ec2ImageId: ami-0123456789abcdef0
    Description: Maya 2026
`;

type Json = Record<string, unknown>;

/** The same config written differently: lists that are sets reversed, keys reordered, flow style, split over two files. */
function rewritten(text: string): { a: string; b: string } {
  const config = parse(text) as Json;
  const reverseKeys = (value: Json) => Object.fromEntries(Object.entries(value).reverse());
  const stacks = (config.stacks as Json[]).map((stack) =>
    reverseKeys({
      ...stack,
      ...(stack.StorageConnectors ? { StorageConnectors: [...(stack.StorageConnectors as Json[])].reverse().map(reverseKeys) } : {}),
      ...(stack.UserSettings ? { UserSettings: [...(stack.UserSettings as Json[])].reverse() } : {}),
      ...(stack.EmbedHostDomains ? { EmbedHostDomains: [...(stack.EmbedHostDomains as string[])].reverse() } : {}),
      ...(stack.Fleets ? { Fleets: [...(stack.Fleets as string[])].reverse() } : {}),
      ...(stack.ApplicationSettings ? { ApplicationSettings: null } : {}),
    }),
  );
  const images = (config.images as Json[]).map((image) => reverseKeys({ ...image, SharedWith: [...(image.SharedWith as Json[])].reverse() }));
  const head = { version: 1, project: config.project, region: config.region };
  return {
    a: stringify({ ...head, stacks: stacks.reverse() }, { collectionStyle: 'flow' }),
    b: stringify({ streamingImages: config.streamingImages, ...head, images }, { indent: 4 }),
  };
}

describe('streamform diff', () => {
  let dir: string;
  let base: string;

  beforeAll(() => {
    dir = tempDir('configdiff');
    base = writeYaml(dir, 'base.yaml', BASE);
  });

  it('prints "No changes." for a reordered, reformatted copy split over a folder', async () => {
    const { a, b } = rewritten(BASE);
    const folder = join(dir, 'rewritten');
    mkdirSync(folder);
    writeYaml(folder, 'a.yaml', a);
    writeYaml(folder, 'b.yml', b);
    const result = await runCli(['diff', base, folder, '--detailed-exitcode']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`Comparing ${base} (base) with 2 files (head)\n\nNo changes.\n`);
    expect(result.code).toBe(0);
  });

  it('shows each real change by resource and attribute, in text, JSON and Markdown', async () => {
    const head = writeYaml(
      dir,
      'head.yaml',
      BASE.replace('https://intranet.example.com/bye', 'https://intranet.example.com/signed-out')
        .replace('[studio.example.com, apps.example.com]', '[studio.example.com, new.example.com]')
        .replace('MaximumLength: 1024', 'MaximumLength: 2048')
        .replace('  - Name: edit\n    FeedbackURL: null\n', '')
        .replace('ami-0123456789abcdef0', 'ami-0fedcba9876543210')
        .replace('    DisplayName: Design\n', '')
        .replace('region: us-east-1\n', 'region: us-east-1\nprune: true\n'),
    );
    const text = await runCli(['diff', base, head, '--detailed-exitcode']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(2);
    const lines = text.stdout.split('\n');
    const block = (address: string) => {
      const start = lines.findIndex((line) => line.includes(` ${address}  (`));
      const end = lines.findIndex((line, i) => i > start && !line.startsWith('      '));
      return lines.slice(start, end).join('\n');
    };
    expect(block('stack/design')).toContain(`~ stack/design  (${head}:7:5)`);
    expect(block('stack/design')).toContain('- DisplayName: "Design"');
    expect(block('stack/design')).toContain('~ RedirectURL: "https://intranet.example.com/bye" -> "https://intranet.example.com/signed-out"');
    expect(block('stack/design')).toMatch(/~ EmbedHostDomains:\n\s+\+ "new.example.com"\n\s+- "apps.example.com"/);
    expect(block('stack/design')).toContain('~ UserSettings.CLIPBOARD_COPY_TO_LOCAL_DEVICE.MaximumLength: 1024 -> 2048');
    expect(block('stack/design')).not.toContain('Tags');
    expect(block('stack/edit')).toContain(`- stack/edit  (${base}:${lineOf(BASE, '- Name: edit')}:5)`);
    expect(block('stack/edit')).toContain('# no longer declared: prune deletes it if this project owns it');
    expect(block('streamingImage/stid-1/maya')).toContain('-/+ streamingImage/stid-1/maya');
    expect(block('streamingImage/stid-1/maya')).toContain('~ Ec2ImageId: "ami-0123456789abcdef0" -> "ami-0fedcba9876543210"');
    expect(text.stdout).not.toContain('image/base-2026');
    expect(text.stdout).toContain('~ prune: false -> true');
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('Diff: 0 added, 1 changed, 1 replaced, 1 removed, prune changed.');

    const json = await runCli(['diff', base, head, '--format', 'json']);
    expect(json.code).toBe(0);
    const diff = JSON.parse(json.stdout);
    expect(diff.summary).toEqual({ added: 0, changed: 1, replaced: 1, removed: 1 });
    expect(diff.settings).toEqual([{ path: 'prune', before: false, after: true }]);
    const design = diff.changes.find((c: { address: string }) => c.address === 'stack/design');
    expect(design.diffs.map((d: { path: string }) => d.path)).toEqual(['DisplayName', 'RedirectURL', 'EmbedHostDomains', 'UserSettings']);
    expect(design.diffs[0]).toEqual({ path: 'DisplayName', before: 'Design' });
    expect(design.source).toEqual({ file: head, line: 7, column: 5 });

    const markdown = await runCli(['diff', base, head, '--format', 'markdown']);
    expect(markdown.stdout).toContain('**Diff: 0 added, 1 changed, 1 replaced, 1 removed, prune changed.**');
    expect(markdown.stdout).toContain('<summary><code>~ stack/design</code> changed');
    expect(markdown.stdout).toContain('! RedirectURL: "https://intranet.example.com/bye" -> "https://intranet.example.com/signed-out"');
  });

  it('refuses bad input with one line naming the problem and exit 1', async () => {
    const broken = writeYaml(dir, 'broken.yaml', 'version: 1\nproject: studio\nstacks:\n  - Name: [unclosed\n');
    const cases: [string[], RegExp][] = [
      [['diff', base, join(dir, 'missing.yaml')], /missing\.yaml/],
      [['diff', base], /expected two configs, BASE and HEAD, got 1/],
      [['diff', base, base, '--format', 'html'], /--format must be one of text, json, markdown, got 'html'/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    // A wrong config is listed problem by problem, as validate lists it.
    const invalid = await runCli(['diff', broken, base]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(new RegExp(`^${broken}:\\d+:\\d+: .+\n1 error in the config\n$`));
  });
});

describe('compareConfigs', () => {
  const loaded = (config: Config): LoadedConfig => ({ config, files: ['x.yaml'], locate: () => ({ file: 'x.yaml', line: 1, column: 1 }) });
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
  const stack = fc.record(
    {
      Name: name,
      DisplayName: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
      EmbedHostDomains: fc.uniqueArray(fc.constantFrom('a.example.com', 'b.example.com', 'c.example.com'), { maxLength: 3 }),
      Fleets: fc.uniqueArray(fc.constantFrom('f1', 'f2', 'f3'), { maxLength: 3 }),
      UserSettings: fc.uniqueArray(
        fc.record({ Action: fc.constantFrom('FILE_UPLOAD', 'FILE_DOWNLOAD', 'PRINTING_TO_LOCAL_DEVICE'), Permission: fc.constantFrom('ENABLED' as const, 'DISABLED' as const) }),
        { selector: (s) => s.Action, maxLength: 3 },
      ),
      Tags: fc.dictionary(fc.constantFrom('team', 'cost', 'env'), fc.string({ maxLength: 4 })),
    },
    { requiredKeys: ['Name'] },
  );
  const config = fc.record({ stacks: fc.uniqueArray(stack, { selector: (s) => s.Name, maxLength: 4 }) }).map((c) => ({ version: 1 as const, project: 'p', ...c }) as Config);

  it('finds no change between a config and any reordering of it (property)', () => {
    fc.assert(
      fc.property(config, fc.infiniteStream(fc.boolean()), (original, flips) => {
        const shuffle = <T>(items: T[] | null | undefined) => (items ? [...items].sort(() => (flips.next().value ? 1 : -1)) : items);
        const reordered: Config = {
          ...original,
          stacks: shuffle(original.stacks)!.map((s) => ({ ...s, EmbedHostDomains: shuffle(s.EmbedHostDomains), Fleets: shuffle(s.Fleets), UserSettings: shuffle(s.UserSettings) })),
        };
        expect(hasConfigChanges(compareConfigs(loaded(original), loaded(reordered)))).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('finds exactly the changed stack when one attribute changes (property)', () => {
    fc.assert(
      fc.property(config.filter((c) => (c.stacks ?? []).length > 0), fc.nat(), fc.string({ minLength: 1, maxLength: 8 }), (original, pick, display) => {
        const stacks = original.stacks!;
        const target = stacks[pick % stacks.length];
        fc.pre(target.DisplayName !== display);
        const changed = { ...original, stacks: stacks.map((s) => (s === target ? { ...s, DisplayName: display } : s)) };
        const diff = compareConfigs(loaded(original), loaded(changed));
        expect(diff.changes.map((c) => [c.address, c.change, c.diffs.map((d) => d.path)])).toEqual([[`stack/${target.Name}`, 'changed', ['DisplayName']]]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('renderConfigDiffMarkdown', () => {
  const loaded = (config: Config): LoadedConfig => ({ config, files: ['x.yaml'], locate: () => ({ file: 'x.yaml', line: 1, column: 1 }) });
  const studio = (description: string): Config => ({
    version: 1,
    project: 'big',
    stacks: Array.from({ length: 2_000 }, (_, i) => ({ Name: `stack-${i}`, Description: `${description} ${'x'.repeat(60)}` })),
  });

  it('keeps a large diff within one GitHub comment and says how much it left out', () => {
    const diff = compareConfigs(loaded(studio('before')), loaded(studio('after')));
    const text = renderConfigDiffMarkdown(diff);
    expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const shown = text.match(/<details open>/g)!.length;
    expect(shown).toBeGreaterThan(10);
    expect(text).toContain(`${2_000 - shown} more entries are not shown`);
  });

  it('leaves a diff that fits as it is', () => {
    const small = compareConfigs(loaded({ ...studio('a'), stacks: studio('a').stacks!.slice(0, 3) }), loaded({ ...studio('b'), stacks: studio('b').stacks!.slice(0, 3) }));
    const text = renderConfigDiffMarkdown(small);
    expect(text.match(/<details open>/g)).toHaveLength(3);
    expect(text).not.toContain('shortened');
  });
});
