/**
 * The example workflows (examples/ci) checked offline: actionlint is not packaged for Debian, so the
 * structure GitHub Actions requires, the pins, the permissions and the lock are checked here; the
 * streamform commands and flags they use are run with --help; their scripts are run, the
 * github-script ones against an in-memory GitHub API and the shell ones in bash.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadYaml, PINNED, runStep, usesLines, type Step, type Workflow } from '../packaging/github-actions.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const file = (name: string) => join(root, 'examples', 'ci', name);
const FILES = ['pull-request.yml', 'apply.yml', 'drift.yml', 'targets.yml'];
const load = (name: string) => loadYaml<Workflow>(file(name));

const temporary: string[] = [];
function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** The current major of each action the workflows use, all on Node 24. */
const MAJORS: Record<string, string> = {
  'actions/checkout': 'v6',
  'actions/setup-node': 'v6',
  'actions/github-script': 'v8',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v8',
  'aws-actions/configure-aws-credentials': 'v6',
};
/** This repository's action, as the examples name it until a release is chosen. */
const STREAMFORM_ACTION = 'your-org/streamform';
const PLACEHOLDER_SHA = '0'.repeat(40);

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

const isStreamform = (step: Step) => step.uses?.startsWith(`${STREAMFORM_ACTION}@`) === true;

/** The streamform command line a step of this repository's action runs, as action.yml builds it; expressions are x. */
function actionCommand(step: Step): string[] {
  const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{\{.*?\}\}/g, 'x')]));
  const args = [w.command ?? 'plan'];
  if (w.format) args.push('--format', w.format);
  if (w['comment-file']) args.push('--comment-file', w['comment-file']);
  if (w.targets) args.push(...w.targets.split('\n').filter(Boolean).flatMap((target) => ['--target', target]));
  if (args[0] === 'plan') args.push('--out', w['plan-file'] || 'x', '--detailed-exitcode');
  if (args[0] === 'diff') args.push('--detailed-exitcode');
  return [...args, ...(w.args ?? '').split(/\s+/).filter(Boolean)];
}

/** `streamform ...` lines of a run script, shell variables filled in. */
function runCommands(script: string): string[][] {
  return script
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('streamform '))
    .map((line) => (line.split(/\s*(?:>|\|\||&&|;|\|)\s*/)[0].match(/"[^"]*"|'[^']*'|\S+/g) ?? []).slice(1).map((w) => w.replace(/^["']|["']$/g, '').replace(/\$\{?\w+\}?/g, 'x')));
}

function scriptOf(workflow: Workflow, job: string, name: string): string {
  const step = workflow.jobs[job].steps.find((s) => s.name === name);
  if (!step?.with?.script) throw new Error(`no github-script step '${name}' in job ${job}`);
  return String(step.with.script);
}

