/**
 * plan and apply as a person sees them: the built CLI (`npx tsc -p .` first) in a real terminal
 * (tmux) against the emulator. A spinner says what is read while describe runs; the view has no
 * colour under NO_COLOR, and CI=true prints plain text; a plan with nothing to show ends at once;
 * apply without a terminal prints all its progress on stdout.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const CLI = resolve('dist/src/cli/main.js');
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const REQUIRE_TMUX = process.env.STREAMFORM_REQUIRE_TMUX === '1';
const RUN_TMUX = HAS_TMUX || REQUIRE_TMUX;
if (!RUN_TMUX) console.warn('test/ui/terminal.test.ts: tmux is not installed, so the real-terminal tests are skipped');

/** Any escape sequence, and the SGR ones that set a colour (30–37, 90–97 and 38;… foregrounds, and backgrounds). */
const ESCAPE = /\u001B/;
const COLOUR = /\u001B\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7]|4[0-8]|10[0-7])(?:;[0-9;]*)?m/;

const CONFIG = `version: 1
project: term
fleets:
  - Name: render
    ImageName: base
    InstanceType: stream.standard.medium
    ComputeCapacity: { DesiredInstances: 1 }
`;

/** Enough stacks for several pages, each answered late, so the reading is on screen long enough to be seen. */
const STACKS = Array.from({ length: 60 }, (_, i) => ({ Name: `team-${String(i).padStart(2, '0')}` }));

let work: string;
let emulator: TestEmulator;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with 'npx tsc -p .'`);
  work = mkdtempSync(join(tmpdir(), 'streamform-terminal-'));
  writeFileSync(join(work, 'streamform.yaml'), CONFIG);
  emulator = await startTestEmulator({ transitionMs: 300, pageSize: 10, latencyMs: 100 });
  await emulator.setState({ appstream: { images: [{ Name: 'base' }], stacks: STACKS } });
});

afterAll(async () => {
  await emulator?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The environment a user's shell would give: no CI, no colour setting, no SDK noise. */
function cleanEnv(): NodeJS.ProcessEnv {
  const { CI: _ci, NO_COLOR: _noColor, FORCE_COLOR: _force, ...env } = process.env;
  return { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' };
}

(RUN_TMUX ? describe : describe.skip)(RUN_TMUX ? 'in a real terminal (tmux)' : 'in a real terminal: SKIPPED, tmux is not installed (STREAMFORM_REQUIRE_TMUX=1 makes this a failure)', () => {
  // A private tmux server: its own environment, and nothing of anyone else's sessions touched.
  const socket = `streamform-terminal-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  /** The screen, with its escape sequences (colours) when `escapes`. */
  const screen = (session: string, escapes = false) => tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-t', session);
  let sessions = 0;

  /** Runs `streamform ARGS` in a new 120x40 terminal, `env` before it (e.g. NO_COLOR=1); its exit status is printed after it. */
  function start(args: string, env = ''): string {
    if (!HAS_TMUX) throw new Error('tmux is required (STREAMFORM_REQUIRE_TMUX=1) but not installed');
    const session = `t${++sessions}`;
    const command = `${env} ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ${args} --endpoint ${emulator.url}; echo "[exit $?]"; sleep 600`;
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', work, command], { env: cleanEnv() });
    return session;
  }

  /** Polls the screen until `predicate` holds; every screen seen goes to `seen`. */
  async function screenWhere(session: string, predicate: (shown: string) => boolean, timeoutMs = 20_000, seen: string[] = []): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const shown = screen(session);
      seen.push(shown);
      if (predicate(shown)) return shown;
      if (Date.now() > deadline) throw new Error(`no matching screen within ${timeoutMs}ms; the screen shows:\n${shown}`);
      await new Promise((done) => setTimeout(done, 40));
    }
  }

  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  });

  it('plan: a spinner says what is being read while describe runs, then the plan view replaces it', async () => {
    const session = start('plan');
    const seen: string[] = [];
    const view = await screenWhere(session, (shown) => shown.includes('streamform plan · project term'), 30_000, seen);
    const reading = seen.find((shown) => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] reading \d+ stacks, (\d+ )?fleets…/.test(shown));
    expect(reading, `no spinner with a count among ${seen.length} screens; the last before the view:\n${seen.at(-2)}`).toBeDefined();
    expect(view).toMatch(/\+ +fleet\/render +create/);
    expect(view).not.toContain('reading');
    // Colour is on by default: the NO_COLOR test below is not vacuous.
    expect(screen(session, true)).toMatch(COLOUR);
    tmux('send-keys', '-t', session, 'q');
    expect(await screenWhere(session, (shown) => shown.includes('[exit '))).toContain('[exit 0]');
  }, 40_000);

  it('plan with NO_COLOR: the same view, without colour', async () => {
    const session = start('plan', 'NO_COLOR=1');
    await screenWhere(session, (shown) => /\+ +fleet\/render +create/.test(shown), 30_000);
    const shown = screen(session, true);
    expect(shown).toContain('streamform plan · project term');
    expect(shown).not.toMatch(COLOUR);
    tmux('send-keys', '-t', session, 'q');
    expect(await screenWhere(session, (s) => s.includes('[exit '))).toContain('[exit 0]');
  }, 40_000);

  it('plan with CI=true: plain text, no view, no colour, on a terminal all the same', async () => {
    const session = start('plan', 'CI=true');
    const shown = await screenWhere(session, (s) => s.includes('[exit '), 30_000);
    expect(shown).toContain('Plan for project "term"');
    expect(shown).toContain('Plan: 1 to create, 0 to update, 0 to replace, 0 to delete.');
    expect(shown).toContain('[exit 0]');
    expect(screen(session, true)).not.toMatch(ESCAPE);
  }, 40_000);

  it('apply without a terminal prints all its progress, waits included, on stdout; then plan with nothing to show ends at once', async () => {
    const applied = await promisify(execFile)(process.execPath, [CLI, 'apply', '--yes', '--endpoint', emulator.url], { cwd: work, env: cleanEnv(), timeout: 60_000 });
    expect(applied.stdout).toMatch(/\[\d+\/\d+\] fleet\/render: StartFleet waiting for FleetStarted \(STARTING/);
    expect(applied.stdout).toMatch(/Apply complete: \d+ succeeded, 0 failed, 0 skipped/);
    expect(applied.stderr).toBe('');

    // No key is pressed: the command ends by itself, the text plan on screen.
    const session = start('plan');
    const shown = await screenWhere(session, (s) => s.includes('[exit '), 30_000);
    expect(shown).toContain('No changes.');
    expect(shown).toContain('[exit 0]');
    expect(shown).not.toContain('q quit');
  }, 60_000);
});
