/** The operations apply may send: every kind's own, sent with the SDK client of the kind's service. */
import type { AwsClients } from '../aws/clients.js';
import { KINDS } from '../kinds/index.js';
import type { Service } from '../core/plan.js';
import { appstreamSdk, nimbleSdk } from '../aws/sdk.js';

const OPERATIONS: ReadonlyMap<Service, ReadonlySet<string>> = (() => {
  const byService = new Map<Service, Set<string>>();
  for (const kind of KINDS) {
    const operations = byService.get(kind.service) ?? new Set<string>();
    byService.set(kind.service, operations);
    for (const operation of kind.operations) operations.add(operation);
  }
  return byService;
})();

export function isKnownOperation(service: Service, operation: string): boolean {
  return OPERATIONS.get(service)?.has(operation) ?? false;
}

// A planned call names its operation as a string and carries the command's exact input (the plan
// guarantees it), so the input type is erased at this one boundary.
type Sendable = { send(command: object): Promise<unknown> };
type CommandClass = new (input: never) => object;

/** Sends one operation with the SDK client of its service and returns the SDK's output. */
export async function sendOperation(clients: AwsClients, service: Service, operation: string, input: Record<string, unknown>): Promise<unknown> {
  if (!isKnownOperation(service, operation)) throw new Error(`unknown operation ${service}:${operation}`);
  const sdk = SDK[service]() as unknown as Record<string, CommandClass>;
  return (clients[service] as unknown as Sendable).send(new sdk[`${operation}Command`](input as never));
}

/** Each service's SDK module, loaded when apply first sends to it. */
const SDK: Record<Service, () => object> = { appstream: appstreamSdk, nimble: nimbleSdk };