describe('example GitHub Actions workflows', () => {
  for (const name of FILES) {
    it(`${name} has the structure GitHub Actions requires, least privilege and pinned actions`, () => {
      const workflow = load(name);
      expect(typeof workflow.name).toBe('string');
      expect(Object.keys(workflow.on).length).toBeGreaterThan(0);
      // Nothing by default; each job asks for what it uses.
      expect(workflow.permissions).toEqual({});
      const jobNames = Object.keys(workflow.jobs);
      for (const [jobName, job] of Object.entries(workflow.jobs)) {
        expect(jobName).toMatch(/^[A-Za-z_][\w-]*$/);
        expect(typeof job['runs-on']).toBe('string');
        expect(job.permissions, `${jobName} permissions`).toBeDefined();
        expect(Object.values(job.permissions!).every((p) => p === 'read' || p === 'write')).toBe(true);
        expect(job.steps.length).toBeGreaterThan(0);
        for (const need of [job.needs ?? []].flat()) expect(jobNames).toContain(need);
        const ids = job.steps.map((step) => step.id).filter(Boolean);
        expect(new Set(ids).size).toBe(ids.length);
        for (const step of job.steps) {
          expect(Number(step.uses !== undefined) + Number(step.run !== undefined), step.name).toBe(1);
          // Expressions go to scripts through env, never pasted into them.
          if (step.run !== undefined) expect(step.run, step.name).not.toContain('${{');
          for (const text of [step.if ?? '', ...Object.values(step.with ?? {}).map(String), ...Object.values(step.env ?? {})]) {
            for (const [, id] of text.matchAll(/steps\.([\w-]+)\./g)) expect(ids, `${jobName}: ${text}`).toContain(id);
          }
        }
      }
      // No credentials left behind in .git for later steps.
      for (const step of steps(workflow).filter((s) => s.uses?.startsWith('actions/checkout@'))) expect(step.with?.['persist-credentials']).toBe(false);
    });

    it(`${name} pins every action to a commit, with the release beside it`, () => {
      const uses = usesLines(file(name));
      expect(uses.length).toBeGreaterThan(2);
      for (const { uses: target, comment } of uses) {
        const pinned = PINNED.exec(target);
        expect(pinned, target).not.toBeNull();
        const [, action, sha] = pinned!;
        if (action === STREAMFORM_ACTION) {
          expect(sha).toBe(PLACEHOLDER_SHA);
          expect(comment).toMatch(/^replace with a streamform release commit$/);
        } else {
          expect(Object.keys(MAJORS), target).toContain(action);
          expect(sha).not.toBe(PLACEHOLDER_SHA);
          expect(comment, target).toMatch(new RegExp(`^${MAJORS[action]}(\\.\\d+){0,2}$`));
        }
      }
    });
  }

  it('the same pin for each action everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const name of FILES) for (const { uses } of usesLines(file(name))) pins.set(uses.split('@')[0], (pins.get(uses.split('@')[0]) ?? new Set()).add(uses));
    for (const [action, seen] of pins) expect([...seen], action).toHaveLength(1);
  });

  it('every streamform command and flag the workflows use exists', async () => {
    expect(existsSync(cli), `${cli} is missing: run 'npx tsc -p .' first`).toBe(true);
    const all = FILES.flatMap((name) => steps(load(name)));
    const invocations = [...all.filter(isStreamform).map(actionCommand), ...all.flatMap((step) => runCommands(step.run ?? ''))];
    expect(invocations.map((args) => args[0]).sort()).toEqual(['apply', 'diff', 'drift', 'merge', 'plan', 'plan', 'validate', 'validate', 'validate']);
    for (const args of invocations) {
      // An unknown command or flag makes the CLI exit 1 before it looks at --help.
      const result = await new Promise<{ code: number; stderr: string }>((done) =>
        execFile(process.execPath, [cli, ...args, '--help'], (error, _stdout, stderr) => done({ code: error ? Number((error as { code?: number }).code) : 0, stderr })),
      );
      expect(result, `streamform ${args.join(' ')}`).toEqual({ code: 0, stderr: '' });
    }
  });
});

