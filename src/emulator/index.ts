/**
 * A local AppStream 2.0 + Nimble Studio (+ tagging GetResources, STS GetCallerIdentity and
 * AssumeRole) emulator that real AWS clients accept: `startEmulator()` in-process, or
 * `streamform emulator` as a server.
 *
 * State (the state file, GET/PUT /_emulator/state): see EmulatorState. A streaming image created
 * from an AMI listed in `nimble.failingAmis` ends in CREATE_FAILED (statusCode INTERNAL_ERROR);
 * a fleet with `StuckInStarting: true` stays STARTING; `sts.roles` limits the roles AssumeRole
 * grants.
 * Admin: GET /_emulator/calls lists the service requests served, DELETE /_emulator/calls clears it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../core/errors.js';
import { EmulatorService, type ServiceOptions } from './server.js';
import { StateError } from './checks.js';
import { Store, type EmulatorState } from './state.js';

export type { Call } from './server.js';
export type { FleetState } from './fleets.js';
export type { EmulatorState, ImageState, StackState, StreamingImageState, StudioState } from './state.js';
export type { RoleState, StsState } from './sts.js';

export interface EmulatorOptions extends ServiceOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface Emulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  let service: EmulatorService;
  try {
    service = new EmulatorService(options);
  } catch (error) {
    if (error instanceof StateError) throw new UserError(`emulator: state: ${error.message}`);
    throw error;
  }
  const server = createServer((req, res) => {
    service.handle(req, res).catch((error: Error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `Emulator failure: ${error.message}` }));
    });
  });
  // Clients keep connections alive; close() must not wait for them.
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UserError(
          error.code === 'EADDRINUSE'
            ? `emulator: port ${options.port} on ${host} is already in use`
            : `emulator: cannot listen on ${host}:${options.port ?? 0} (${error.message})`,
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Reads and checks a YAML or JSON state file; any problem is one line naming the file and the member. */
export function loadStateFile(path: string): EmulatorState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`emulator: cannot read state file ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let state: EmulatorState;
  try {
    state = (parseYaml(text) ?? {}) as EmulatorState;
  } catch (error) {
    throw new UserError(`emulator: state file ${path} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    new Store(state, 0, 1);
  } catch (error) {
    if (error instanceof StateError) throw new UserError(`emulator: state file ${path}: ${error.message}`);
    throw error;
  }
  return state;
}
