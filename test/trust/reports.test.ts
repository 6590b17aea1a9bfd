/**
 * Truthful reports: owned resources no longer declared are told of without prune (and at no cost
 * in calls), and tag keys set by hand where the config declares Tags are listed, in every format.
 */
import { TagResourceCommand } from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLive } from '../../src/describe/index.js';
import { buildPlan } from '../../src/plan/build.js';
import { parsePlanFile, renderPlanJson } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/text.js';
import { driftReport, driftSummary, driftExitCode } from '../../src/drift/report.js';
import type { Config } from '../../src/config/types.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { config, convergeClean, emulator, loaded, NOW, planWith } from '../plan/helpers.js';
import { runCli, tempDir, writeYaml } from '../drift/support.js';

const stacks = (...names: string[]) => names.map((Name) => ({ Name, Tags: { team: 'design' } }));

describe('owned resources no longer declared', () => {
  let em: TestEmulator;
  beforeAll(async () => {
    em = await emulator();
    await convergeClean(em, config({ stacks: stacks('kept', 'old-a', 'old-b') }));
    // Another project's stack and an unowned one are never this project's to prune.
    await convergeClean(em, {
      ...config({ stacks: stacks('theirs') }),
      project: 'other',
    });
  });
  afterAll(() => em.close());

  /** A plan without prune of a live state whose owner tags describe did read (as a pruning describe does). */
  async function planOfRead(cfg: Config) {
    const live = await describeLive(cfg, em.clients, { prune: true });
    return buildPlan({
      loaded: loaded(cfg),
      live,
      prune: false,
      region: em.clients.region,
      endpoint: em.url,
      now: NOW,
    });
  }

  it('lists them with their kind, plans nothing for them, and says so in text, JSON and Markdown', async () => {
    const cfg = config({ stacks: stacks('kept') });
    const plan = await planOfRead(cfg);
    expect(plan.calls).toEqual([]);
    expect(plan.undeclared).toEqual([
      { address: 'stack/old-a', kind: 'stack' },
      { address: 'stack/old-b', kind: 'stack' },
    ]);
    const line = '2 owned stacks are no longer declared; --prune would delete them: stack/old-a, stack/old-b';
    expect(renderPlanText(plan, { color: false })).toContain(`note: ${line}`);
    expect(renderPlanMarkdown(plan)).toContain(`#### Information\n\n- ${line}`);
    // The JSON is a plan file the strict reader accepts, the list included.
    expect(parsePlanFile(renderPlanJson(plan)).undeclared).toEqual(plan.undeclared);
    // With prune the same resources are deletes, and the list is not repeated.
    const pruning = buildPlan({
      loaded: loaded(cfg),
      live: await describeLive(cfg, em.clients, { prune: true }),
      prune: true,
      region: em.clients.region,
      now: NOW,
    });
    expect(pruning.changes.filter((c) => c.action === 'delete').map((c) => c.address)).toEqual(plan.undeclared!.map((r) => r.address));
    expect(pruning.undeclared).toBeUndefined();
  });

  /** The inputs of the tagging API calls made while `run` runs, observed on the real client. */
  async function taggingInputs(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
    const inputs: Record<string, unknown>[] = [];
    const name = 'observe-tagging-inputs';
    em.clients.tagging.middlewareStack.add(
      (next) => async (args) => {
        inputs.push(args.input as Record<string, unknown>);
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      await run();
    } finally {
      em.clients.tagging.middlewareStack.remove(name);
    }
    return inputs;
  }
  const ownerFiltered = (input: Record<string, unknown>) => Array.isArray(input.TagFilters);

  it('tells them without prune from one GetResources filtered by the owner tag, where tags are read one by one', async () => {
    const cfg = config({ stacks: stacks('kept') });
    await em.clearCalls();
    let plan: Awaited<ReturnType<typeof planWith>>['plan'] | undefined;
    const inputs = await taggingInputs(async () => ({ plan } = await planWith(em, cfg)));
    const operations = (await em.calls()).map((call) => call.operation);
    // The declared stack's tags alone are read one by one; the owner tag tells the rest.
    expect(operations.filter((op) => op === 'ListTagsForResource')).toHaveLength(1);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({ TagFilters: [{ Key: 'streamform:project', Values: ['studio'] }] });
    expect(inputs[0].ResourceTypeFilters).toContain('appstream:stack');
    expect(plan!.calls).toEqual([]);
    // Another project's stack is not listed.
    expect(plan!.undeclared).toEqual([
      { address: 'stack/old-a', kind: 'stack' },
      { address: 'stack/old-b', kind: 'stack' },
    ]);
  });

  it('costs no call for the stacks when their tags were read in bulk: the bulk answer holds them all', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `bulk-${String(i).padStart(2, '0')}`);
    await convergeClean(em, config({ stacks: stacks('kept', 'old-a', 'old-b', ...many) }));
    let plan: Awaited<ReturnType<typeof planWith>>['plan'] | undefined;
    const inputs = await taggingInputs(async () => ({ plan } = await planWith(em, config({ stacks: stacks('kept', ...many) }))));
    // One bulk read of the stacks; the owner-filtered read, if any, asks only kinds not read.
    expect(inputs.filter((input) => !ownerFiltered(input))).toEqual([expect.objectContaining({ ResourceTypeFilters: ['appstream:stack'] })]);
    for (const input of inputs.filter(ownerFiltered)) expect(input.ResourceTypeFilters).not.toContain('appstream:stack');
    expect(plan!.undeclared).toEqual([
      { address: 'stack/old-a', kind: 'stack' },
      { address: 'stack/old-b', kind: 'stack' },
    ]);
    await convergeClean(em, config({ stacks: stacks('kept', 'old-a', 'old-b') }), true);
  });

  it('names the owned resources of a kind the config no longer declares at all, which no plan without prune reads', async () => {
    const block = { Name: 'office', SourceS3Location: { S3Bucket: 'blocks', S3Key: 'office.vhdx' }, SetupScriptDetails: { ScriptS3Location: { S3Bucket: 'blocks', S3Key: 'setup.ps1' }, ExecutablePath: 'powershell.exe', TimeoutInSeconds: 60 } };
    await convergeClean(em, config({ stacks: stacks('kept', 'old-a', 'old-b'), appBlocks: [block] }));
    await em.clearCalls();
    const { plan } = await planWith(em, config({ stacks: stacks('kept', 'old-a', 'old-b') }));
    expect((await em.calls()).map((call) => call.operation)).not.toContain('DescribeAppBlocks');
    expect(plan.undeclared).toEqual([{ address: 'appBlock/office', kind: 'appBlock' }]);
    expect(renderPlanText(plan, { color: false })).toContain('note: 1 owned app block is no longer declared; --prune would delete it: appBlock/office');
    // And prune deletes exactly that.
    const pruned = await convergeClean(em, config({ stacks: stacks('kept', 'old-a', 'old-b') }), true);
    expect(pruned.changes.filter((c) => c.action !== 'no-op').map((c) => `${c.action} ${c.address}`)).toEqual(['delete appBlock/office']);
  });

  it('says when it cannot tell them (the tagging API denied), and plans all the same', async () => {
    const denied = await emulator({ state: await em.getState(), denyTagging: true });
    try {
      const { plan, notices } = await planWith(denied, config({ stacks: stacks('kept') }));
      expect(plan.calls).toEqual([]);
      expect(plan.undeclared).toBeUndefined();
      expect(notices).toEqual([expect.stringMatching(/^cannot tell which resources this project owns but no longer declares \(GetResources\): AccessDeniedException: /)]);
    } finally {
      await denied.close();
    }
  });

  it('counts them in drift as information: they do not fail the job', async () => {
    const plan = await planOfRead(config({ stacks: stacks('kept') }));
    const report = driftReport(plan);
    expect(driftSummary(report)).toBe("No drift. 2 owned resources no longer declared (they stay; 'streamform plan --prune' would delete them).");
    expect(driftExitCode(report, ['drift', 'errors', 'warnings', 'pending'])).toBe(0);
  });

  it("lists an owned stack's entitlement no longer declared, from the entitlements a plan without prune reads anyway", async () => {
    const rule = (Name: string) => ({
      StackName: 'kept',
      Name,
      AppVisibility: 'ALL' as const,
      Attributes: [{ Name: 'department' as const, Value: Name }],
    });
    await convergeClean(
      em,
      config({
        stacks: stacks('kept', 'old-a', 'old-b'),
        entitlements: [rule('design'), rule('edit')],
      }),
    );
    await em.clearCalls();
    const { plan } = await planWith(
      em,
      config({
        stacks: stacks('kept', 'old-a', 'old-b'),
        entitlements: [rule('design')],
      }),
    );
    expect(plan.calls).toEqual([]);
    expect(plan.undeclared).toEqual([{ address: 'entitlement/kept/edit', kind: 'entitlement' }]);
    expect(renderPlanText(plan, { color: false })).toContain('note: 1 owned entitlement is no longer declared; --prune would delete it: entitlement/kept/edit');
    // Only the one stack's entitlements are read, as without the list.
    expect((await em.calls()).filter((call) => call.operation === 'DescribeEntitlements')).toHaveLength(1);
  });
});

