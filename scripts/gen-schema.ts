// Builds schema/streamform.schema.json and src/config/types.generated.ts (run: npm run schema).
// Lengths, patterns, enums, list sizes and required members come from src/facts/*.json, which
// are extracted from the official service models; this file adds only what is streamform's own:
// the file layout, descriptions, which attributes may be cleared with null, and cross-field rules.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { compile } from 'json-schema-to-typescript';

type JsonSchema = { [keyword: string]: unknown };

interface Shape {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  required?: string[];
  members?: Record<string, { shape: string }>;
  member?: string;
  key?: string;
  value?: string;
}
type Service = 'appstream' | 'nimble' | 'sts';

const root = new URL('../', import.meta.url);
export const SCHEMA_PATH = fileURLToPath(new URL('schema/streamform.schema.json', root));
export const TYPES_PATH = fileURLToPath(new URL('src/config/types.generated.ts', root));
export const VALIDATOR_PATH = fileURLToPath(new URL('src/config/validator.generated.ts', root));

/** Options of the validator; `verbose` makes errors carry the failing schema, whose descriptions the messages quote. */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strictTypes: false } as const;

const facts: Record<Service, Record<string, Shape>> = {
  appstream: JSON.parse(readFileSync(new URL('src/facts/appstream.json', root), 'utf8')).shapes,
  nimble: JSON.parse(readFileSync(new URL('src/facts/nimble.json', root), 'utf8')).shapes,
  sts: JSON.parse(readFileSync(new URL('src/facts/sts.json', root), 'utf8')).shapes,
};

function shapeOf(service: Service, name: string): Shape {
  const shape = facts[service][name];
  if (!shape) throw new Error(`${service} facts have no shape ${name}`);
  return shape;
}

/** The shape a request member refers to, e.g. member('appstream', 'CreateStackRequest', 'Name'). */
function memberShape(service: Service, structure: string, member: string): string {
  const ref = shapeOf(service, structure).members?.[member];
  if (!ref) throw new Error(`${service} ${structure} has no member ${member}`);
  return ref.shape;
}

/** Fails the build when the facts no longer hold a value a rule below is written against. */
function enumValue(service: Service, shape: string, value: string): string {
  if (!shapeOf(service, shape).enum?.includes(value)) throw new Error(`${service} ${shape} has no value ${value}`);
  return value;
}

