/**
 * One normal form for a stack, whether it comes from the config or from DescribeStacks, so that
 * equal meaning compares equal: service defaults filled in, "no value" as absent, set-like lists
 * deduplicated and sorted.
 */
import { asSet, clean, userTags } from '../../normalize/values.js';

/** The stack members UpdateStack can set or clear (Name is the identity; tags and fleets have their own calls). */
export const STACK_ATTRIBUTES = [
  'DisplayName',
  'Description',
  'RedirectURL',
  'FeedbackURL',
  'StorageConnectors',
  'ApplicationSettings',
  'AccessEndpoints',
  'EmbedHostDomains',
  'StreamingExperienceSettings',
  'ContentRedirection',
  'AgentAccessConfig',
] as const;
export type StackAttribute = (typeof STACK_ATTRIBUTES)[number];

/** Either side's raw values: a StackConfig (null = cleared) or an SDK Stack. */
export type StackValues = Partial<Record<StackAttribute | 'UserSettings' | 'Fleets' | 'Tags', unknown>>;

export interface NormalUserSetting {
  Action: string;
  Permission: string;
  MaximumLength?: number;
}

export interface NormalStorageConnector {
  ConnectorType: string;
  ResourceIdentifier?: string;
  Domains?: string[];
  DomainsRequireAdminConsent?: string[];
}

export interface NormalStack {
  /** Normalized values; an attribute without a value is absent. */
  attributes: Partial<Record<StackAttribute, unknown>>;
  /** By Action; an action not listed has the service default (see defaultUserSetting). */
  userSettings: Record<string, NormalUserSetting>;
  /** Sorted fleet names; undefined when unknown (not declared, or not read). */
  fleets?: string[];
  /** The user's tags (streamform's and AWS's keys left out). */
  tags: Record<string, string>;
}

/** "This defaults to 20,971,520 (20 MB) when unspecified and the permission is ENABLED" (UserSetting.MaximumLength). */
export const DEFAULT_CLIPBOARD_MAXIMUM_LENGTH = 20_971_520;

type Json = Record<string, unknown>;

const NORMALIZERS: Record<StackAttribute, (value: unknown) => unknown> = {
  DisplayName: clean,
  Description: clean,
  RedirectURL: clean,
  FeedbackURL: clean,
  StorageConnectors: (value) => asSet(clean(value) as Json[] | undefined, (c) => c.ConnectorType as string)?.map(storageConnector),
  // Absent means disabled; the bucket is the service's, and a group means nothing while disabled.
  ApplicationSettings: (value) => {
    const settings = clean(value) as Json | undefined;
    return settings?.Enabled === true ? clean({ Enabled: true, SettingsGroup: settings.SettingsGroup }) : { Enabled: false };
  },
  AccessEndpoints: (value) => asSet(clean(value) as Json[] | undefined),
  EmbedHostDomains: (value) => asSet(clean(value) as string[] | undefined),
  StreamingExperienceSettings: clean,
  ContentRedirection: (value) => {
    const redirection = clean(value) as { HostToClient?: Json } | undefined;
    const hostToClient = redirection?.HostToClient;
    if (!hostToClient) return redirection;
    return { ...redirection, HostToClient: clean({ ...hostToClient, AllowedUrls: asSet(hostToClient.AllowedUrls as string[]), DeniedUrls: asSet(hostToClient.DeniedUrls as string[]) }) };
  },
  // Screenshots upload is off unless turned on.
  AgentAccessConfig: (value) => {
    const config = clean(value) as Json | undefined;
    return config && clean({ ...config, Settings: asSet(config.Settings as Json[] | undefined, (s) => s.AgentAction as string), ScreenshotsUploadEnabled: config.ScreenshotsUploadEnabled || undefined });
  },
};

function storageConnector(connector: Json): NormalStorageConnector {
  return clean({
    ...connector,
    Domains: asSet(connector.Domains as string[] | undefined),
    DomainsRequireAdminConsent: asSet(connector.DomainsRequireAdminConsent as string[] | undefined),
  }) as NormalStorageConnector;
}

export function normalizeStackAttribute(attribute: StackAttribute, value: unknown): unknown {
  return NORMALIZERS[attribute](value);
}

export function normalizeUserSetting(setting: { Action: string; Permission: string; MaximumLength?: number | null }): NormalUserSetting {
  const { Action, Permission } = setting;
  if (Permission !== 'ENABLED') return { Action, Permission };
  const maximumLength = setting.MaximumLength ?? (Action.startsWith('CLIPBOARD_') ? DEFAULT_CLIPBOARD_MAXIMUM_LENGTH : undefined);
  return maximumLength === undefined ? { Action, Permission } : { Action, Permission, MaximumLength: maximumLength };
}

/** "By default, these actions are enabled." */
export function defaultUserSetting(action: string): NormalUserSetting {
  return normalizeUserSetting({ Action: action, Permission: 'ENABLED' });
}

export function normalizeStack(values: StackValues): NormalStack {
  const attributes: Partial<Record<StackAttribute, unknown>> = {};
  for (const attribute of STACK_ATTRIBUTES) {
    const normal = NORMALIZERS[attribute](values[attribute]);
    if (normal !== undefined) attributes[attribute] = normal;
  }
  const userSettings: Record<string, NormalUserSetting> = {};
  for (const setting of (values.UserSettings as NormalUserSetting[] | null | undefined) ?? []) {
    userSettings[setting.Action] = normalizeUserSetting(setting);
  }
  const fleets = values.Fleets === undefined ? undefined : (asSet(values.Fleets as string[] | null) ?? []);
  return { attributes, userSettings, ...(fleets ? { fleets } : {}), tags: userTags(values.Tags as Record<string, string> | null) };
}
