/**
 * `streamform demo [--yes]`: the first run. A small studio (examples/demo) in an in-process
 * emulator, then exactly what a user runs against AWS: `apply` (plan, approval, apply) and
 * `plan`, which then shows no changes. No AWS account and no network: the emulator listens on
 * 127.0.0.1 only.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClients, destroyClients, type AwsClients } from '../aws/clients.js';
import { parseFlags } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import { isInteractive } from '../cli/terminal.js';
import { loadConfig } from '../config/load.js';
import { describeLive, planConfirmingTags } from '../describe/index.js';
import { loadStateFile, startEmulator, type EmulatorState } from '../emulator/index.js';
import { buildPlan } from '../plan/build.js';
import { isToolTag, OWNER_TAG } from '../core/ownership.js';
import { run as apply } from './apply.js';
import { run as plan } from './plan.js';
import { appstreamSdk } from '../aws/sdk.js';

const { TagResourceCommand } = appstreamSdk();

const HELP = `Usage: streamform demo [--yes]

Plans and applies examples/demo/streamform.yaml against an in-process emulator seeded with
examples/demo/state.yaml: some stacks drifted, one to create, an image on an old base image,
a streaming image to replace. Then plans again: no changes. Needs no AWS account and no network.

Options:
  -y, --yes   apply without asking. Without a terminal to ask in, the demo applies anyway:
              it changes nothing but its own in-process emulator.
`;

/** Slow enough to watch a streaming image become READY, quick enough for a first run. */
const TRANSITION_MS = 1_500;
const LATENCY_MS = 20;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('demo', argv, { yes: { type: 'boolean', short: 'y' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { config, state } = demoFiles();
  const seeded = loadStateFile(state);
  const emulator = await startEmulator({ state: seeded, transitionMs: TRANSITION_MS, latencyMs: LATENCY_MS });
  try {
    await recordLastApply(seeded, config, emulator.url);
    const target = ['-f', config, '--endpoint', emulator.url];
    // `apply` refuses to guess approval; the demo may, since all it can change is its own emulator.
    const ask = !values.yes && isInteractive() && Boolean(process.stdin.isTTY);
    if (!values.yes && !ask) process.stderr.write('demo: no terminal to ask for approval in; applying to the in-process emulator (nothing else is touched)\n');
    const applied = await apply(ask ? target : [...target, '--yes']);
    if (applied !== 0) return applied;
    process.stdout.write('\n');
    return await plan([...target, '--format', 'text']);
  } finally {
    await emulator.close();
  }
}

/** The demo's files, found from this module so that the demo runs from any working directory. */
function demoFiles(): { config: string; state: string } {
  let root = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(root, 'package.json'))) {
    if (dirname(root) === root) throw new UserError('demo: cannot find the streamform package (no package.json above the program)');
    root = dirname(root);
  }
  const folder = relative(process.cwd(), join(root, 'examples', 'demo')) || '.';
  return { config: join(folder, 'streamform.yaml'), state: join(folder, 'state.yaml') };
}

/**
 * The state file marks what the project owns with its owner tag only. The record of the last
 * apply is what streamform itself writes for this config (taken from a first plan's tag calls),
 * so that the file never holds encoded digests that would go stale when the config or the
 * record format changes. After it, a stack that differs from the config shows as drift.
 */
async function recordLastApply(seeded: EmulatorState, config: string, endpoint: string): Promise<void> {
  const clients = createClients({ endpoint, region: seeded.region });
  try {
    const loaded = await loadConfig([config]);
    const live = await describeLive(loaded.config, clients, { prune: false });
    const first = await planConfirmingTags(loaded.config, clients, live, false, () => buildPlan({ loaded, live, prune: false, region: clients.region, endpoint }));
    const owned = new Set((seeded.appstream?.stacks ?? []).filter((s) => s.Tags?.[OWNER_TAG] === first.project).map((s) => `stack/${s.Name}`));
    for (const call of first.calls) {
      if (call.operation !== 'TagResource' || !owned.has(call.address)) continue;
      const { ResourceArn, Tags } = call.input as { ResourceArn: string; Tags: Record<string, string> };
      const record = Object.fromEntries(Object.entries(Tags).filter(([key]) => isToolTag(key)));
      await clients.appstream.send(new TagResourceCommand({ ResourceArn, Tags: record }));
    }
  } finally {
    destroy(clients);
  }
}

function destroy(clients: AwsClients): void {
  destroyClients(clients);
}
