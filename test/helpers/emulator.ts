import { createClients, destroyClients, type AwsClients, type AwsTarget } from '../../src/aws/clients.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { loadStateFile, startEmulator, type Call, type Emulator, type EmulatorOptions, type EmulatorState } from '../../src/emulator/index.js';

export interface TestEmulator {
  url: string;
  emulator: Emulator;
  /** SDK clients pointed at the emulator (createClients({endpoint: url}), retries as the project configures them). */
  clients: AwsClients;
  calls(): Promise<Call[]>;
  clearCalls(): Promise<void>;
  getState(): Promise<EmulatorState>;
  setState(state: EmulatorState): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts an in-process emulator on a free port. The admin calls go over HTTP, the same way they
 * work against an emulator in another process (see `adminOf`).
 */
export async function startTestEmulator(options: EmulatorOptions = {}, target: Omit<AwsTarget, 'endpoint'> = {}): Promise<TestEmulator> {
  const emulator = await startEmulator(options);
  const clients = createClients({ ...target, endpoint: emulator.url });
  return {
    url: emulator.url,
    emulator,
    clients,
    ...adminOf(emulator.url),
    close: async () => {
      destroyClients(clients);
      await emulator.close();
    },
  };
}

/** The /_emulator admin endpoints of the emulator at `url`. */
export function adminOf(url: string) {
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}/_emulator/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /_emulator/${path}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  return {
    calls: async () => (await admin('GET', 'calls')) as Call[],
    clearCalls: async () => void (await admin('DELETE', 'calls')),
    getState: async () => (await admin('GET', 'state')) as EmulatorState,
    setState: async (state: EmulatorState) => void (await admin('PUT', 'state', state)),
  };
}

/**
 * For a test file whose every test starts from the account `state`: one emulator for the file, set
 * to that state (its call log cleared) before each test. What it answers is that emulator's.
 */
export function useEmulator(state: EmulatorState, options: EmulatorOptions = {}, target: Omit<AwsTarget, 'endpoint'> = {}): TestEmulator {
  let started: TestEmulator | undefined;
  beforeAll(async () => {
    started = await startTestEmulator(options, target);
  });
  afterAll(() => started?.close());
  beforeEach(async () => {
    await started!.setState(state);
    await started!.clearCalls();
  });
  const em = () => started!;
  return {
    get url() {
      return em().url;
    },
    get emulator() {
      return em().emulator;
    },
    get clients() {
      return em().clients;
    },
    calls: () => em().calls(),
    clearCalls: () => em().clearCalls(),
    getState: () => em().getState(),
    setState: (next) => em().setState(next),
    close: () => em().close(),
  };
}

/**
 * For a test file whose every test starts from the shared fixture account: one emulator for the
 * file (clients without retries, so error paths show on the first answer), reset before each test.
 */
export function useFixtureEmulator(options: EmulatorOptions = {}): () => TestEmulator {
  const emulator = useEmulator(loadStateFile('test/fixtures/emulator/state.yaml'), options, { maxAttempts: 1 });
  return () => emulator;
}