/** One sentence per property, shown by editors on hover. A member the facts gain without one here fails the build. */
const DESCRIPTIONS: Record<string, { title: string; description: string; properties: Record<string, string> }> = {
  Config: {
    title: 'streamform config',
    description:
      'Desired state of Amazon AppStream 2.0 stacks and images and Amazon Nimble Studio streaming images. A property that is left out is not managed; null (or an empty list) clears it where the service allows that.',
    properties: {
      version: 'Version of this file format. Always 1.',
      project:
        'The project that owns what this config declares. streamform tags what it creates with it and never changes or deletes a resource owned by another project. Every file of one config names the same project.',
      region: 'AWS Region to manage, e.g. us-east-1. Left out, the AWS SDK decides (AWS_REGION, the profile). Files of one config must agree. A config with targets names a region per target instead.',
      targets:
        'The accounts and regions this config manages, each a target with a name; every resource goes to every target unless its Targets says otherwise. Instead of region. Files of one config must agree.',
      prune: 'Delete resources this project owns that are no longer declared. Default false. Files of one config must agree.',
      stacks: 'AppStream 2.0 stacks, each identified by its Name.',
      fleets: 'AppStream 2.0 fleets, each identified by its Name: the instances users stream from.',
      images: 'AppStream 2.0 images, each identified by its Name. Images are built with image builders, so they must exist already; streamform manages their sharing and tags.',
      imageBuilders: 'AppStream 2.0 image builders, each identified by its Name: the instances images are made on. Nothing but tags and State changes in place; any other change replaces the builder.',
      streamingImages: 'Nimble Studio streaming images, each identified by StudioId and Name.',
      users: 'AppStream 2.0 user-pool users and their stack assignments, each identified by AuthenticationType and UserName.',
      appBlockBuilders:
        'AppStream 2.0 app block builders, each identified by its Name: the instances that package the applications of an app block for Elastic fleets. A RUNNING builder takes only DisplayName and Description in place; anything else is changed between a stop and a start.',
      directoryConfigs:
        'AppStream 2.0 directory configs (how fleets and image builders join a Microsoft Active Directory domain), each identified by its DirectoryName. They carry no tags: a declared one is adopted, and prune never deletes one.',
      applications: 'AppStream 2.0 applications of Elastic fleets, each identified by its Name: how to launch a program from an app block, and the Elastic fleets that offer it.',
      entitlements:
        'AppStream 2.0 entitlements (which applications of a stack SAML users see, by their attributes), each identified by StackName and Name. They carry no tags: they belong to their stack, which this config must declare.',
      appBlocks: 'AppStream 2.0 app blocks, each identified by its Name: the application packages Elastic fleets mount. Nothing but tags changes in place; any other change replaces the block.',
      usageReports:
        'The AppStream 2.0 usage report subscription of the account and Region (daily session and application reports written to an S3 bucket AWS creates). Left out, it is not managed; files of one config must agree.',
    },
  },
  UsageReportsConfig: {
    title: 'AppStream 2.0 usage reports',
    description: 'Whether the account subscribes to usage reports in this Region. There is one subscription per account and Region; it carries no tags, so prune never deletes it.',
    properties: {
      Enabled: 'true creates the subscription when there is none (CreateUsageReportSubscription); false deletes it when there is one (DeleteUsageReportSubscription).',
    },
  },
  Target: {
    title: 'Target',
    description: 'One account and region the config manages, and how to reach it.',
    properties: {
      name: 'Name of the target, used in addresses (us-prod:stack/design), in --target and in Targets lists.',
      region: 'AWS Region of the target, e.g. eu-west-1.',
      profile: 'AWS shared-config profile whose credentials reach the target (default: the ambient credentials).',
      roleArn: 'IAM role to assume through STS, from the ambient (or the profile\'s) credentials, to reach the target\'s account.',
      externalId: 'The ExternalId the role\'s trust policy requires.',
      endpoint: 'One endpoint for every service of this target (e.g. an emulator); default AWS\'s.',
      vars: 'Values that differ per target: a string "${vars.key}" anywhere in a resource is replaced by this target\'s value of key.',
    },
  },
  ApplicationConfig: {
    title: 'AppStream 2.0 application',
    description:
      'An application of Elastic fleets: the program an app block holds, how it is launched, and the fleets whose users may launch it. Name, Platforms and InstanceFamilies cannot change: changing them replaces the application.',
    properties: {
      Name: 'Name of the application; it identifies it, and users see it when there is no DisplayName.',
      DisplayName: 'Name users see in the application catalog.',
      Description: 'Description of the application.',
      IconS3Location: 'The icon, an image in S3.',
      LaunchPath: 'Path of the executable on the streaming instance.',
      WorkingDirectory: 'Working directory the application starts in.',
      LaunchParameters: 'Arguments passed to the application when it starts.',
      Platforms: 'Operating systems the application runs on: WINDOWS_SERVER_2019, AMAZON_LINUX2 or UBUNTU_PRO_2404 (those of Elastic fleets). Changing them replaces the application.',
      InstanceFamilies: 'Instance families the application runs on: GENERAL_PURPOSE, GRAPHICS_G4. Changing them replaces the application.',
      AppBlockArn: 'ARN of the app block that holds the application. Give one of AppBlockArn and AppBlock.',
      AppBlock: 'Name of the app block that holds the application: one of this account\'s, or one the config declares (created first). Give one of AppBlockArn and AppBlock.',
      Tags: 'Tags on the application.',
      Fleets: 'Names of the Elastic fleets whose users may launch the application. The list is the whole set: an association made elsewhere is removed.',
    },
  },
  EntitlementConfig: {
    title: 'AppStream 2.0 entitlement',
    description:
      'Which applications of a stack SAML 2.0 federated users are entitled to, matched by their SAML attributes (user-pool and streaming URL users are entitled to every application). It belongs to its stack: with prune, the entitlements of the stacks this config declares are exactly those it declares.',
    properties: {
      StackName: 'Name of the stack the entitlement belongs to; this config must declare it. Changing it means another entitlement.',
      Name: 'Name of the entitlement; unique within its stack, it identifies the entitlement together with StackName.',
      Description: 'Description for administrators.',
      AppVisibility: 'ALL: the users are entitled to every application of the stack; ASSOCIATED: only to the Applications listed.',
      Attributes: 'The SAML attributes that entitle a user, compared as a set of Name and Value pairs.',
      Applications:
        'Names of the applications the entitlement grants: the whole set (an application associated outside this config is disassociated); left out, none.',
    },
  },
  EntitlementAttribute: {
    title: 'Entitlement attribute',
    description: 'A SAML 2.0 attribute (an IAM PrincipalTag) and the value that entitles a user.',
    properties: {
      Name: 'The attribute: roles, department, organization, groups, title, costCenter or userType.',
      Value: 'The value the user\'s attribute must have.',
    },
  },
  DirectoryConfigConfig: {
    title: 'AppStream 2.0 directory config',
    description: 'How fleets and image builders join a Microsoft Active Directory domain: the OUs their computer objects go to and the service account that joins them.',
    properties: {
      DirectoryName: 'Fully qualified name of the directory (corp.example.com); it identifies the config. A new name is a new config; the old one stays until deleted by hand.',
      OrganizationalUnitDistinguishedNames: 'Distinguished names of the OUs computer accounts are placed in; compared as a set.',
      ServiceAccountCredentials: 'The account that joins computers to the domain. Both members are references to secrets, read when applying; the values appear in no output.',
      CertificateBasedAuthProperties: 'Certificate-based authentication to the domain (smart-card style sign-in without a password).',
    },
  },
  ServiceAccountCredentialsConfig: {
    title: 'Service account credentials',
    description: 'The account name and password of the service account, each a reference to a secret, never the value itself.',
    properties: {
      AccountName: 'The account name (DOMAIN\\user or user), as a secret reference.',
      AccountPassword: 'The password (1 to 127 characters), as a secret reference. AWS never returns it: streamform keeps a keyed fingerprint to tell when it changed.',
    },
  },
  CertificateBasedAuthProperties: {
    title: 'Certificate-based authentication',
    description: 'Whether users sign in to domain-joined instances with certificates from an AWS Private CA.',
    properties: {
      Status: 'DISABLED, ENABLED, or ENABLED_NO_DIRECTORY_LOGIN_FALLBACK (no password sign-in if the certificate fails).',
      CertificateAuthorityArn: 'ARN of the AWS Private CA that issues the certificates; required unless Status is DISABLED.',
    },
  },
  SecretReference: {
    title: 'Secret reference',
    description:
      'Where streamform reads a secret when applying: {FromEnv: VAR}, {FromFile: path}, {FromSecretsManager: name-or-ARN, Key: json-key} or {FromSsmParameter: name}. Never the value itself.',
    properties: {
      FromEnv: 'Name of an environment variable that holds the value.',
      FromFile: 'Path of a file that holds the value (relative to the working directory; one trailing newline is dropped).',
      FromSecretsManager: 'Name or ARN of an AWS Secrets Manager secret (GetSecretValue, current version).',
      Key: 'With FromSecretsManager: the member of the secret\'s JSON object that holds the value. Left out, the whole SecretString is the value.',
      FromSsmParameter: 'Name of an SSM Parameter Store parameter, read with decryption (a SecureString, usually).',
    },
  },
  StackConfig: {
    title: 'AppStream 2.0 stack',
    description: 'A stack: the fleets users stream from, their storage, and what they may do in a session.',
    properties: {
      Name: 'Name of the stack; it identifies the stack. Renaming means deleting the stack and creating a new one.',
      Description: 'Description for administrators.',
      DisplayName: 'Name users see in the application catalog.',
      StorageConnectors: 'Persistent storage users reach from their sessions (home folders, Google Drive, OneDrive), at most one entry per connector type.',
      RedirectURL: 'Where users land when their streaming session ends.',
      FeedbackURL: 'Where the Send Feedback link takes users. Without it, the link is hidden.',
      UserSettings:
        'What users may do in a session (clipboard, file transfer, printing, sign-in, time zone), one entry per action. Only the actions listed are managed; the service enables an action that is not configured.',
      ApplicationSettings: "Whether users' application settings and Windows preferences persist between sessions.",
      Tags: 'Tags on the stack.',
      AccessEndpoints: 'Interface VPC endpoints users stream through. When set, streaming is possible only through them.',
      EmbedHostDomains: 'Domains whose web pages may embed streaming sessions in an iframe.',
      StreamingExperienceSettings: 'How sessions are streamed.',
      ContentRedirection: "Which links opened in a session open in the user's local browser instead.",
      AgentAccessConfig: 'What AI agents may see and do in the streaming sessions of this stack.',
      Fleets: 'Names of the fleets associated with the stack. Fleets are managed elsewhere and must exist.',
      Theme:
        'Custom branding of the stack\'s application catalog page (CreateThemeForStack): title, colours, logo, favicon and footer links. Left out, the theme is not managed.',
    },
  },
  ThemeConfig: {
    title: 'Stack theme',
    description:
      'The custom branding of a stack\'s catalog page. AWS reports the logo and the favicon only as URLs of its own copies: streamform records the S3 locations (and ETags) it applied, and uploads again when they change.',
    properties: {
      TitleText: 'Title of the browser tab during streaming sessions.',
      ThemeStyling: 'Colour of links, text and buttons, also used as accents of the catalog page.',
      OrganizationLogoS3Location: 'The S3 object of the logo shown at the top of the catalog page.',
      FaviconS3Location: 'The S3 object of the favicon shown in the browser tab.',
      FooterLinks: 'Links shown, in this order, in the footer of the catalog page (IT support, a product site).',
      State: 'ENABLED shows the branding, DISABLED keeps it without showing it. A new theme is ENABLED.',
    },
  },
  ThemeS3Location: {
    title: 'Theme image in S3',
    description: 'An image in Amazon S3 that AWS copies into the theme. ETag is streamform\'s own: it is never sent to AWS.',
    properties: {
      S3Bucket: 'Name of the bucket.',
      S3Key: 'Key of the object.',
      ETag: 'The object\'s ETag, as S3 reports it (aws s3api head-object): declare it to have the image uploaded again when the object changes in place. Recorded, never sent.',
    },
  },
  ThemeFooterLink: {
    title: 'Footer link',
    description: 'One link in the footer of the catalog page.',
    properties: {
      DisplayName: 'Text of the link.',
      FooterLinkURL: 'Where the link goes.',
    },
  },
  UserConfig: {
    title: 'AppStream 2.0 user-pool user',
    description:
      'A user of the user pool, identified by AuthenticationType and UserName, and the stacks the user is assigned to. Users carry no tags: streamform never deletes one, and removing it from the config leaves it in place.',
    properties: {
      AuthenticationType: 'How the user signs in. Only USERPOOL users can be created.',
      UserName: "The user's email address. Case-sensitive: Ana@example.com and ana@example.com are two users.",
      FirstName: 'First name. There is no update call: changing it deletes and recreates the user, who then gets a new welcome email and loses their sessions.',
      LastName: 'Last name. There is no update call: changing it deletes and recreates the user, who then gets a new welcome email and loses their sessions.',
      Enabled: 'Whether the user may sign in (EnableUser/DisableUser). Default true.',
      MessageAction: 'SUPPRESS: send no welcome email when the user is created. Left out, AWS emails the user a temporary password. Used only at creation.',
      SendEmailNotification: 'Whether AWS emails the user when assigned to a stack; the default for every entry of Stacks. Default false.',
      Stacks:
        "The stacks the user is assigned to: names, or { Name, SendEmailNotification }. For the stacks this config declares, the users listed here are all the stack's users: any other is unassigned.",
    },
  },
  UserStackAssignment: {
    title: 'Stack assignment',
    description: 'One stack a user is assigned to.',
    properties: {
      Name: 'Name of the stack.',
      SendEmailNotification: 'Whether AWS emails the user about this assignment. Default: the user\'s SendEmailNotification.',
    },
  },
  StorageConnector: {
    title: 'Storage connector',
    description: 'Persistent storage for the users of a stack.',
    properties: {
      ConnectorType: 'The storage service.',
      ResourceIdentifier: 'ARN of the storage resource behind the connector.',
      Domains: 'Domains of the Google Workspace or OneDrive for Business accounts users may connect.',
      DomainsRequireAdminConsent: 'OneDrive for Business domains where an administrator must consent before users connect. Only for ONE_DRIVE.',
    },
  },
  UserSetting: {
    title: 'User setting',
    description: 'Whether users may perform one action in a session.',
    properties: {
      Action: 'The action.',
      Permission: 'Whether users may perform it.',
      MaximumLength:
        'Most characters users may copy in one clipboard operation, from 1 to 20,971,520 (the default, 20 MB). Only for the clipboard actions with Permission ENABLED.',
    },
  },
  ApplicationSettings: {
    title: 'Application settings persistence',
    description: "Saving of users' application settings between sessions.",
    properties: {
      Enabled: 'Whether settings persist between sessions.',
      SettingsGroup: 'Name of the settings group. Stacks with the same group share saved settings. Required when Enabled is true.',
    },
  },
  AccessEndpoint: {
    title: 'Access endpoint',
    description: 'An interface VPC endpoint for streaming.',
    properties: {
      EndpointType: 'The kind of endpoint.',
      VpceId: 'ID of the interface VPC endpoint, e.g. vpce-0123456789abcdef0.',
    },
  },
  StreamingExperienceSettings: {
    title: 'Streaming experience settings',
    description: 'How sessions are streamed.',
    properties: {
      PreferredProtocol: 'Protocol to prefer: UDP performs better on lossy networks; TCP passes where UDP is blocked.',
    },
  },
  ContentRedirection: {
    title: 'Content redirection',
    description: "Links that open in the user's local browser.",
    properties: {
      HostToClient: "Redirection of links opened in the session to the user's local browser.",
    },
  },
  UrlRedirectionConfig: {
    title: 'URL redirection',
    description: 'Which links are redirected.',
    properties: {
      Enabled: 'Whether links are redirected.',
      AllowedUrls: 'URL patterns to redirect: http(s)://… or * for every link.',
      DeniedUrls: 'URL patterns never to redirect, even when AllowedUrls matches.',
    },
  },
  AgentAccessConfig: {
    title: 'Agent access',
    description: 'What AI agents may see and do in streaming sessions.',
    properties: {
      Settings: 'One entry per agent action. COMPUTER_INPUT can be enabled only together with COMPUTER_VISION.',
      S3BucketArn: 'ARN of the S3 bucket screenshots are uploaded to. Required when ScreenshotsUploadEnabled is true.',
      ScreenshotsUploadEnabled: 'Whether screenshots agents take are uploaded to S3BucketArn.',
      ScreenResolution: 'Resolution of the screen agents see.',
      ScreenImageFormat: 'Image format of the screenshots.',
      UserControlMode: 'What the user may do while an agent works: only watch, watch and stop it, or nothing.',
    },
  },
  AgentAccessSetting: {
    title: 'Agent action',
    description: 'Whether agents may perform one action.',
    properties: {
      AgentAction: 'The action.',
      Permission: 'Whether agents may perform it.',
    },
  },
  FleetConfig: {
    title: 'AppStream 2.0 fleet',
    description:
      'A fleet: the streaming instances of one image. A RUNNING fleet takes some changes in place; the others need it stopped, which ends its sessions, so apply does them only with --allow-interruption.',
    properties: {
      Name: 'Name of the fleet; it identifies the fleet. Renaming means deleting the fleet and creating a new one.',
      ImageName: 'Name of the image the instances run. Give one of ImageName, ImageArn and LatestImage (none for Elastic fleets).',
      ImageArn: 'ARN of the image the instances run, e.g. a public AWS image.',
      LatestImage: 'The newest AVAILABLE image of the account whose name starts with NamePrefix, chosen at plan time: a new image from the pipeline is a change the plan shows.',
      InstanceType: 'Instance type of the streaming instances, e.g. stream.standard.medium. Changing it needs the fleet stopped.',
      FleetType: 'ALWAYS_ON (instances run all the time), ON_DEMAND (the default; they run when users stream) or ELASTIC (AWS-managed pool, apps from app blocks). Changing it replaces the fleet.',
      ComputeCapacity: 'How many instances (or, for a multi-session fleet, user sessions) the fleet keeps. Not for Elastic fleets.',
      VpcConfig: 'Subnets and security groups of the instances. Elastic fleets need at least two subnets in different Availability Zones.',
      MaxUserDurationInSeconds: 'Longest a streaming session may last, from 600 to 432000 seconds (default 57600).',
      DisconnectTimeoutInSeconds: 'How long a disconnected session is kept for the user to reconnect, from 60 to 36000 seconds (default 900).',
      IdleDisconnectTimeoutInSeconds: 'How long a user may be idle before being disconnected: 0 (never, the default) or 60 to 36000 seconds.',
      Description: 'Description for administrators.',
      DisplayName: 'Name users see for the fleet.',
      EnableDefaultInternetAccess: 'Whether the instances reach the internet without a VPC route (default false).',
      DomainJoinInfo: 'The Active Directory domain the instances join. Not for Elastic fleets.',
      Tags: 'Tags on the fleet.',
      IamRoleArn: 'ARN of the IAM role the instances assume.',
      StreamView: 'What users see: APP (the applications only, the default) or DESKTOP (the whole desktop).',
      Platform: 'Operating system of the instances. Required for Elastic fleets.',
      MaxConcurrentSessions: 'Most sessions an Elastic fleet runs at once. Required for, and only for, Elastic fleets.',
      UsbDeviceFilterStrings: 'USB devices users may redirect into sessions, as filter strings.',
      SessionScriptS3Location: 'The S3 object with the session scripts. Only for Elastic fleets.',
      MaxSessionsPerInstance: 'User sessions per instance: makes the fleet multi-session (ComputeCapacity.DesiredSessions then counts sessions).',
      RootVolumeConfig: 'Size of the root volume of each instance.',
      DisableIMDSV1: 'Whether the instances refuse IMDSv1 requests (default false).',
      State: 'RUNNING or STOPPED. Left out, a fleet streamform creates is started, and afterwards whether it runs is left to the operators.',
      IgnoreChanges:
        'Properties sent when the fleet is created and never compared afterwards, e.g. [ComputeCapacity] for a fleet that Application Auto Scaling sizes.',
    },
  },
  ImageBuilderConfig: {
    title: 'AppStream 2.0 image builder',
    description:
      'An image builder: an instance to install applications on and make images from. There is no UpdateImageBuilder, so every change but Tags and State replaces it (deleted, then created); replacing or stopping a running builder interrupts whoever works in it, so apply does it only with --allow-interruption.',
    properties: {
      Name: 'Name of the image builder; it identifies it. Renaming means deleting it and creating a new one.',
      ImageName: 'Name of the image the builder starts from: one of the account\'s own or a public AWS image. An image shared by another account must be given by ImageArn. Give one of ImageName, ImageArn and LatestImage.',
      ImageArn: 'ARN of the image the builder starts from; the only way to use an image shared by another account.',
      LatestImage: 'The newest AVAILABLE image of the account whose name starts with NamePrefix, chosen at plan time: a newer image replaces the builder.',
      InstanceType: 'Instance type of the builder, e.g. stream.standard.medium. Changing it replaces the builder.',
      Description: 'Description for administrators.',
      DisplayName: 'Name shown for the builder.',
      VpcConfig: 'The one subnet (and the security groups) the builder runs in.',
      IamRoleArn: 'ARN of the IAM role the builder assumes.',
      EnableDefaultInternetAccess: 'Whether the builder reaches the internet without a VPC route (default false).',
      DomainJoinInfo: 'The Active Directory domain the builder joins.',
      AppstreamAgentVersion: 'Version of the AppStream agent, or [LATEST].',
      Tags: 'Tags on the builder; they change in place.',
      AccessEndpoints: 'Interface VPC endpoints through which administrators connect to the builder (1 to 4).',
      RootVolumeConfig: 'Size of the root volume.',
      SoftwaresToInstall: 'License-included applications installed when the builder is created (e.g. Microsoft_Office_2021_LTSC_Professional_Plus_64Bit). AWS does not report them back: streamform compares them with its last apply.',
      SoftwaresToUninstall: 'License-included applications removed from the image when the builder is created. Compared with the last apply, like SoftwaresToInstall.',
      DisableIMDSV1: 'Whether the builder refuses IMDSv1 requests (default false).',
      State: 'RUNNING or STOPPED: a running builder is billed. Left out, a builder streamform creates runs (AWS starts it), and afterwards whether it runs is left to the operators.',
    },
  },
  AppBlockConfig: {
    title: 'AppStream 2.0 app block',
    description:
      'An app block: the virtual hard disk (VHD) with the application files an Elastic fleet mounts, and how it is set up. There is no UpdateAppBlock, so every change but Tags replaces it (deleted, then created); an app block that applications use cannot be deleted.',
    properties: {
      Name: 'Name of the app block; it identifies it. Renaming means deleting it and creating a new one.',
      Description: 'Description for administrators.',
      DisplayName: 'Display name of the app block (not shown to users).',
      SourceS3Location: 'Where the VHD is in S3: for CUSTOM, the VHD itself (S3Key required); for APPSTREAM2, where the app block builder stores the VHD it makes.',
      SetupScriptDetails: 'The script that mounts the VHD on the instance; required for CUSTOM, and only for CUSTOM.',
      Tags: 'Tags on the app block; they change in place.',
      PostSetupScriptDetails: 'A script run after the applications are set up; only for APPSTREAM2.',
      PackagingType: 'CUSTOM (default: a VHD you made, ACTIVE at once) or APPSTREAM2 (INACTIVE until an app block builder packages the applications into a VHD).',
    },
  },
  ScriptDetails: {
    title: 'Script',
    description: 'A script an app block runs on the instance.',
    properties: {
      ScriptS3Location: 'The S3 object of the script.',
      ExecutablePath: 'Path of the program that runs the script (e.g. powershell.exe).',
      ExecutableParameters: 'Parameters given to that program.',
      TimeoutInSeconds: 'How long the script may run, in seconds.',
    },
  },
  AppBlockBuilderConfig: {
    title: 'AppStream 2.0 app block builder',
    description:
      'An app block builder: an instance that packages applications into an app block for Elastic fleets. While it is RUNNING only DisplayName and Description change in place; any other change stops it, updates it and starts it again, which ends the session of whoever works in it, so apply does it only with --allow-interruption.',
    properties: {
      Name: 'Name of the app block builder; it identifies it. Renaming means deleting it and creating a new one.',
      Description: 'Description for administrators.',
      DisplayName: 'Name shown for the builder.',
      Tags: 'Tags on the builder.',
      Platform: 'Operating system of the builder: WINDOWS_SERVER_2019, the only one AWS offers.',
      InstanceType: 'Instance type, one of stream.standard.small, medium, large, xlarge and 2xlarge.',
      VpcConfig: 'The subnets (at least two, in different Availability Zones) and security groups the builder runs in. Security groups no longer declared are removed.',
      EnableDefaultInternetAccess: 'Whether the builder reaches the internet without a VPC route (default false).',
      IamRoleArn: 'ARN of the IAM role the builder assumes.',
      AccessEndpoints: 'Interface VPC endpoints through which administrators connect to the builder.',
      DisableIMDSV1: 'Whether the builder refuses IMDSv1 requests (default false).',
      AppBlocks:
        'Name of the app block the builder is associated with, as a list of one: AWS associates an app block builder with one app block at a time. A builder starts only with an app block, and changing it needs the builder STOPPED.',
      State: 'RUNNING or STOPPED. RUNNING needs an app block. Left out, a builder streamform creates is started when it has an app block, and afterwards whether it runs is left to the operators.',
    },
  },
  ComputeCapacity: {
    title: 'Compute capacity',
    description: 'The desired size of the fleet: exactly one of DesiredInstances and DesiredSessions.',
    properties: {
      DesiredInstances: 'Number of instances.',
      DesiredSessions: 'Number of user sessions, for a multi-session fleet (with MaxSessionsPerInstance).',
    },
  },
  VpcConfig: {
    title: 'VPC configuration',
    description: 'Where the instances run in your VPC.',
    properties: {
      SubnetIds: 'IDs of the subnets, e.g. subnet-0123456789abcdef0.',
      SecurityGroupIds: 'IDs of the security groups, at most 5. Left out, the fleet keeps none.',
    },
  },
  DomainJoinInfo: {
    title: 'Domain join',
    description: 'The Active Directory domain the instances join.',
    properties: {
      DirectoryName: 'Fully qualified name of the directory, e.g. corp.example.com.',
      OrganizationalUnitDistinguishedName: 'Distinguished name of the organizational unit for the computer accounts.',
    },
  },
  S3Location: {
    title: 'S3 location',
    description: 'An object in Amazon S3.',
    properties: {
      S3Bucket: 'Name of the bucket.',
      S3Key: 'Key of the object.',
    },
  },
  VolumeConfig: {
    title: 'Root volume',
    description: 'The root volume of each instance.',
    properties: {
      VolumeSizeInGb: 'Size in GB, from 200 to 500; not below the size of the image.',
    },
  },
  LatestImage: {
    title: 'Latest image',
    description: 'Chooses the newest AVAILABLE image of the account by name prefix.',
    properties: {
      NamePrefix: 'The start of the image names to choose from, e.g. design-base- for a pipeline that names images design-base-<date>.',
    },
  },
  ImageConfig: {
    title: 'AppStream 2.0 image',
    description: 'An existing image whose sharing and tags streamform manages.',
    properties: {
      Name: 'Name of the image; it must exist in the account.',
      SharedWith: 'The AWS accounts the image is shared with, one entry per account. Accounts not listed lose access.',
      MaxBaseImageAgeDays: 'Warn when the AWS base image this image was built from was released more than this many days ago.',
      Tags: 'Tags on the image.',
    },
  },
  SharedImagePermission: {
    title: 'Image sharing',
    description: 'What one AWS account may do with the image.',
    properties: {
      AccountId: 'The 12-digit ID of the AWS account. Quote it, so YAML keeps it a string.',
      AllowFleet: 'Whether the account may launch fleets from the image.',
      AllowImageBuilder: 'Whether the account may launch image builders from the image.',
    },
  },
  StreamingImageConfig: {
    title: 'Nimble Studio streaming image',
    description: 'A streaming image made from an EC2 AMI.',
    properties: {
      StudioId: 'ID of the studio the image belongs to.',
      Name: 'Name of the image; unique within its studio, it identifies the image together with StudioId.',
      Ec2ImageId: 'ID of the AMI the image is made from. Changing it (or StudioId) replaces the image: the new one is created, then the old one deleted.',
      Description: 'Description of the image.',
      Tags: 'Tags on the image.',
    },
  },
  Tags: {
    title: 'Tags',
    description: 'Tags as key: value. Keys that start with aws: belong to AWS and keys that start with streamform: to streamform.',
    properties: {},
  },
  StreamingImageTags: {
    title: 'Tags',
    description: 'Tags as key: value. Keys that start with streamform: belong to streamform.',
    properties: {},
  },
};

