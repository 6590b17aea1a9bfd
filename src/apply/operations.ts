import {
  AssociateFleetCommand,
  CreateStackCommand,
  DeleteImagePermissionsCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  DisassociateFleetCommand,
  TagResourceCommand as AppStreamTagResourceCommand,
  UntagResourceCommand as AppStreamUntagResourceCommand,
  UpdateImagePermissionsCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-appstream';
import {
  CreateStreamingImageCommand,
  DeleteStreamingImageCommand,
  GetStreamingImageCommand,
  TagResourceCommand as NimbleTagResourceCommand,
  UntagResourceCommand as NimbleUntagResourceCommand,
  UpdateStreamingImageCommand,
} from '@aws-sdk/client-nimble';
import type { AwsClients } from '../aws/clients.js';
import type { Service } from '../plan/types.js';

// A planned call names its operation as a string and carries the command's exact input (the plan
// guarantees it), so the input type is erased at this one boundary.
type CommandClass = new (input: never) => object;

/** Every operation apply may send (plus the ones its waiters and probes read), per service. */
const COMMANDS: Record<Service, Record<string, CommandClass>> = {
  appstream: {
    CreateStack: CreateStackCommand,
    UpdateStack: UpdateStackCommand,
    DeleteStack: DeleteStackCommand,
    DescribeStacks: DescribeStacksCommand,
    AssociateFleet: AssociateFleetCommand,
    DisassociateFleet: DisassociateFleetCommand,
    TagResource: AppStreamTagResourceCommand,
    UntagResource: AppStreamUntagResourceCommand,
    UpdateImagePermissions: UpdateImagePermissionsCommand,
    DeleteImagePermissions: DeleteImagePermissionsCommand,
  },
  nimble: {
    CreateStreamingImage: CreateStreamingImageCommand,
    UpdateStreamingImage: UpdateStreamingImageCommand,
    DeleteStreamingImage: DeleteStreamingImageCommand,
    GetStreamingImage: GetStreamingImageCommand,
    TagResource: NimbleTagResourceCommand,
    UntagResource: NimbleUntagResourceCommand,
  },
};

export function isKnownOperation(service: Service, operation: string): boolean {
  return Object.hasOwn(COMMANDS[service] ?? {}, operation);
}

/** Sends one operation with the SDK client of its service and returns the SDK's output. */
export async function sendOperation(clients: AwsClients, service: Service, operation: string, input: Record<string, unknown>): Promise<unknown> {
  if (!isKnownOperation(service, operation)) throw new Error(`unknown operation ${service}:${operation}`);
  const command = new COMMANDS[service][operation](input as never);
  return service === 'appstream' ? clients.appstream.send(command as never) : clients.nimble.send(command as never);
}