describe('unmanaged tag keys', () => {
  let em: TestEmulator;
  let arn: string;
  beforeAll(async () => {
    em = await emulator();
    await convergeClean(
      em,
      config({
        stacks: [{ Name: 'design', Tags: { team: 'design', owner: 'ana' } }],
      }),
    );
    const { live } = await planWith(em, config({ stacks: [{ Name: 'design' }] }));
    arn = live.stacks.design.stack.Arn!;
    await em.clients.appstream.send(new TagResourceCommand({ ResourceArn: arn, Tags: { CostCenter: '42' } }));
  });
  afterAll(() => em.close());

  it('lists keys set by hand as information, with no call, in text, Markdown and the plan file', async () => {
    const { plan } = await planWith(
      em,
      config({
        stacks: [{ Name: 'design', Tags: { team: 'design', owner: 'ana' } }],
      }),
    );
    expect(plan.calls).toEqual([]);
    expect(plan.unmanagedTags).toEqual([{ address: 'stack/design', keys: ['CostCenter'] }]);
    const line = 'stack/design: tag key not managed by the config (set outside streamform): CostCenter';
    expect(renderPlanText(plan, { color: false })).toContain(`note: ${line}`);
    expect(renderPlanMarkdown(plan)).toContain(`- ${line}`);
    expect(parsePlanFile(renderPlanJson(plan)).unmanagedTags).toEqual(plan.unmanagedTags);
  });

  it('leaves out a key the record says streamform managed (its removal is planned), and everything when Tags is not declared', async () => {
    const { plan } = await planWith(em, config({ stacks: [{ Name: 'design', Tags: { team: 'design' } }] }));
    expect(plan.changes[0].diffs.map((d) => d.path)).toEqual(['Tags']);
    expect(plan.unmanagedTags).toEqual([{ address: 'stack/design', keys: ['CostCenter'] }]);
    expect((await planWith(em, config({ stacks: [{ Name: 'design' }] }))).plan.unmanagedTags).toBeUndefined();
    expect((await planWith(em, config({ stacks: [{ Name: 'design', Tags: {} }] }))).plan.unmanagedTags).toBeUndefined();
  });

  it('is told by drift (text and JSON) without failing it', async () => {
    const dir = tempDir('trust');
    const file = writeYaml(
      dir,
      'streamform.yaml',
      `version: 1\nproject: studio\nregion: us-east-1\nstacks:\n  - Name: design\n    Tags: { team: design, owner: ana }\n`,
    );
    const text = await runCli(['drift', '-f', file, '--endpoint', em.url]);
    expect(text.stderr).toBe('');
    expect(text.stdout).toContain('note: stack/design: tag key not managed by the config (set outside streamform): CostCenter');
    expect(text.stdout).toContain('No drift. 1 resource with tag keys the config does not manage.');
    expect(text.code).toBe(0);
    const json = await runCli(['drift', '-f', file, '--endpoint', em.url, '--format', 'json']);
    const { summary } = JSON.parse(json.stdout);
    expect(summary).toMatchObject({ drifted: 0, unmanagedTags: 1 });
    expect(summary).not.toHaveProperty('undeclared');
  });
});