/** How null clears an attribute, when the property allows it. */
const CLEAR = {
  attribute: (isList: boolean) => (isList ? 'null or [] clears it.' : 'null clears it.'),
  emptyString: 'null or "" clears it (streamform sets it to an empty string, the way the API clears it).',
  applicationSettings: 'null turns persistence off, like {Enabled: false}.',
  tags: 'null or {} removes every tag but streamform\'s own.',
  fleets: 'null or [] disassociates every fleet.',
  theme: 'null deletes the theme (DeleteThemeForStack).',
  sharing: 'null or [] stops sharing the image with any account.',
};

/** What a theme's text members may hold (ThemeTitleText's and ThemeFooterLinkDisplayName's pattern), in words. */
const THEME_TEXT = 'letters, digits, spaces, underscores and - @ . / # & +';
/** An S3 ETag: an MD5 in hex, with -N after a multipart upload's; S3 shows it in quotes. */
const ETAG_PATTERN = '^"?[0-9a-fA-F]{32}(-[0-9]{1,5})?"?$';

/** The service's documented range for UserSetting.MaximumLength, which the model states only in prose. */
const CLIPBOARD_MAX_LENGTH = 20_971_520;

/** The SAML attributes an entitlement may match, as EntitlementAttribute.Name's documentation lists them. */
const ENTITLEMENT_ATTRIBUTE_NAMES = ['roles', 'department', 'organization', 'groups', 'title', 'costCenter', 'userType'];

