/** Entitlements as describe reads them, by stack, and their addresses. */
import type { Entitlement } from '@aws-sdk/client-appstream';

export interface LiveEntitlement {
  entitlement: Entitlement;
  /** The names of the applications it grants (ListEntitledApplications); undefined when not read. */
  applications?: string[];
}

declare module '../../core/live.js' {
  interface LiveSections {
    /**
     * The entitlements of each stack read (DescribeEntitlements by StackName), by name. A stack
     * absent here was not read; one read without entitlements (or that does not exist) maps to {}.
     */
    entitlements: Record<string, Record<string, LiveEntitlement>>;
  }
}

export const entitlementAddress = (stackName: string, name: string) => `entitlement/${stackName}/${name}`;
/** Where a failure to read a stack's entitlements is reported, when no declared entitlement names that stack. */
export const stackEntitlementsAddress = (stackName: string) => `entitlement/${stackName}`;
