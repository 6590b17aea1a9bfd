import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UpdateStackCommand } from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { driftAnnotations, driftExitCode, driftFindings, driftReport } from '../../src/drift/report.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyAll, lineOf, planFile, planOf, runCli, tempDir, writeYaml } from './support.js';

const AWS_CLI = '/usr/bin/aws';
const CONFIG = `# yaml-language-server: $schema=../schema/streamform.schema.json
version: 1
project: drift-test
region: us-east-1
stacks:
  - Name: design
    DisplayName: Design
    RedirectURL: https://intranet.example.com/bye
    EmbedHostDomains: [studio.example.com]
    UserSettings:
      - { Action: FILE_DOWNLOAD, Permission: DISABLED }
    Fleets: [design-fleet]
    Tags: { team: design }
  - Name: edit
    DisplayName: Editorial
`;

/** Dummy credentials and no pager; a profile from the environment would be looked up and fail. */
function awsCliEnv(): NodeJS.ProcessEnv {
  const { AWS_PROFILE: _, AWS_DEFAULT_PROFILE: __, ...env } = process.env;
  return { ...env, AWS_PAGER: '', AWS_ACCESS_KEY_ID: 'emulator', AWS_SECRET_ACCESS_KEY: 'emulator' };
}

describe('streamform drift', () => {
  let emulator: TestEmulator;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    emulator = await startTestEmulator({
      state: { region: 'us-east-1', appstream: { fleets: [{ Name: 'design-fleet', State: 'RUNNING' }] } },
    });
    dir = tempDir('drift');
    config = writeYaml(dir, 'streamform.yaml', CONFIG);
    const summary = await applyAll(await planFile(config, emulator.clients, emulator.url), emulator.url);
    expect(summary.failed).toBe(0);
  });
  afterAll(() => emulator?.close());

  it('finds no drift right after an apply, and says so with exit 0', async () => {
    const result = await runCli(['drift', '-f', config, '--endpoint', emulator.url]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('No drift.');
    expect(result.code).toBe(0);
  });

  it('names the stack and attribute changed with the AWS CLI, at its YAML line (text, github, json, markdown report)', async (ctx) => {
    if (!existsSync(AWS_CLI)) {
      if (process.env.STREAMFORM_REQUIRE_AWS_CLI === '1') throw new Error(`${AWS_CLI} is required (STREAMFORM_REQUIRE_AWS_CLI=1)`);
      console.warn(`SKIPPED: ${AWS_CLI} is missing; install awscli to run the drift test with the AWS CLI`);
      ctx.skip();
    }
    await promisify(execFile)(
      AWS_CLI,
      ['appstream', 'update-stack', '--name', 'design', '--redirect-url', 'https://elsewhere.example.com/', '--endpoint-url', emulator.url, '--region', 'us-east-1'],
      { env: awsCliEnv() },
    );
    try {
      const text = await runCli(['drift', '-f', config, '--endpoint', emulator.url, '--report', join(dir, 'drift.md')]);
      expect(text.stderr).toBe('');
      expect(text.code).toBe(2);
      expect(text.stdout).toMatch(/^Drift report for project "drift-test" in /);
      expect(text.stdout).toMatch(/~ stack\/design \(drift\)/);
      expect(text.stdout).toContain('RedirectURL: "https://elsewhere.example.com/" -> "https://intranet.example.com/bye"');
      expect(text.stdout).not.toContain('stack/edit');
      expect(text.stdout).toContain(
        `${config}:${lineOf(CONFIG, 'RedirectURL:')}:5: drift: stack/design RedirectURL: AWS has "https://elsewhere.example.com/", the config declares "https://intranet.example.com/bye"\n` +
          '\nDrift: 1 resource changed outside streamform.\n',
      );

      const report = readFileSync(join(dir, 'drift.md'), 'utf8');
      expect(report.split('\n')[0]).toBe('<!-- streamform:drift project=drift-test -->');
      expect(report).toContain('Changed outside streamform (drift)');
      expect(report).toContain('stack/design');

      const github = await runCli(['drift', '-f', config, '--endpoint', emulator.url, '--format', 'github']);
      expect(github.code).toBe(2);
      const line = lineOf(CONFIG, 'RedirectURL:');
      const [annotation, ...rest] = github.stdout.trimEnd().split('\n');
      expect(annotation).toBe(
        `::warning file=${config.replace(/:/g, '%3A')},line=${line},col=5,title=Drift%3A stack/design RedirectURL::` +
          'stack/design: RedirectURL was changed outside streamform: AWS has "https://elsewhere.example.com/", the config declares "https://intranet.example.com/bye"',
      );
      expect(rest).toEqual(['Drift: 1 resource changed outside streamform.']);

      const json = await runCli(['drift', '-f', config, '--endpoint', emulator.url, '--format', 'json']);
      expect(json.code).toBe(2);
      const parsed = JSON.parse(json.stdout);
      expect(parsed.summary).toEqual({ drifted: 1, errors: 0, warnings: 0, pending: 0, missing: [] });
      expect(parsed.plan.changes.map((c: { address: string; drift: boolean }) => [c.address, c.drift])).toEqual([['stack/design', true]]);
      expect(parsed.plan.calls).toEqual([
        expect.objectContaining({ id: 1, operation: 'UpdateStack', input: expect.objectContaining({ Name: 'design', RedirectURL: 'https://intranet.example.com/bye' }) }),
      ]);
    } finally {
      await emulator.clients.appstream.send(new UpdateStackCommand({ Name: 'design', RedirectURL: 'https://intranet.example.com/bye' }));
    }
  });

  it('tells config changes apart from drift: a config edit is pending, not drift', async () => {
    const edited = writeYaml(dir, 'edited.yaml', CONFIG.replace('DisplayName: Editorial', 'DisplayName: Editing'));
    await emulator.clients.appstream.send(new UpdateStackCommand({ Name: 'design', AttributesToDelete: ['EMBED_HOST_DOMAINS'] }));
    try {
      const report = driftReport(await planFile(edited, emulator.clients, emulator.url));
      expect(report.plan.changes.map((c) => c.address)).toEqual(['stack/design']);
      expect(report.plan.changes[0].diffs.map((d) => d.path)).toEqual(['EmbedHostDomains']);
      expect(report.pending).toBe(1);
      expect(driftExitCode(report)).toBe(2);
      const [annotation] = driftAnnotations(report, driftFindings(report, await loadConfig([edited])));
      expect(annotation).toContain(`,line=${lineOf(CONFIG, 'EmbedHostDomains:')},`);
      expect(annotation).toContain('EmbedHostDomains was changed outside streamform: missing in AWS ["studio.example.com"]');
    } finally {
      await emulator.clients.appstream.send(new UpdateStackCommand({ Name: 'design', EmbedHostDomains: ['studio.example.com'] }));
    }
  });

  it('reports health problems even without drift: stack errors are errors (exit 1), old base images warnings (exit 2 with --fail-on warnings)', async () => {
    const health = await startTestEmulator({
      state: {
        region: 'us-east-1',
        appstream: {
          stacks: [{ Name: 'broken', StackErrors: [{ ErrorCode: 'STORAGE_CONNECTOR_ERROR', ErrorMessage: 'The home folder bucket is gone.' }] }],
          images: [{ Name: 'old-base', State: 'AVAILABLE', PublicBaseImageReleasedDate: '2020-01-01T00:00:00Z', Tags: { team: 'x' } }],
        },
      },
    });
    try {
      const file = writeYaml(dir, 'health.yaml', 'version: 1\nproject: drift-test\nstacks:\n  - Name: broken\nimages:\n  - Name: old-base\n    MaxBaseImageAgeDays: 90\n');
      const loaded = await loadConfig([file]);
      const report = driftReport(await planOf(loaded, health.clients, health.url));
      expect(report.plan.changes).toEqual([]);
      expect(driftExitCode(report)).toBe(1);
      const annotations = driftAnnotations(report, driftFindings(report, loaded));
      expect(annotations).toEqual([
        expect.stringMatching(/^::error file=.*health\.yaml,line=4,col=5,title=stack\/broken::stack\/broken: .*STORAGE_CONNECTOR_ERROR/),
        expect.stringMatching(/^::warning file=.*health\.yaml,line=6,col=5,title=image\/old-base::image\/old-base: .*MaxBaseImageAgeDays \(90\)/),
      ]);
      const warningsOnly = driftReport({ ...report.plan, diagnostics: report.plan.diagnostics.filter((d) => d.severity === 'warning') });
      // A warning (an old base image) keeps a nightly job red only when asked.
      expect(driftExitCode(warningsOnly)).toBe(0);
      expect(driftExitCode(warningsOnly, ['drift', 'errors', 'warnings'])).toBe(2);
      expect(driftExitCode(report, ['drift'])).toBe(0);
    } finally {
      await health.close();
    }
  });

  it('refuses bad input with one line and exit 1', async () => {
    const missing = await runCli(['drift', '-f', join(dir, 'nope.yaml'), '--endpoint', emulator.url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('nope.yaml');
    const badFormat = await runCli(['drift', '-f', config, '--format', 'xml']);
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toBe("streamform: drift: --format must be one of text, json, markdown, github, got 'xml'\n");
  });
});

describe('drift --fail-on and pending creates', () => {
  it('reports a declared resource deleted by hand as a pending create, failing only with --fail-on pending', async () => {
    const dir = tempDir('pending');
    const emulator = await startTestEmulator({ state: { appstream: { stacks: [{ Name: 'kept', Tags: { 'streamform:project': 'p' } }] } } });
    try {
      const file = writeYaml(dir, 'p.yaml', 'version: 1\nproject: p\nstacks:\n  - Name: kept\n  - Name: gone\n');
      const clean = await runCli(['drift', '-f', file, '--endpoint', emulator.url]);
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stdout).toContain('1 declared resource does not exist (pending create): stack/gone.');
      const strict = await runCli(['drift', '-f', file, '--endpoint', emulator.url, '--fail-on', 'drift,errors,pending']);
      expect(strict.code).toBe(2);
      const json = JSON.parse((await runCli(['drift', '-f', file, '--endpoint', emulator.url, '--format', 'json'])).stdout) as { summary: { missing: string[] } };
      expect(json.summary.missing).toEqual(['stack/gone']);
      const bad = await runCli(['drift', '-f', file, '--endpoint', emulator.url, '--fail-on', 'drift,typos']);
      expect(bad).toMatchObject({ code: 1, stderr: "streamform: drift: --fail-on takes a comma-separated list of drift, errors, warnings, pending, got 'drift,typos'\n" });
    } finally {
      await emulator.close();
    }
  });
});