/** AWS Region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, … */
const REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-[0-9]+$';

export class SchemaBuilder {
  readonly defs: Record<string, JsonSchema> = {};

  /** JSON Schema for a facts shape; structures and enums become named $defs. */
  shape(service: Service, name: string, defName = name): JsonSchema {
    const shape = shapeOf(service, name);
    if (shape.type === 'structure') {
      this.structure(service, name, defName);
      return { $ref: `#/$defs/${defName}` };
    }
    if (shape.type === 'string' && shape.enum) {
      this.defs[defName] ??= { type: 'string', enum: shape.enum };
      return { $ref: `#/$defs/${defName}` };
    }
    switch (shape.type) {
      case 'string':
        return definedOnly({ type: 'string', minLength: positive(shape.min), maxLength: shape.max, pattern: shape.pattern && unicodePattern(shape.pattern) });
      case 'integer':
      case 'long':
        return definedOnly({ type: 'integer', minimum: shape.min, maximum: shape.max });
      case 'boolean':
        return { type: 'boolean' };
      case 'list':
        return definedOnly({ type: 'array', items: this.shape(service, shape.member!), minItems: positive(shape.min), maxItems: shape.max });
      case 'map':
        return this.map(service, name, defName);
      default:
        throw new Error(`${service} ${name}: no JSON Schema for type ${shape.type}`);
    }
  }

  /** A structure of the model, with its members named as in the model (PascalCase in AppStream). */
  private structure(service: Service, name: string, defName: string): void {
    if (this.defs[defName]) return;
    const shape = shapeOf(service, name);
    this.defs[defName] = {}; // placeholder, so a recursive shape ends here
    const properties = Object.fromEntries(Object.entries(shape.members ?? {}).map(([member, ref]) => [member, this.shape(service, ref.shape)]));
    this.define(defName, properties, shape.required ?? []);
  }

  private map(service: Service, name: string, defName: string): JsonSchema {
    const shape = shapeOf(service, name);
    if (!this.defs[defName]) {
      const { title, description } = describe(defName);
      // No lower bound on the entry count: an empty map clears the tags.
      this.defs[defName] = definedOnly({
        title,
        description,
        type: 'object',
        propertyNames: this.shape(service, shape.key!),
        additionalProperties: this.shape(service, shape.value!),
        maxProperties: shape.max,
      });
    }
    return { $ref: `#/$defs/${defName}` };
  }

  /** Registers an object definition, with descriptions, closed to unknown keys. */
  define(defName: string, properties: Record<string, JsonSchema>, required: string[]): void {
    const { title, description, properties: texts } = describe(defName);
    for (const key of Object.keys(texts)) {
      if (!(key in properties)) throw new Error(`${defName}: description for unknown property ${key}`);
    }
    const described = Object.fromEntries(
      Object.entries(properties).map(([key, schema]) => {
        const text = texts[key];
        if (!text) throw new Error(`${defName}.${key} needs a description`);
        return [key, withDescription(schema, text)];
      }),
    );
    this.defs[defName] = definedOnly({
      title,
      description,
      type: 'object',
      properties: described,
      required: required.length ? required : undefined,
      additionalProperties: false,
    });
  }

  /** Adds cross-field rules to a definition built from the facts. */
  addRules(defName: string, rules: JsonSchema[]): void {
    this.defs[defName].allOf = rules;
  }

  /** Sets one property's schema (e.g. a range the model states only in prose). */
  refine(defName: string, property: string, extra: JsonSchema): void {
    const properties = this.defs[defName].properties as Record<string, JsonSchema>;
    properties[property] = { ...properties[property], ...extra };
  }
}

function describe(defName: string) {
  const entry = DESCRIPTIONS[defName];
  if (!entry) throw new Error(`no description for ${defName}`);
  return entry;
}

function withDescription(schema: JsonSchema, description: string): JsonSchema {
  return { description, ...schema };
}

/**
 * The model's patterns are Java regexes. JSON Schema validators and editors compile patterns with
 * ECMAScript's `u` flag (needed for \p{L}), which rejects escapes of characters that need none,
 * such as `\-` outside a character class; such escapes are dropped, which keeps the meaning.
 */
export function unicodePattern(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      i++;
      const needsEscape = /[\w\\^$.*+?()[\]{}|/]/.test(next) || (inClass && next === '-');
      out += needsEscape ? c + next : next;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}

/** A minimum of 0 says nothing for strings and lists. */
function positive(min: number | undefined): number | undefined {
  return min ? min : undefined;
}

function definedOnly(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([, v]) => v !== undefined));
}

/**
 * A property null may clear. An empty list or map clears too, so the lower bound of 1 item
 * (e.g. EmbedHostDomains) applies only to values that are not empty.
 */
