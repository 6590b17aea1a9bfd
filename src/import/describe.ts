/**
 * Reads everything `import` may declare: every kind's resources (stacks with tags and fleets, private
 * images with tags and shares, the streaming images of the named studios, …). The result has the
 * plan's LiveState shape and is read with the plan's readers; a resource that cannot be read fully
 * is recorded in `errors` and left out.
 */
import type { AwsClients } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { emptyLive } from '../describe/index.js';
import { KINDS } from '../kinds/index.js';
import type { LiveState } from '../core/live.js';

export interface AccountQuery {
  /** Nimble studios whose streaming images to read. */
  studios: string[];
  /** Only resources whose name starts with this. */
  namePrefix?: string;
}

export async function describeAccount(clients: AwsClients, query: AccountQuery): Promise<LiveState> {
  const live = emptyLive();
  // A read of one resource whose failure leaves that resource out, not the whole import.
  const fail = (address: string, error: unknown) => live.errors.push({ address, message: awsErrorMessage(error) });
  await Promise.all(KINDS.map((kind) => kind.importDescribe?.(clients, live, query, fail)));
  return live;
}