describe('pull-request.yml', () => {
  const workflow = load('pull-request.yml');
  const plan = workflow.jobs.plan;

  it('validates, plans with the comment and the saved plan, and keeps the plan only when it has no errors', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(plan.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(plan.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
    const [validate, planStep] = plan.steps.filter(isStreamform);
    expect(actionCommand(validate)).toEqual(['validate', '--format', 'json']);
    expect(validate.with?.['output-file']).toBe('validate.json');
    expect(actionCommand(planStep)).toEqual(['plan', '--format', 'text', '--comment-file', 'plan.md', '--out', 'plan.json', '--detailed-exitcode']);
    const upload = plan.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBeUndefined(); // success(): validation and plan passed, exit code 0 or 2
    expect(upload.with).toMatchObject({ name: 'streamform-plan', path: 'plan.json' });
    expect(plan.steps.at(-1)!.if).toBe('${{ !cancelled() }}');
  });

  it('diffs a fork pull request offline, with read access only', () => {
    const fork = workflow.jobs['diff-from-fork'];
    expect(fork.if).toBe('github.event.pull_request.head.repo.full_name != github.repository');
    expect(fork.permissions).toEqual({ contents: 'read' });
    expect(fork.steps.some((s) => s.uses?.startsWith('aws-actions/'))).toBe(false);
    expect(fork.steps.filter(isStreamform).map(actionCommand)).toEqual([
      ['validate', '--format', 'json'],
      ['diff', '--format', 'markdown', '--detailed-exitcode', 'x', 'head/x'],
    ]);
  });

  it('compares a pull request that adds the config with an empty config of its project', async () => {
    const dir = temporaryDir('streamform-fork-');
    mkdirSync(join(dir, 'base'));
    mkdirSync(join(dir, 'head', 'streamform'), { recursive: true });
    writeFileSync(join(dir, 'head', 'streamform', 'studio.yaml'), 'version: 1\nproject: "new: studio"\nstacks:\n  - Name: design\n');
    const env = { PATH: process.env.PATH ?? '', HOME: dir, STREAMFORM_CONFIG: 'streamform' };
    const streamform = (args: string[]) =>
      new Promise<{ code: number; stdout: string }>((done) => execFile(process.execPath, [cli, ...args], { cwd: dir, env }, (error, stdout) => done({ code: error ? Number((error as { code?: number }).code) : 0, stdout })));
    writeFileSync(join(dir, 'validate.json'), (await streamform(['validate', '-f', 'head/streamform', '--format', 'json'])).stdout);

    const step = workflow.jobs['diff-from-fork'].steps.find((s) => s.name === 'Find the base config')!;
    const envFile = join(dir, 'github-env');
    writeFileSync(envFile, '');
    const found = await runStep(step, {}, { ...env, GITHUB_ENV: envFile }, dir);
    expect(found.code, found.stderr).toBe(0);
    expect(readFileSync(envFile, 'utf8')).toBe('STREAMFORM_BASE=empty-base.yaml\n');
    const diff = await streamform(['diff', 'empty-base.yaml', 'head/streamform', '--detailed-exitcode']);
    expect(diff.code).toBe(2);
    expect(diff.stdout).toContain('stack/design');

    mkdirSync(join(dir, 'base', 'streamform'));
    writeFileSync(envFile, '');
    expect((await runStep(step, {}, { ...env, GITHUB_ENV: envFile }, dir)).code).toBe(0);
    expect(readFileSync(envFile, 'utf8')).toBe('STREAMFORM_BASE=base/streamform\n');
  });

  describe('the comment and labels script', () => {
    const script = scriptOf(workflow, 'plan', 'Comment and label the pull request');
    const marker = '<!-- streamform:pull-request config=streamform -->';

    async function post(github: FakeGitHub, files: Record<string, string>, env: Record<string, string>) {
      const dir = temporaryDir('streamform-comment-');
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const fs = {
        existsSync: (path: string) => existsSync(join(dir, path)),
        readFileSync: (path: string, encoding: BufferEncoding) => readFileSync(join(dir, path), encoding),
      };
      const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 }, runId: 1234, serverUrl: 'https://github.com', payload: { pull_request: { head: { sha: 'abcdef0123456789abcdef0123456789abcdef01' } } } };
      const core = { warning: (message: string) => github.warnings.push(message) };
      const values = { STREAMFORM_CONFIG: 'streamform', VALIDATION: 'success', PLAN_EXIT_CODE: '', CHANGES: '', DESTROY: '', ...env };
      const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
      Object.assign(process.env, values);
      const require = createRequire(import.meta.url);
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
      try {
        await new AsyncFunction('github', 'context', 'core', 'require', script)(github, context, core, (name: string) => (name === 'fs' ? fs : require(name)));
      } finally {
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    }

    const planned = (body: string) => ({ 'plan.md': `<!-- streamform:plan project=studio -->\n${body}\n` });

    it('creates one comment, marked and stamped, and edits only that one afterwards', async () => {
      const github = new FakeGitHub();
      github.comments.push({ id: 1, body: 'LGTM', user: { login: 'octocat' } });
      // Someone quoting the marker does not get their comment taken over.
      github.comments.push({ id: 2, body: `${marker}\nquoted`, user: { login: 'octocat' } });
      await post(github, planned('first'), { PLAN_EXIT_CODE: '2', CHANGES: 'true', DESTROY: 'false' });
      await post(github, planned('second'), { PLAN_EXIT_CODE: '2', CHANGES: 'true', DESTROY: 'false' });
      expect(github.comments.map((c) => c.id)).toEqual([1, 2, 3]);
      const [first, stamp, blank, ...rest] = github.comments[2].body.split('\n');
      expect(first).toBe(marker);
      expect(stamp).toMatch(/^<sub>Commit abcdef0 · \[run 1234\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1234\) · \d{4}-\d\d-\d\dT[\d:.]+Z<\/sub>$/);
      expect([blank, ...rest].join('\n')).toBe('\n<!-- streamform:plan project=studio -->\nsecond\n');
      expect(github.comments[2].user.login).toBe('github-actions[bot]');
    });

    it('labels what the plan does and removes labels that no longer hold', async () => {
      const github = new FakeGitHub();
      await post(github, planned('deletes'), { PLAN_EXIT_CODE: '2', CHANGES: 'true', DESTROY: 'true' });
      expect(github.labels).toEqual(['streamform:changes', 'streamform:destroy']);
      await post(github, planned('updates'), { PLAN_EXIT_CODE: '2', CHANGES: 'true', DESTROY: 'false' });
      expect(github.labels).toEqual(['streamform:changes']);
      github.labels.push('needs-review');
      await post(github, planned('nothing'), { PLAN_EXIT_CODE: '0', CHANGES: 'false', DESTROY: 'false' });
      expect(github.labels).toEqual(['needs-review', 'streamform:no-changes']);
      // A plan with errors says nothing about the changes: no streamform label.
      await post(github, planned('errors'), { PLAN_EXIT_CODE: '1', CHANGES: 'false', DESTROY: 'false' });
      expect(github.labels).toEqual(['needs-review']);
    });

    it('posts the problems of an invalid config in the same comment', async () => {
      const github = new FakeGitHub();
      await post(github, planned('old plan'), { PLAN_EXIT_CODE: '2', CHANGES: 'true' });
      const diagnostics = [{ severity: 'error', file: 'streamform/a.yaml', line: 5, column: 5, path: 'stacks[0].DisplayNam', pointer: '/stacks/0/DisplayNam', message: 'unknown property (did you mean DisplayName?)' }];
      await post(github, { 'validate.json': JSON.stringify({ formatVersion: '1', valid: false, diagnostics }) }, { VALIDATION: 'failure' });
      expect(github.comments).toHaveLength(1);
      const body = github.comments[0].body;
      expect(body.split('\n')[0]).toBe(marker);
      expect(body).toContain('### streamform: the config `streamform` is not valid');
      expect(body).toContain('| `streamform/a.yaml:5:5` | `stacks[0].DisplayNam` | unknown property (did you mean DisplayName?) |');
      expect(body).not.toContain('old plan');
      expect(github.labels).toEqual([]);
    });

    it('says when the plan failed, and stays quiet when the job failed before validating', async () => {
      const github = new FakeGitHub();
      await post(github, {}, { PLAN_EXIT_CODE: '1' });
      expect(github.comments[0].body).toContain('### streamform plan failed');
      await post(github, {}, { VALIDATION: '' });
      expect(github.comments).toHaveLength(1);
    });

    it('keeps a comment within GitHub\'s limit', async () => {
      const github = new FakeGitHub();
      await post(github, planned('x'.repeat(70_000)), { PLAN_EXIT_CODE: '2', CHANGES: 'true' });
      expect(github.comments[0].body.length).toBeLessThanOrEqual(65_536);
      expect(github.comments[0].body).toMatch(/cut to fit a comment; the \[run\]\(.+\) has all of it\.$/);
    });

    it('warns, and does not fail, when the labels do not exist yet', async () => {
      const github = new FakeGitHub();
      github.refuseNewLabels = true;
      await post(github, planned('x'), { PLAN_EXIT_CODE: '0' });
      expect(github.warnings).toEqual(['could not add streamform:no-changes (create the labels once): Label does not exist']);
    });
  });
});