function clearable(schema: JsonSchema, note: string): JsonSchema {
  const description = `${schema.description} ${note}`;
  const value = Object.fromEntries(Object.entries(schema).filter(([keyword]) => !['description', 'minItems'].includes(keyword)));
  if (typeof value.type === 'string') return { description, ...value, type: [value.type, 'null'] };
  return { description, anyOf: [value, { type: 'null' }] };
}

/** A rule: when `when` holds, `then` must too. `description` is the message a violation shows. */
function rule(description: string, when: JsonSchema, then: JsonSchema): JsonSchema {
  return { description, if: when, then };
}

const pascal = (member: string) => member[0].toUpperCase() + member.slice(1);
/** STORAGE_CONNECTORS ~ StorageConnectors, REDIRECT_URL ~ RedirectURL. */
const squash = (name: string) => name.replace(/_/g, '').toLowerCase();

export function buildSchema(): JsonSchema {
  const b = new SchemaBuilder();

  // Stacks: every member of CreateStackRequest, plus fleet associations.
  const createStack = shapeOf('appstream', 'CreateStackRequest');
  const stackProperties: Record<string, JsonSchema> = {};
  for (const [member, ref] of Object.entries(createStack.members!)) {
    stackProperties[member] = b.shape('appstream', ref.shape);
  }
  stackProperties.Theme = buildThemeSchema(b);
  stackProperties.Fleets = { type: 'array', items: b.shape('appstream', memberShape('appstream', 'AssociateFleetRequest', 'FleetName')) };
  const deletable = new Set(shapeOf('appstream', 'StackAttribute').enum!.map(squash));
  const stackClears: Record<string, string> = {
    Description: CLEAR.emptyString,
    DisplayName: CLEAR.emptyString,
    ApplicationSettings: CLEAR.applicationSettings,
    Tags: CLEAR.tags,
    Fleets: CLEAR.fleets,
    Theme: CLEAR.theme,
  };
  for (const member of Object.keys(stackProperties)) {
    if (deletable.has(squash(member))) stackClears[member] = CLEAR.attribute(isList('appstream', createStack, member));
  }
  b.define('StackConfig', clearables(stackProperties, stackClears, 'StackConfig'), createStack.required!);

  b.refine('UserSetting', 'MaximumLength', { minimum: 1, maximum: CLIPBOARD_MAX_LENGTH });
  const clipboardActions = shapeOf('appstream', 'Action').enum!.filter((a) => a.startsWith('CLIPBOARD_'));
  b.addRules('UserSetting', [
    rule(
      `MaximumLength applies only to ${clipboardActions.join(' and ')} with Permission ENABLED`,
      { not: { properties: { Action: { enum: clipboardActions }, Permission: { const: enumValue('appstream', 'Permission', 'ENABLED') } } } },
      { properties: { MaximumLength: false } },
    ),
  ]);
  b.addRules('ApplicationSettings', [
    rule('SettingsGroup is required when Enabled is true', { properties: { Enabled: { const: true } }, required: ['Enabled'] }, { required: ['SettingsGroup'] }),
    rule('SettingsGroup must be left out when Enabled is false', { properties: { Enabled: { const: false } }, required: ['Enabled'] }, { properties: { SettingsGroup: false } }),
  ]);
  const oneDrive = enumValue('appstream', 'StorageConnectorType', 'ONE_DRIVE');
  b.addRules('StorageConnector', [
    rule(
      `DomainsRequireAdminConsent applies only to ConnectorType ${oneDrive}`,
      { not: { properties: { ConnectorType: { const: oneDrive } } } },
      { properties: { DomainsRequireAdminConsent: false } },
    ),
  ]);
  const enabledAgentAction = (action: string) => ({
    properties: { AgentAction: { const: enumValue('appstream', 'AgentAction', action) }, Permission: { const: 'ENABLED' } },
    required: ['AgentAction', 'Permission'],
  });
  b.addRules('AgentAccessConfig', [
    rule('S3BucketArn is required when ScreenshotsUploadEnabled is true', { properties: { ScreenshotsUploadEnabled: { const: true } }, required: ['ScreenshotsUploadEnabled'] }, { required: ['S3BucketArn'] }),
    rule(
      'COMPUTER_INPUT can be ENABLED only when COMPUTER_VISION is ENABLED too',
      { properties: { Settings: { contains: enabledAgentAction('COMPUTER_INPUT') } }, required: ['Settings'] },
      { properties: { Settings: { contains: enabledAgentAction('COMPUTER_VISION') } } },
    ),
  ]);

  buildFleetSchema(b);
  buildImageBuilderSchema(b);
  buildApplicationSchema(b);
  buildAppBlockSchema(b);
  buildAppBlockBuilderSchema(b);

  // Images: sharing (UpdateImagePermissions) and tags of an image that exists.
  const permissions = shapeOf('appstream', memberShape('appstream', 'UpdateImagePermissionsRequest', 'ImagePermissions'));
  b.define(
    'SharedImagePermission',
    {
      AccountId: b.shape('appstream', memberShape('appstream', 'UpdateImagePermissionsRequest', 'SharedAccountId')),
      AllowFleet: b.shape('appstream', permissions.members!.allowFleet.shape),
      AllowImageBuilder: b.shape('appstream', permissions.members!.allowImageBuilder.shape),
    },
    ['AccountId', 'AllowFleet', 'AllowImageBuilder'],
  );
  b.define(
    'ImageConfig',
    clearables(
      {
        Name: b.shape('appstream', memberShape('appstream', 'UpdateImagePermissionsRequest', 'Name')),
        SharedWith: { type: 'array', items: { $ref: '#/$defs/SharedImagePermission' } },
        MaxBaseImageAgeDays: { type: 'integer', minimum: 1 },
        Tags: { $ref: '#/$defs/Tags' },
      },
      { SharedWith: CLEAR.sharing, Tags: CLEAR.tags },
      'ImageConfig',
    ),
    ['Name'],
  );

  // Streaming images: CreateStreamingImageRequest in CloudFormation's PascalCase, without the idempotency token.
  const createImage = shapeOf('nimble', 'CreateStreamingImageRequest');
  const identityFirst = ['studioId', 'name'];
  const members = Object.entries(createImage.members!).sort(([a], [b]) => rank(identityFirst, a) - rank(identityFirst, b));
  const imageProperties: Record<string, JsonSchema> = {};
  for (const [member, ref] of members) {
    if (member === 'clientToken') continue;
    imageProperties[pascal(member)] = b.shape('nimble', ref.shape, ref.shape === 'Tags' ? 'StreamingImageTags' : undefined);
  }
  // The studio ID is a URL path segment, which cannot be empty.
  imageProperties.StudioId = { ...imageProperties.StudioId, minLength: 1 };
  b.define(
    'StreamingImageConfig',
    clearables(imageProperties, { Description: CLEAR.emptyString, Tags: CLEAR.tags }, 'StreamingImageConfig'),
    createImage.required!.map(pascal),
  );

  // Users of the user pool: CreateUserRequest (USERPOOL only), Enabled, and their stack assignments.
  const createUser = shapeOf('appstream', 'CreateUserRequest');
  const stackName = b.shape('appstream', memberShape('appstream', 'UserStackAssociation', 'StackName'));
  const emailNotice = b.shape('appstream', memberShape('appstream', 'UserStackAssociation', 'SendEmailNotification'));
  b.define('UserStackAssignment', { Name: { ...stackName, minLength: 1, maxLength: 100 }, SendEmailNotification: emailNotice }, ['Name']);
  b.define(
    'UserConfig',
    {
      AuthenticationType: { const: enumValue('appstream', 'AuthenticationType', 'USERPOOL') },
      // Email addresses: the model admits any printable text, AWS wants an address.
      UserName: { ...b.shape('appstream', createUser.members!.UserName.shape), pattern: '^[^@\\s]+@[^@\\s]+$' },
      FirstName: b.shape('appstream', createUser.members!.FirstName.shape),
      LastName: b.shape('appstream', createUser.members!.LastName.shape),
      Enabled: { type: 'boolean' },
      MessageAction: { const: enumValue('appstream', 'MessageAction', 'SUPPRESS') },
      SendEmailNotification: emailNotice,
      Stacks: { type: 'array', items: { anyOf: [{ ...stackName, minLength: 1, maxLength: 100 }, { $ref: '#/$defs/UserStackAssignment' }] } },
    },
    createUser.required!,
  );
  // Directory configs: every member of CreateDirectoryConfigRequest; the service account's name and password only as references to secrets.
  b.defs.SecretReference = secretReference();
  const credentials = shapeOf('appstream', 'ServiceAccountCredentials');
  b.define(
    'ServiceAccountCredentialsConfig',
    Object.fromEntries(Object.keys(credentials.members!).map((member) => [member, { $ref: '#/$defs/SecretReference' }])),
    credentials.required!,
  );
  const createDirectoryConfig = shapeOf('appstream', 'CreateDirectoryConfigRequest');
  const directoryConfigProperties: Record<string, JsonSchema> = {};
  for (const [member, ref] of Object.entries(createDirectoryConfig.members!)) {
    directoryConfigProperties[member] = member === 'ServiceAccountCredentials' ? { $ref: '#/$defs/ServiceAccountCredentialsConfig' } : b.shape('appstream', ref.shape);
  }
  directoryConfigProperties.DirectoryName = { ...directoryConfigProperties.DirectoryName, minLength: 1 };
  b.define(
    'DirectoryConfigConfig',
    clearables(directoryConfigProperties, { CertificateBasedAuthProperties: CLEAR.attribute(false) }, 'DirectoryConfigConfig'),
    createDirectoryConfig.required!,
  );
  const cbaStatus = shapeOf('appstream', 'CertificateBasedAuthStatus').enum!.filter((status) => status !== enumValue('appstream', 'CertificateBasedAuthStatus', 'DISABLED'));
  b.addRules('CertificateBasedAuthProperties', [
    rule(`CertificateAuthorityArn is required when Status is ${cbaStatus.join(' or ')}`, { properties: { Status: { enum: cbaStatus } }, required: ['Status'] }, { required: ['CertificateAuthorityArn'] }),
  ]);

  // Usage reports: CreateUsageReportSubscription takes no input, so the one choice is whether the subscription exists.
  b.define('UsageReportsConfig', { Enabled: { type: 'boolean' } }, ['Enabled']);
  // Entitlements: every member of CreateEntitlementRequest, identity first, plus the applications they grant.
  const createEntitlement = shapeOf('appstream', 'CreateEntitlementRequest');
  const entitlementMembers = Object.entries(createEntitlement.members!).sort(([a], [b]) => rank(['StackName', 'Name'], a) - rank(['StackName', 'Name'], b));
  const entitlementProperties: Record<string, JsonSchema> = Object.fromEntries(entitlementMembers.map(([member, ref]) => [member, b.shape('appstream', ref.shape)]));
  entitlementProperties.Applications = { type: 'array', items: b.shape('appstream', memberShape('appstream', 'AssociateApplicationToEntitlementRequest', 'ApplicationIdentifier')) };
  b.define('EntitlementConfig', clearables(entitlementProperties, { Description: CLEAR.emptyString }, 'EntitlementConfig'), createEntitlement.required!);
  // The names the model states only in prose (EntitlementAttribute.Name).
  b.refine('EntitlementAttribute', 'Name', { enum: ENTITLEMENT_ATTRIBUTE_NAMES });

  const tagValue = shapeOf('appstream', 'TagValue');
  b.define(
    'Config',
    {
      version: { const: 1 },
      project: definedOnly({ type: 'string', minLength: 1, maxLength: tagValue.max, pattern: tagValue.pattern }),
      region: { type: 'string', pattern: REGION_PATTERN },
      targets: { type: 'array', minItems: 1, items: { $ref: '#/$defs/Target' } },
      prune: { type: 'boolean' },
      stacks: { type: 'array', items: { $ref: '#/$defs/StackConfig' } },
      fleets: { type: 'array', items: { $ref: '#/$defs/FleetConfig' } },
      images: { type: 'array', items: { $ref: '#/$defs/ImageConfig' } },
      imageBuilders: { type: 'array', items: { $ref: '#/$defs/ImageBuilderConfig' } },
      streamingImages: { type: 'array', items: { $ref: '#/$defs/StreamingImageConfig' } },
      users: { type: 'array', items: { $ref: '#/$defs/UserConfig' } },
      directoryConfigs: { type: 'array', items: { $ref: '#/$defs/DirectoryConfigConfig' } },
      applications: { type: 'array', items: { $ref: '#/$defs/ApplicationConfig' } },
      appBlocks: { type: 'array', items: { $ref: '#/$defs/AppBlockConfig' } },
      usageReports: { $ref: '#/$defs/UsageReportsConfig' },
      entitlements: { type: 'array', items: { $ref: '#/$defs/EntitlementConfig' } },
      appBlockBuilders: { type: 'array', items: { $ref: '#/$defs/AppBlockBuilderConfig' } },
    },
    ['version', 'project'],
  );
  buildTargetSchema(b);
  const { Config, ...defs } = b.defs;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:streamform:schema:config:1',
    ...Config,
    $defs: sortKeys(defs),
  };
}

