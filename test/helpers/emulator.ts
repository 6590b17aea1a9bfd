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
 * For a test file whose every test starts from the shared fixture account: one emulator for the
 * file (clients without retries, so error paths show on the first answer), reset before each test.
 */
export function useFixtureEmulator(options: EmulatorOptions = {}): () => TestEmulator {
  const fixture = loadStateFile('test/fixtures/emulator/state.yaml');
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator(options, { maxAttempts: 1 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.setState(fixture));
  return () => emulator;
}