describe('apply.yml', () => {
  const workflow = load('apply.yml');
  const apply = workflow.jobs.apply;

  it('applies the reviewed plan on a push to the default branch, one apply at a time per project', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'], paths: ['streamform/**'] } });
    // The lock: queued behind each other, never cancelled half-way.
    expect(apply.concurrency).toEqual({ group: expect.stringMatching(/^streamform-apply-/), 'cancel-in-progress': false });
    expect(apply.permissions).toEqual({ contents: 'read', actions: 'read', 'pull-requests': 'read', 'id-token': 'write' });
    const download = apply.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toMatchObject({ name: 'streamform-plan', path: 'reviewed', 'run-id': '${{ steps.reviewed.outputs.run-id }}' });
    expect(apply.steps.filter(isStreamform).map(actionCommand)).toEqual([['apply', 'reviewed/plan.json']]);
    const planWorkflow = load('pull-request.yml');
    expect(planWorkflow.jobs.plan.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!.with!.name).toBe(download.with!.name);
    expect(planWorkflow.env!.STREAMFORM_CONFIG).toBe(workflow.env!.STREAMFORM_CONFIG);
  });

  describe('finding the reviewed plan', () => {
    const script = scriptOf(workflow, 'apply', 'Find the reviewed plan');

    async function find(github: FakeGitHub): Promise<{ outputs: Record<string, string>; failed?: string }> {
      const result: { outputs: Record<string, string>; failed?: string } = { outputs: {} };
      const core = { setOutput: (name: string, value: string) => (result.outputs[name] = value), setFailed: (message: string) => (result.failed = message), info: () => {} };
      const context = { repo: { owner: 'o', repo: 'r' }, sha: 'merge' };
      process.env.PLAN_WORKFLOW = 'streamform-plan.yml';
      try {
        const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
        await new AsyncFunction('github', 'context', 'core', script)(github, context, core);
      } finally {
        delete process.env.PLAN_WORKFLOW;
      }
      return result;
    }

    it('takes the newest successful plan run of the merged head that kept its plan', async () => {
      const github = new FakeGitHub();
      github.pulls = [{ number: 7, merge_commit_sha: 'merge', merged_at: 'then', head: { sha: 'head7' } }];
      github.runs = [
        { id: 30, head_sha: 'head7', html_url: 'u30', artifacts: [] },
        { id: 20, head_sha: 'head7', html_url: 'u20', artifacts: [{ name: 'streamform-plan', expired: false }] },
        { id: 10, head_sha: 'head7', html_url: 'u10', artifacts: [{ name: 'streamform-plan', expired: false }] },
      ];
      expect(await find(github)).toEqual({ outputs: { 'run-id': '20' } });
      expect(github.runQueries).toEqual([{ workflow_id: 'streamform-plan.yml', head_sha: 'head7', event: 'pull_request', status: 'success' }]);
    });

    it('fails, applying nothing, without a pull request or a saved plan', async () => {
      const github = new FakeGitHub();
      expect((await find(github)).failed).toBe('merge is no pull request\'s merge: nothing was reviewed, so nothing is applied');
      github.pulls = [{ number: 8, merge_commit_sha: 'merge', merged_at: 'then', head: { sha: 'head8' } }];
      github.runs = [{ id: 40, head_sha: 'head8', html_url: 'u40', artifacts: [{ name: 'streamform-plan', expired: true }] }];
      expect(await find(github)).toEqual({ outputs: {}, failed: 'no saved plan for #8 at head8: from a fork, expired, or its plan failed; plan it again in a new pull request' });
    });
  });
});

describe('drift.yml', () => {
  const workflow = load('drift.yml');

  it('runs nightly, reports in annotations and a kept report, and fails on drift', () => {
    expect(workflow.on).toHaveProperty('schedule');
    expect(workflow.jobs.drift.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const drift = workflow.jobs.drift.steps.find(isStreamform)!;
    expect(actionCommand(drift)).toEqual(['drift', '--format', 'github', '--report', 'drift.md']);
    const upload = workflow.jobs.drift.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toContain('always()');
    expect(upload.with?.path).toBe('drift.md');
    expect(workflow.jobs.drift.steps.at(-1)).toMatchObject({ if: `steps.${drift.id}.outputs.changes == 'true'` });
  });
});

interface Comment {
  id: number;
  body: string;
  user: { login: string };
}

/** The parts of the GitHub REST API the scripts use, in memory. */
class FakeGitHub {
  comments: Comment[] = [];
  labels: string[] = [];
  warnings: string[] = [];
  refuseNewLabels = false;
  pulls: { number: number; merge_commit_sha: string; merged_at: string; head: { sha: string } }[] = [];
  runs: { id: number; head_sha: string; html_url: string; artifacts: { name: string; expired: boolean }[] }[] = [];
  runQueries: Record<string, unknown>[] = [];
  rest = {
    issues: {
      listComments: async () => ({ data: this.comments }),
      createComment: async ({ body }: { body: string }) => void this.comments.push({ id: this.comments.length + 1, body, user: { login: 'github-actions[bot]' } }),
      updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => void (this.comments.find((c) => c.id === comment_id)!.body = body),
      listLabelsOnIssue: async () => ({ data: this.labels.map((name) => ({ name })) }),
      removeLabel: async ({ name }: { name: string }) => void (this.labels = this.labels.filter((l) => l !== name)),
      addLabels: async ({ labels }: { labels: string[] }) => {
        if (this.refuseNewLabels) throw new Error('Label does not exist');
        this.labels.push(...labels);
      },
    },
    repos: {
      listPullRequestsAssociatedWithCommit: async () => ({ data: this.pulls }),
    },
    actions: {
      listWorkflowRuns: async ({ workflow_id, head_sha, event, status }: Record<string, unknown>) => {
        this.runQueries.push({ workflow_id, head_sha, event, status });
        return { data: { workflow_runs: this.runs.filter((r) => r.head_sha === head_sha) } };
      },
      listWorkflowRunArtifacts: async ({ run_id, name }: { run_id: number; name: string }) => ({
        data: { artifacts: this.runs.find((r) => r.id === run_id)!.artifacts.filter((a) => a.name === name) },
      }),
    },
  };
  paginate = async (list: () => Promise<{ data: unknown[] }>) => (await list()).data.map((item) => ({ ...(item as object) }));
}