/** Names a target may have: they appear in addresses and flags. */
const TARGET_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$';
const VARIABLE_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

/**
 * Targets (accounts and regions) and every resource's Targets list. A resource schema is checked
 * after the target's variables were substituted, so it keeps its own types.
 */
function buildTargetSchema(b: SchemaBuilder): void {
  const sts = (shape: string) => b.shape('sts', shape);
  b.define(
    'Target',
    {
      name: { type: 'string', pattern: TARGET_NAME_PATTERN },
      region: { type: 'string', pattern: REGION_PATTERN },
      profile: { type: 'string', minLength: 1 },
      roleArn: { ...sts('arnType'), pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$' },
      externalId: sts('externalIdType'),
      endpoint: { type: 'string', pattern: '^https?://' },
      vars: {
        type: 'object',
        propertyNames: { pattern: VARIABLE_NAME_PATTERN },
        additionalProperties: { anyOf: [{ type: ['string', 'number', 'boolean'] }, { type: 'array', items: { type: ['string', 'number', 'boolean'] } }] },
      },
    },
    ['name', 'region'],
  );
  b.addRules('Target', [rule('externalId goes with roleArn', { required: ['externalId'] }, { required: ['roleArn'] })]);
  const config = b.defs.Config.properties as Record<string, JsonSchema>;
  for (const list of Object.values(config)) {
    // A list of resources, or a singleton kind's one object (usageReports).
    const ref = ((list.items as JsonSchema | undefined)?.$ref ?? list.$ref) as string | undefined;
    const def = ref && b.defs[ref.replace('#/$defs/', '')];
    if (!def || !def.properties || ref === '#/$defs/Target') continue;
    (def.properties as Record<string, JsonSchema>).Targets = {
      description: 'The targets this resource goes to (default: every target of the config).',
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: TARGET_NAME_PATTERN },
    };
  }
  b.addRules('Config', [rule('give either region or targets, not both: each target names its region', { type: 'object', required: ['targets'] }, { not: { required: ['region'] } })]);
}

/**
 * Fleets: every member of CreateFleetRequest, plus State, LatestImage and IgnoreChanges, with the
 * rules of the fleet types (UpdateFleet's and CreateFleet's documentation) as cross-field rules.
 */
function buildFleetSchema(b: SchemaBuilder): void {
  const createFleet = shapeOf('appstream', 'CreateFleetRequest');
  const properties: Record<string, JsonSchema> = {};
  for (const [member, ref] of Object.entries(createFleet.members!)) properties[member] = b.shape('appstream', ref.shape);
  b.define('LatestImage', { NamePrefix: { ...b.shape('appstream', 'Name'), minLength: 1 } }, ['NamePrefix']);
  properties.LatestImage = { $ref: '#/$defs/LatestImage' };
  const states = ['RUNNING', 'STOPPED'].map((state) => enumValue('appstream', 'FleetState', state));
  properties.State = { type: 'string', enum: states };
  properties.IgnoreChanges = { type: 'array', items: { type: 'string', enum: Object.keys(properties).filter((name) => name !== 'Name') } };
  // AttributesToDelete clears these (FleetAttribute); Description and DisplayName are cleared with "".
  const deletable: Record<string, string> = {
    VpcConfig: 'VPC_CONFIGURATION',
    DomainJoinInfo: 'DOMAIN_JOIN_INFO',
    IamRoleArn: 'IAM_ROLE_ARN',
    UsbDeviceFilterStrings: 'USB_DEVICE_FILTER_STRINGS',
    SessionScriptS3Location: 'SESSION_SCRIPT_S3_LOCATION',
    MaxSessionsPerInstance: 'MAX_SESSIONS_PER_INSTANCE',
    RootVolumeConfig: 'VOLUME_CONFIGURATION',
  };
  const clears: Record<string, string> = { Description: CLEAR.emptyString, DisplayName: CLEAR.emptyString, Tags: CLEAR.tags };
  for (const [member, attribute] of Object.entries(deletable)) {
    enumValue('appstream', 'FleetAttribute', attribute);
    clears[member] = CLEAR.attribute(isList('appstream', createFleet, member));
  }
  b.define('FleetConfig', clearables(properties, clears, 'FleetConfig'), createFleet.required!);

  // The documented ranges the model states only in prose.
  b.refine('FleetConfig', 'MaxUserDurationInSeconds', { minimum: 600, maximum: 432_000 });
  b.refine('FleetConfig', 'DisconnectTimeoutInSeconds', { minimum: 60, maximum: 36_000 });
  b.refine('FleetConfig', 'IdleDisconnectTimeoutInSeconds', { minimum: 0, maximum: 36_000 });
  b.refine('FleetConfig', 'MaxConcurrentSessions', { minimum: 1 });
  b.refine('FleetConfig', 'MaxSessionsPerInstance', { minimum: 1 });
  b.refine('VolumeConfig', 'VolumeSizeInGb', { minimum: 200, maximum: 500 });
  b.refine('ComputeCapacity', 'DesiredInstances', { minimum: 0 });
  b.refine('ComputeCapacity', 'DesiredSessions', { minimum: 0 });
  b.addRules('ComputeCapacity', [
    rule('give exactly one of DesiredInstances and DesiredSessions', {}, { oneOf: [{ required: ['DesiredInstances'] }, { required: ['DesiredSessions'] }] }),
  ]);

  const elastic = { properties: { FleetType: { const: enumValue('appstream', 'FleetType', 'ELASTIC') } }, required: ['FleetType'] };
  const elasticPlatforms = ['WINDOWS_SERVER_2019', 'AMAZON_LINUX2', 'UBUNTU_PRO_2404'].map((platform) => enumValue('appstream', 'PlatformType', platform));
  const set = (member: string) => ({ properties: { [member]: { not: { type: 'null' } } }, required: [member] });
  const images = ['ImageName', 'ImageArn', 'LatestImage'];
  b.addRules('FleetConfig', [
    rule('Elastic fleets need MaxConcurrentSessions', elastic, { required: ['MaxConcurrentSessions'] }),
    rule(`Elastic fleets need a Platform of ${elasticPlatforms.join(', ')}`, elastic, { properties: { Platform: { enum: elasticPlatforms } }, required: ['Platform'] }),
    rule('Elastic fleets need a VpcConfig with at least two subnets (in different Availability Zones)', elastic, {
      properties: { VpcConfig: { type: 'object', properties: { SubnetIds: { minItems: 2 } }, required: ['SubnetIds'] } },
      required: ['VpcConfig'],
    }),
    rule('Elastic fleets take no ComputeCapacity (MaxConcurrentSessions sizes them)', elastic, { properties: { ComputeCapacity: false } }),
    rule('Elastic fleets take no DomainJoinInfo', elastic, { properties: { DomainJoinInfo: false } }),
    rule('Elastic fleets take no MaxSessionsPerInstance', elastic, { properties: { MaxSessionsPerInstance: false } }),
    rule('Elastic fleets take no image (ImageName, ImageArn or LatestImage): their applications come from app blocks', elastic, {
      properties: Object.fromEntries(images.map((member) => [member, false])),
    }),
    rule('ComputeCapacity is required (DesiredInstances, or DesiredSessions for a multi-session fleet)', { not: elastic }, { required: ['ComputeCapacity'] }),
    rule('give one of ImageName, ImageArn and LatestImage', { not: elastic }, { anyOf: images.map((member) => ({ required: [member] })) }),
    rule('MaxConcurrentSessions is only for Elastic fleets', { not: elastic }, { properties: { MaxConcurrentSessions: false } }),
    rule('SessionScriptS3Location is only for Elastic fleets', { not: elastic }, { properties: { SessionScriptS3Location: false } }),
    ...onlyOneOf(images),
    rule(
      'ComputeCapacity.DesiredSessions is only for multi-session fleets: set MaxSessionsPerInstance',
      { properties: { ComputeCapacity: { required: ['DesiredSessions'] } }, required: ['ComputeCapacity'] },
      set('MaxSessionsPerInstance'),
    ),
    rule(
      'a multi-session fleet (MaxSessionsPerInstance) takes ComputeCapacity.DesiredSessions, not DesiredInstances',
      set('MaxSessionsPerInstance'),
      { properties: { ComputeCapacity: { properties: { DesiredInstances: false } } } },
    ),
    rule(
      'IdleDisconnectTimeoutInSeconds is 0 (never) or from 60 to 36000',
      { properties: { IdleDisconnectTimeoutInSeconds: { type: 'integer', minimum: 1, maximum: 59 } }, required: ['IdleDisconnectTimeoutInSeconds'] },
      { properties: { IdleDisconnectTimeoutInSeconds: false } },
    ),
  ]);
}

