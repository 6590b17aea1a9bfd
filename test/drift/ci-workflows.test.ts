import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PLAN_FORMAT_VERSION, type Plan } from '../../src/shared/plan.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const workflowFiles = ['pull-request.yml', 'drift.yml'].map((name) => join(root, 'examples', 'ci', name));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Job {
  'runs-on': string;
  steps: Step[];
  needs?: string | string[];
  if?: string;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

function load(file: string): Workflow {
  return parse(readFileSync(file, 'utf8')) as Workflow;
}

function allSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

/** The streamform invocations of a run script, as argument lists with shell variables filled in. */
function streamformInvocations(script: string): string[][] {
  return script
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('streamform '))
    .map((line) => {
      const words = line.split(/\s*(?:>|\|\||&&|;|\|)\s*/)[0].match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
      return words.slice(1).map((word) => word.replace(/^["']|["']$/g, '').replace(/\$\{?\w+\}?/g, 'x'));
    });
}

describe('example GitHub Actions workflows', () => {
  for (const file of workflowFiles) {
    it(`${file.split('/').pop()} has the structure GitHub Actions requires`, () => {
      const workflow = load(file);
      expect(typeof workflow.name).toBe('string');
      expect(Object.keys(workflow.on).length).toBeGreaterThan(0);
      const jobNames = Object.keys(workflow.jobs);
      expect(jobNames.length).toBeGreaterThan(0);
      for (const [jobName, job] of Object.entries(workflow.jobs)) {
        expect(jobName).toMatch(/^[A-Za-z_][\w-]*$/);
        expect(typeof job['runs-on']).toBe('string');
        expect(job.steps.length).toBeGreaterThan(0);
        for (const need of [job.needs ?? []].flat()) expect(jobNames).toContain(need);
        for (const step of job.steps) {
          // Exactly one of `uses` and `run`; actions are pinned to a version.
          expect(Number(step.uses !== undefined) + Number(step.run !== undefined)).toBe(1);
          if (step.uses !== undefined) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w.-]+$/);
          if (step.run !== undefined) expect(typeof step.run).toBe('string');
        }
      }
    });
  }

  it('the pull-request workflow plans with a kept exit code and diffs fork PRs offline', () => {
    const workflow = load(workflowFiles[0]);
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    const commands = allSteps(workflow).flatMap((step) => streamformInvocations(step.run ?? ''));
    const plan = commands.find((args) => args[0] === 'plan');
    expect(plan).toEqual(expect.arrayContaining(['--format', 'markdown', '--comment-file', 'plan.md', '--detailed-exitcode']));
    expect(commands.some((args) => args[0] === 'validate')).toBe(true);
    expect(commands.some((args) => args[0] === 'diff')).toBe(true);
    const failStep = workflow.jobs.plan.steps.at(-1)!;
    expect(failStep.if).toContain("!= '0'");
    expect(failStep.if).toContain("!= '2'");
  });

  it('the drift workflow runs on a schedule and uploads the Markdown report even when drift fails the job', () => {
    const workflow = load(workflowFiles[1]);
    expect(workflow.on).toHaveProperty('schedule');
    const steps = allSteps(workflow);
    const drift = steps.flatMap((step) => streamformInvocations(step.run ?? '')).find((args) => args[0] === 'drift');
    expect(drift).toEqual(expect.arrayContaining(['--format', 'github', '--report', 'drift.md']));
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toContain('always()');
    expect(upload?.with?.path).toBe('drift.md');
  });

  it('every streamform command and flag the workflows use exists', () => {
    expect(existsSync(cli), `${cli} is missing: run 'npx tsc -p .' first`).toBe(true);
    const invocations = workflowFiles.flatMap((file) => allSteps(load(file)).flatMap((step) => streamformInvocations(step.run ?? '')));
    const unique = [...new Map(invocations.map((args) => [args.filter((a) => a.startsWith('-')).concat(args[0]).join(' '), args])).values()];
    expect(unique.length).toBeGreaterThanOrEqual(4);
    for (const args of unique) {
      // An unknown command or flag makes the CLI exit 1 before it looks at --help.
      const result = spawnSync(process.execPath, [cli, ...args, '--help'], { encoding: 'utf8' });
      expect(result.stderr, `streamform ${args.join(' ')}`).toBe('');
      expect(result.status, `streamform ${args.join(' ')}`).toBe(0);
    }
  });

  it("finds the plan comment by the marker line the Markdown renderer writes, the same for every plan of a project", () => {
    const script = String(load(workflowFiles[0]).jobs.plan.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!.with!.script);
    const marker = /const marker = '([^']+)'/.exec(script)![1];
    const plan = (project: string, changes: Plan['changes']): Plan => ({
      formatVersion: PLAN_FORMAT_VERSION,
      project,
      configDigest: 'd',
      configFiles: ['streamform.yaml'],
      target: { region: 'us-east-1' },
      createdAt: '2026-01-01T00:00:00.000Z',
      changes,
      calls: [],
      diagnostics: [],
      summary: { create: 0, update: 0, replace: 0, delete: 0 },
    });
    const firstLine = (p: Plan) => renderPlanMarkdown(p).split('\n', 1)[0];
    const change = { address: 'stack/a', kind: 'stack', action: 'update' as const, drift: false, adopt: false, reasonCode: 'update' as const, dependsOn: [], diffs: [], liveDigest: null };
    expect(firstLine(plan('studio', []))).toMatch(new RegExp(`^${marker}`));
    expect(firstLine(plan('studio', [change]))).toBe(firstLine(plan('studio', [])));
    expect(firstLine(plan('other', []))).not.toBe(firstLine(plan('studio', [])));
  });

  it('the comment script creates one comment and edits it on re-runs', async () => {
    const step = load(workflowFiles[0]).jobs.plan.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!;
    const script = String(step.with!.script);
    const github = new FakeIssueComments();
    const dir = mkdtempSync(join(tmpdir(), 'streamform-ci-'));
    const run = async (body: string) => {
      writeFileSync(join(dir, 'plan.md'), body);
      const require = createRequire(import.meta.url);
      const fs = { readFileSync: (path: string, encoding: BufferEncoding) => readFileSync(join(dir, path), encoding) };
      const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 } };
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
      await new AsyncFunction('github', 'context', 'require', script)(github, context, (name: string) => (name === 'fs' ? fs : require(name)));
    };
    github.comments.push({ id: 1, body: 'LGTM' });
    await run('<!-- streamform:plan project=studio -->\nfirst');
    await run('<!-- streamform:plan project=studio -->\nsecond');
    await run('<!-- streamform:plan project=other -->\nthird');
    expect(github.comments).toEqual([
      { id: 1, body: 'LGTM' },
      { id: 2, body: '<!-- streamform:plan project=studio -->\nsecond' },
      { id: 3, body: '<!-- streamform:plan project=other -->\nthird' },
    ]);
    await expect(run('no marker')).rejects.toThrow('does not start with');
  });
});

/** The part of the GitHub REST API the comment script uses, kept in memory. */
class FakeIssueComments {
  comments: { id: number; body: string }[] = [];
  rest = {
    issues: {
      listComments: async () => ({ data: this.comments }),
      createComment: async ({ body }: { body: string }) => {
        this.comments.push({ id: this.comments.length + 1, body });
      },
      updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
        this.comments.find((c) => c.id === comment_id)!.body = body;
      },
    },
  };
  paginate = async (list: () => Promise<{ data: unknown[] }>) => (await list()).data.map((c) => ({ ...(c as object) }));
}
