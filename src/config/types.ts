/**
 * The desired state as the loader returns it. `null` (or an empty list) means "clear this attribute";
 * a missing key means "not declared".
 * NOTE: to be replaced by types generated from schema/streamform.schema.json (npm run schema).
 */
import type { SourceLocation } from '../plan/types.js';

export type Permission = 'ENABLED' | 'DISABLED';

export interface StorageConnector {
  ConnectorType: 'HOMEFOLDERS' | 'GOOGLE_DRIVE' | 'ONE_DRIVE';
  ResourceIdentifier?: string;
  Domains?: string[];
  DomainsRequireAdminConsent?: string[];
}
export interface UserSetting {
  Action: string;
  Permission: Permission;
  MaximumLength?: number;
}
export interface ApplicationSettings {
  Enabled: boolean;
  SettingsGroup?: string;
}
export interface AccessEndpoint {
  EndpointType: 'STREAMING';
  VpceId?: string;
}
export interface UrlRedirectionConfig {
  Enabled: boolean;
  AllowedUrls?: string[];
  DeniedUrls?: string[];
}
export interface AgentAccessConfig {
  Settings: { AgentAction: string; Permission: Permission }[];
  S3BucketArn?: string;
  ScreenshotsUploadEnabled?: boolean;
  ScreenResolution: string;
  ScreenImageFormat: string;
  UserControlMode?: string;
}

export interface StackConfig {
  Name: string;
  DisplayName?: string | null;
  Description?: string | null;
  StorageConnectors?: StorageConnector[] | null;
  RedirectURL?: string | null;
  FeedbackURL?: string | null;
  UserSettings?: UserSetting[] | null;
  ApplicationSettings?: ApplicationSettings | null;
  AccessEndpoints?: AccessEndpoint[] | null;
  EmbedHostDomains?: string[] | null;
  StreamingExperienceSettings?: { PreferredProtocol?: 'TCP' | 'UDP' } | null;
  ContentRedirection?: { HostToClient?: UrlRedirectionConfig } | null;
  AgentAccessConfig?: AgentAccessConfig | null;
  Fleets?: string[] | null;
  Tags?: Record<string, string> | null;
}

export interface ImageConfig {
  Name: string;
  SharedWith?: { AccountId: string; AllowFleet: boolean; AllowImageBuilder: boolean }[] | null;
  MaxBaseImageAgeDays?: number;
  Tags?: Record<string, string> | null;
}

export interface StreamingImageConfig {
  StudioId: string;
  Name: string;
  Ec2ImageId: string;
  Description?: string | null;
  Tags?: Record<string, string> | null;
}

export interface Config {
  version: 1;
  project: string;
  region?: string;
  prune?: boolean;
  stacks?: StackConfig[];
  images?: ImageConfig[];
  streamingImages?: StreamingImageConfig[];
}

/** A loaded config plus where each value came from, keyed by JSON pointer ("/stacks/0/Name"). */
export interface LoadedConfig {
  config: Config;
  files: string[];
  locate(pointer: string): SourceLocation | undefined;
}