/**
 * A stack's theme: the members of CreateThemeForStackRequest (required as it requires them) plus
 * UpdateThemeForStack's State; S3 locations with a key and an optional ETag of streamform's own.
 * Patterns are said in words, not as the expression.
 */
function buildThemeSchema(b: SchemaBuilder): JsonSchema {
  const create = shapeOf('appstream', 'CreateThemeForStackRequest');
  const location = shapeOf('appstream', 'S3Location');
  b.define(
    'ThemeS3Location',
    { ...Object.fromEntries(Object.entries(location.members!).map(([member, ref]) => [member, b.shape('appstream', ref.shape)])), ETag: { type: 'string' } },
    ['S3Bucket', 'S3Key'],
  );
  b.addRules('ThemeS3Location', [worded(b, 'ThemeS3Location', 'ETag', ETAG_PATTERN, 'ETag is 32 hexadecimal digits (and -N after a multipart upload), as S3 reports it')]);
  const link = shapeOf('appstream', 'ThemeFooterLink');
  b.define('ThemeFooterLink', Object.fromEntries(Object.entries(link.members!).map(([member, ref]) => [member, b.shape('appstream', ref.shape)])), Object.keys(link.members!));
  b.addRules('ThemeFooterLink', [worded(b, 'ThemeFooterLink', 'DisplayName', undefined, `DisplayName may hold only ${THEME_TEXT}`)]);
  const properties: Record<string, JsonSchema> = {};
  for (const [member, ref] of Object.entries(create.members!)) {
    if (member === 'StackName') continue;
    properties[member] = member.endsWith('S3Location') ? { $ref: '#/$defs/ThemeS3Location' } : b.shape('appstream', ref.shape);
  }
  properties.FooterLinks = { type: 'array', items: { $ref: '#/$defs/ThemeFooterLink' } };
  properties.State = b.shape('appstream', memberShape('appstream', 'UpdateThemeForStackRequest', 'State'));
  enumValue('appstream', 'ThemeAttribute', 'FOOTER_LINKS');
  b.define('ThemeConfig', clearables(properties, { FooterLinks: CLEAR.attribute(true) }, 'ThemeConfig'), create.required!.filter((member) => member !== 'StackName'));
  b.addRules('ThemeConfig', [worded(b, 'ThemeConfig', 'TitleText', undefined, `TitleText may hold only ${THEME_TEXT}`)]);
  return { $ref: '#/$defs/ThemeConfig' };
}

/**
 * A property's pattern (`pattern`, else the one the facts gave it) checked by a rule whose message
 * says in words what it allows, instead of quoting the expression.
 */
function worded(b: SchemaBuilder, defName: string, property: string, pattern: string | undefined, message: string): JsonSchema {
  const properties = b.defs[defName].properties as Record<string, JsonSchema>;
  const { pattern: given, ...rest } = properties[property];
  properties[property] = rest;
  return rule(message, { required: [property] }, { properties: { [property]: { pattern: pattern ?? given } } });
}

/** Image builders: every member of CreateImageBuilderRequest, plus LatestImage (as for fleets) and State. */
function buildImageBuilderSchema(b: SchemaBuilder): void {
  const create = shapeOf('appstream', 'CreateImageBuilderRequest');
  const properties: Record<string, JsonSchema> = {};
  for (const [member, ref] of Object.entries(create.members!)) properties[member] = b.shape('appstream', ref.shape);
  properties.LatestImage = { $ref: '#/$defs/LatestImage' };
  properties.State = { type: 'string', enum: ['RUNNING', 'STOPPED'].map((state) => enumValue('appstream', 'ImageBuilderState', state)) };
  const replaced = 'null clears it (the builder is replaced without it).';
  const clears = Object.fromEntries(
    ['Description', 'DisplayName', 'VpcConfig', 'IamRoleArn', 'DomainJoinInfo', 'AccessEndpoints', 'SoftwaresToInstall', 'SoftwaresToUninstall'].map((member) => [member, replaced]),
  );
  b.define('ImageBuilderConfig', clearables(properties, { ...clears, Tags: CLEAR.tags }, 'ImageBuilderConfig'), create.required!);
  const images = ['ImageName', 'ImageArn', 'LatestImage'];
  b.addRules('ImageBuilderConfig', [
    rule('give one of ImageName, ImageArn and LatestImage', {}, { anyOf: images.map((member) => ({ required: [member] })) }),
    ...onlyOneOf(images),
    rule(
      'an image builder runs in exactly one subnet: VpcConfig.SubnetIds takes one ID',
      { properties: { VpcConfig: { type: 'object', required: ['SubnetIds'] } }, required: ['VpcConfig'] },
      { properties: { VpcConfig: { properties: { SubnetIds: { minItems: 1, maxItems: 1 } } } } },
    ),
  ]);
}

/**
 * Applications: every member of CreateApplicationRequest, the app block by name as an alternative to
 * its ARN, and the Elastic fleets that offer it (AssociateApplicationFleet).
 */
function buildApplicationSchema(b: SchemaBuilder): void {
  const create = shapeOf('appstream', 'CreateApplicationRequest');
  const properties: Record<string, JsonSchema> = {};
  for (const [member, ref] of Object.entries(create.members!)) properties[member] = b.shape('appstream', ref.shape);
  const name = b.shape('appstream', memberShape('appstream', 'AssociateApplicationFleetRequest', 'FleetName'));
  properties.AppBlock = name;
  properties.Fleets = { type: 'array', items: name };
  // The model documents these values only in prose: the platforms of Elastic fleets, the two instance families.
  const platforms = ['WINDOWS_SERVER_2019', 'AMAZON_LINUX2', 'UBUNTU_PRO_2404'].map((platform) => enumValue('appstream', 'PlatformType', platform));
  properties.Platforms = { ...properties.Platforms, items: { type: 'string', enum: platforms }, minItems: 1 };
  properties.InstanceFamilies = { ...properties.InstanceFamilies, items: { type: 'string', enum: ['GENERAL_PURPOSE', 'GRAPHICS_G4'] }, minItems: 1 };
  // AttributesToDelete clears these (ApplicationAttribute); Description and DisplayName are cleared with "".
  for (const attribute of ['LAUNCH_PARAMETERS', 'WORKING_DIRECTORY']) enumValue('appstream', 'ApplicationAttribute', attribute);
  const clears = {
    Description: CLEAR.emptyString,
    DisplayName: CLEAR.emptyString,
    WorkingDirectory: CLEAR.attribute(false),
    LaunchParameters: CLEAR.attribute(false),
    Tags: CLEAR.tags,
    Fleets: 'null or [] disassociates every fleet.',
  };
  const blocks = ['AppBlockArn', 'AppBlock'];
  b.define('ApplicationConfig', clearables(properties, clears, 'ApplicationConfig'), create.required!.filter((member) => member !== 'AppBlockArn'));
  b.addRules('ApplicationConfig', [rule('give one of AppBlockArn and AppBlock', {}, { anyOf: blocks.map((member) => ({ required: [member] })) }), ...onlyOneOf(blocks)]);
}

/**
 * App blocks: every member of CreateAppBlockRequest, with the packaging rules the model states in
 * its documentation (setup script for CUSTOM only, and required there; post-setup for APPSTREAM2 only).
 */
function buildAppBlockSchema(b: SchemaBuilder): void {
  const create = shapeOf('appstream', 'CreateAppBlockRequest');
  const properties: Record<string, JsonSchema> = {};
  for (const [member, ref] of Object.entries(create.members!)) properties[member] = b.shape('appstream', ref.shape);
  const replaced = 'null clears it (the app block is replaced without it).';
  const clears = Object.fromEntries(['Description', 'DisplayName', 'PostSetupScriptDetails'].map((member) => [member, replaced]));
  b.define('AppBlockConfig', clearables(properties, { ...clears, Tags: CLEAR.tags }, 'AppBlockConfig'), create.required!);
  const packagedByAws = { properties: { PackagingType: { const: enumValue('appstream', 'PackagingType', 'APPSTREAM2') } }, required: ['PackagingType'] };
  const custom = { not: packagedByAws };
  b.addRules('AppBlockConfig', [
    rule('a CUSTOM app block (the default PackagingType) needs SetupScriptDetails, the script that mounts its VHD', custom, {
      properties: { SetupScriptDetails: { not: { type: 'null' } } },
      required: ['SetupScriptDetails'],
    }),
    rule('a CUSTOM app block needs SourceS3Location.S3Key: the VHD', custom, { properties: { SourceS3Location: { required: ['S3Key'] } } }),
    rule('PostSetupScriptDetails is only for PackagingType APPSTREAM2', custom, { properties: { PostSetupScriptDetails: { type: 'null' } } }),
    rule('SetupScriptDetails is only for PackagingType CUSTOM', packagedByAws, { properties: { SetupScriptDetails: false } }),
  ]);
}

/** App block builders: every member of CreateAppBlockBuilderRequest, plus State and the associated app block. */
function buildAppBlockBuilderSchema(b: SchemaBuilder): void {
  const create = shapeOf('appstream', 'CreateAppBlockBuilderRequest');
  const properties: Record<string, JsonSchema> = {};
  for (const [member, ref] of Object.entries(create.members!)) properties[member] = b.shape('appstream', ref.shape);
  const appBlockName = b.shape('appstream', memberShape('appstream', 'CreateAppBlockRequest', 'Name'));
  properties.AppBlocks = { type: 'array', items: appBlockName, maxItems: 1 };
  properties.State = { type: 'string', enum: ['RUNNING', 'STOPPED'].map((state) => enumValue('appstream', 'AppBlockBuilderState', state)) };
  const clears: Record<string, string> = { Description: CLEAR.emptyString, DisplayName: CLEAR.emptyString, Tags: CLEAR.tags, AppBlocks: 'null or [] disassociates the app block.' };
  for (const [member, attribute] of Object.entries({ IamRoleArn: 'IAM_ROLE_ARN', AccessEndpoints: 'ACCESS_ENDPOINTS' })) {
    enumValue('appstream', 'AppBlockBuilderAttribute', attribute);
    clears[member] = CLEAR.attribute(isList('appstream', create, member));
  }
  b.define('AppBlockBuilderConfig', clearables(properties, clears, 'AppBlockBuilderConfig'), create.required!);
  b.addRules('AppBlockBuilderConfig', [
    rule('app block builders need a VpcConfig with at least two subnets (in different Availability Zones)', { required: ['VpcConfig'] }, {
      properties: { VpcConfig: { type: 'object', properties: { SubnetIds: { minItems: 2 } }, required: ['SubnetIds'] } },
    }),
    rule(
      'an app block builder can run only with an app block: State RUNNING needs AppBlocks',
      { properties: { State: { const: 'RUNNING' } }, required: ['State'] },
      { not: { properties: { AppBlocks: { anyOf: [{ type: 'null' }, { maxItems: 0 }] } }, required: ['AppBlocks'] } },
    ),
  ]);
}

/** Rules that refuse a second member of `members` beside any one of them. */
function onlyOneOf(members: string[]): JsonSchema[] {
  return members.map((member) =>
    rule(
      `give exactly one of ${members.slice(0, -1).join(', ')} and ${members.at(-1)}`,
      { required: [member] },
      { properties: Object.fromEntries(members.filter((other) => other !== member).map((other) => [other, false])) },
    ),
  );
}

/** The sources a secret may come from, each a member of SecretReference. */
const SECRET_SOURCES = ['FromEnv', 'FromFile', 'FromSecretsManager', 'FromSsmParameter'];

/**
 * A reference to a secret. Nothing but the rules may fail on a value that is not a reference: a
 * type error would quote the value, and the value may be the secret itself.
 */
function secretReference(): JsonSchema {
  const { title, description, properties: texts } = describe('SecretReference');
  const text = (schema: JsonSchema, key: string) => withDescription(schema, texts[key]);
  return {
    title,
    description,
    properties: {
      FromEnv: text({ type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, 'FromEnv'),
      FromFile: text({ type: 'string', minLength: 1 }, 'FromFile'),
      FromSecretsManager: text({ type: 'string', minLength: 1, maxLength: 2048 }, 'FromSecretsManager'),
      Key: text({ type: 'string', minLength: 1 }, 'Key'),
      FromSsmParameter: text({ type: 'string', minLength: 1, maxLength: 2048 }, 'FromSsmParameter'),
    },
    additionalProperties: false,
    allOf: [
      rule(
        'a secret is never written in the config: give a reference, {FromEnv: VAR}, {FromFile: path}, {FromSecretsManager: name-or-ARN, Key: json-key} or {FromSsmParameter: name}',
        { not: { type: 'object' } },
        { not: {} },
      ),
      rule(`a secret reference names exactly one of ${SECRET_SOURCES.join(', ')}`, { type: 'object' }, { oneOf: SECRET_SOURCES.map((source) => ({ required: [source] })) }),
      rule('Key applies only with FromSecretsManager', { required: ['Key'] }, { required: ['FromSecretsManager'] }),
    ],
  };
}

/** Position in `first`, or after all of them. */
function rank(first: string[], item: string): number {
  const index = first.indexOf(item);
  return index < 0 ? first.length : index;
}

function isList(service: Service, structure: Shape, member: string): boolean {
  return shapeOf(service, structure.members![member].shape).type === 'list';
}

function clearables(properties: Record<string, JsonSchema>, clears: Record<string, string>, defName: string): Record<string, JsonSchema> {
  const texts = describe(defName).properties;
  return Object.fromEntries(
    Object.entries(properties).map(([key, schema]) => {
      const note = clears[key];
      return [key, note ? clearable({ description: texts[key], ...schema }, note) : schema];
    }),
  );
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

export function renderSchema(schema: JsonSchema): string {
  return JSON.stringify(schema, null, 2) + '\n';
}

/**
 * TypeScript types for the schema, named after the $defs keys (titles and $id are for people and
 * editors). Rules (allOf) and key patterns only constrain values, so they are left out.
 */
export async function renderTypes(schema: JsonSchema): Promise<string> {
  const typeOnly = JSON.parse(JSON.stringify(schema), (key, value) =>
    key === 'allOf' || key === 'propertyNames' || (typeof value === 'string' && (key === 'title' || key === '$id')) ? undefined : value,
  );
  // UserSetting.Action stays a plain string in TypeScript, as code written against the first,
  // hand-written types expects; the schema still admits only the service's actions.
  typeOnly.$defs.Action = { type: 'string' };
  return compile(typeOnly, 'Config', {
    bannerComment: '/* Generated by `npm run schema` from schema/streamform.schema.json. Do not edit. */',
    additionalProperties: false,
    unknownAny: true,
    ignoreMinAndMaxItems: true,
    style: { singleQuote: true, printWidth: 140 },
  });
}

/**
 * The schema's validator as standalone code, so that `validate` starts without loading ajv and
 * compiling the schema on every run. Its one runtime helper, ajv's code-point length, is copied
 * in, so the file imports nothing.
 */
export function renderValidator(schema: JsonSchema): string {
  const ajv = new Ajv2020.default({ ...AJV_OPTIONS, code: { source: true, esm: true, lines: true } });
  const code = standaloneCode.default(ajv, ajv.compile(schema));
  const helper = 'require("ajv/dist/runtime/ucs2length").default';
  const rest = code.split(helper).join('ucs2length');
  if (rest.includes('require(')) throw new Error('the standalone validator needs a helper other than ucs2length');
  const ucs2length = createRequire(import.meta.url)('ajv/dist/runtime/ucs2length').default as (s: string) => number;
  return [
    '// @ts-nocheck',
    '/* Generated by `npm run schema` from schema/streamform.schema.json. Do not edit. */',
    rest.replace(/^"use strict";/, ''),
    ucs2length.toString(),
  ].join('\n') + '\n';
}

async function main(): Promise<void> {
  const schema = buildSchema();
  writeFileSync(SCHEMA_PATH, renderSchema(schema));
  writeFileSync(TYPES_PATH, await renderTypes(schema));
  writeFileSync(VALIDATOR_PATH, renderValidator(schema));
  console.log(`wrote ${SCHEMA_PATH}, ${TYPES_PATH} and ${VALIDATOR_PATH}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
