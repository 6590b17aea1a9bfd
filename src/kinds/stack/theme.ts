/**
 * A stack's theme (custom branding): its normal form, what the stack's record keeps of it, and the
 * calls that make it match. DescribeThemeForStack answers with URLs of AWS's copies of the logo and
 * the favicon, never their S3 locations, so those are compared with what the record says the last
 * apply uploaded: a changed location or ETag uploads again; a URL that changed by hand is not seen.
 */
import type { Theme } from '@aws-sdk/client-appstream';
import type { ThemeConfig, ThemeS3Location } from '../../config/types.js';
import { digest } from '../../core/digest.js';
import { MAX_TAG_VALUE, RECORD_TAG, recordTags, type AppliedRecord } from '../../core/ownership.js';
import { clean, sameValue } from '../../normalize/values.js';
import { appstreamCall, attributeDelta, type CallSpec, type DiffSpec } from '../resource.js';
import type { AttributeTable } from '../types.js';

/** The members Describe reports back, compared with the declaration. */
const COMPARED = ['TitleText', 'ThemeStyling', 'FooterLinks', 'State'] as const;
type Compared = (typeof COMPARED)[number];

/** What a new theme has, and what a State no longer declared returns to. */
const DEFAULT_STATE = 'ENABLED';

const TABLE: AttributeTable = {
  TitleText: { compare: 'scalar', clear: 'none', impact: 'update' },
  ThemeStyling: { compare: 'scalar', clear: 'none', impact: 'update' },
  // Footer links show in their order: a list, not a set.
  FooterLinks: { compare: 'scalar', clear: { attribute: 'FOOTER_LINKS' }, impact: 'update' },
  State: { compare: 'scalar', clear: { value: DEFAULT_STATE }, impact: 'update' },
};

/** The two images, by their request member, with the letter their record entry starts with. */
const IMAGES = { OrganizationLogoS3Location: 'L', FaviconS3Location: 'F' } as const;
type Image = keyof typeof IMAGES;

export interface NormalTheme {
  TitleText?: string;
  ThemeStyling?: string;
  FooterLinks?: { DisplayName?: string; FooterLinkURL?: string }[];
  State?: string;
  OrganizationLogoS3Location?: ThemeS3Location;
  FaviconS3Location?: ThemeS3Location;
}

/** S3 shows an ETag in quotes, in either case of hex digits. */
const normalLocation = ({ S3Bucket, S3Key, ETag }: ThemeS3Location): ThemeS3Location => (ETag ? { S3Bucket, S3Key, ETag: ETag.replace(/"/g, '').toLowerCase() } : { S3Bucket, S3Key });

/** A declared theme in normal form (null: no theme). */
export function normalTheme(theme: ThemeConfig | null): NormalTheme | null {
  if (!theme) return null;
  const { OrganizationLogoS3Location, FaviconS3Location, ...compared } = theme;
  return { ...(clean(compared) as NormalTheme), OrganizationLogoS3Location: normalLocation(OrganizationLogoS3Location), FaviconS3Location: normalLocation(FaviconS3Location) };
}

/** The theme as Describe reports it, in the declaration's terms (the images only as URLs, apart). */
export function liveTheme(theme: Theme): Partial<Record<Compared, unknown>> {
  return clean({ TitleText: theme.ThemeTitleText, ThemeStyling: theme.ThemeStyling, FooterLinks: theme.ThemeFooterLinks, State: theme.State ?? DEFAULT_STATE }) as Partial<Record<Compared, unknown>>;
}

/*
 * Record entries (in the stack record's list of managed attributes): "TitleText", "FooterLinks" and
 * "State" when declared, and one entry per image, its letter, the ETag, then the location,
 *   L<etag>:<bucket>/<key>     F<etag>:<bucket>/<key> (no bucket: the logo's)
 * or, when the record would not fit its one tag value, a digest of the location: L~<digest>.
 * No bucket holds ':' or '/', no ETag ':' or '~', and no name of the service a ':' or '~'.
 */
const ENTRY = /^([LF])([0-9a-f-]*)(?::([^/]*)\/(.*)|~([0-9a-f]+))$/s;

const locationDigest = (location: ThemeS3Location) => digest(location, 8);

function imageEntries(theme: NormalTheme, compact: boolean): string[] {
  const logo = theme.OrganizationLogoS3Location!;
  return (Object.keys(IMAGES) as Image[]).map((image) => {
    const location = theme[image]!;
    if (compact) return `${IMAGES[image]}~${locationDigest(location)}`;
    const bucket = image === 'FaviconS3Location' && location.S3Bucket === logo.S3Bucket ? '' : location.S3Bucket;
    return `${IMAGES[image]}${location.ETag ?? ''}:${bucket}/${location.S3Key}`;
  });
}

/**
 * The record with the declared theme's entries added: its images by location when the record still
 * fits one tag value, else by digest (import then cannot tell the locations).
 */
export function withTheme(record: AppliedRecord, theme: NormalTheme | null | undefined): AppliedRecord {
  if (!theme) return record;
  // TitleText, always declared, says that the theme is managed.
  const managed = (['TitleText', 'FooterLinks', 'State'] as const).filter((member) => theme[member] !== undefined);
  const entries = (compact: boolean) => ({ ...record, a: [...(record.a ?? []), ...managed, ...imageEntries(theme, compact)] });
  const full = entries(false);
  return recordTags(full)[RECORD_TAG].length <= MAX_TAG_VALUE ? full : entries(true);
}

/** What the record says each image was uploaded from: a location, or only its digest. */
export function recordedImages(record: AppliedRecord | undefined): Partial<Record<Image, ThemeS3Location | { digest: string }>> {
  const found: Partial<Record<'L' | 'F', RegExpMatchArray>> = {};
  for (const entry of record?.a ?? []) {
    const match = ENTRY.exec(entry);
    if (match) found[match[1] as 'L' | 'F'] = match;
  }
  const read = (match: RegExpMatchArray | undefined, bucketIfNone?: string): ThemeS3Location | { digest: string } | undefined => {
    if (!match) return undefined;
    const [, , etag, bucket, key, hashed] = match;
    if (hashed) return { digest: hashed };
    return { S3Bucket: bucket || bucketIfNone!, S3Key: key, ...(etag ? { ETag: etag } : {}) };
  };
  const logo = read(found.L);
  const favicon = read(found.F, logo && 'S3Bucket' in logo ? logo.S3Bucket : undefined);
  return (clean({ OrganizationLogoS3Location: logo, FaviconS3Location: favicon }) ?? {}) as Partial<Record<Image, ThemeS3Location | { digest: string }>>;
}

const s3 = ({ S3Bucket, S3Key }: ThemeS3Location) => ({ S3Bucket, S3Key });

/**
 * The theme's diffs and calls: CreateThemeForStack (then State, which only an update takes), one
 * UpdateThemeForStack with what changed, or DeleteThemeForStack for `Theme: null`. `live` is null
 * when the stack has no theme (or does not exist yet). Nothing when the config does not declare it.
 */
export function planTheme(
  stack: string,
  theme: NormalTheme | null | undefined,
  declared: ReadonlySet<string>,
  live: Theme | null | undefined,
  previous: AppliedRecord | undefined,
): { diffs: DiffSpec[]; calls: CallSpec[] } {
  if (theme === undefined) return { diffs: [], calls: [] };
  if (theme === null) {
    return live ? { diffs: [{ path: 'Theme', before: liveTheme(live), after: null }], calls: [appstreamCall('DeleteThemeForStack', { StackName: stack })] } : { diffs: [], calls: [] };
  }
  if (!live) {
    const { State, OrganizationLogoS3Location, FaviconS3Location, ...members } = theme;
    const calls = [appstreamCall('CreateThemeForStack', { StackName: stack, ...members, OrganizationLogoS3Location: s3(OrganizationLogoS3Location!), FaviconS3Location: s3(FaviconS3Location!) })];
    if (State && State !== DEFAULT_STATE) calls.push(appstreamCall('UpdateThemeForStack', { StackName: stack, State }));
    return { diffs: [{ path: 'Theme', after: theme }], calls };
  }
  const delta = attributeDelta<Compared>({
    names: COMPARED,
    table: TABLE,
    want: theme,
    have: liveTheme(live),
    declared,
    recorded: previous?.a,
    absent: (member) => (member === 'State' ? DEFAULT_STATE : undefined),
  });
  const diffs = delta.diffs.map((diff) => ({ ...diff, path: `Theme.${diff.path}` }));
  const input: Record<string, unknown> = { ...delta.set };
  const recorded = recordedImages(previous);
  for (const image of Object.keys(IMAGES) as Image[]) {
    const wanted = theme[image]!;
    const before = recorded[image];
    const same = before && ('digest' in before ? before.digest === locationDigest(wanted) : locationDigest(before) === locationDigest(wanted));
    if (same) continue;
    // Without a record of it, nothing tells which image the theme shows: the declared one is uploaded.
    diffs.push({ path: `Theme.${image}`, ...(before && !('digest' in before) ? { before } : {}), after: wanted });
    input[image] = s3(wanted);
  }
  if (!Object.keys(input).length && !delta.clear.length) return { diffs, calls: [] };
  const clears = delta.clear.map((member) => (TABLE[member].clear as { attribute: string }).attribute);
  return { diffs, calls: [appstreamCall('UpdateThemeForStack', { StackName: stack, ...input, ...(clears.length ? { AttributesToDelete: clears } : {}) })] };
}

/** The location import declares for an image whose location the record does not hold. */
export const PLACEHOLDER: Record<Image, ThemeS3Location> = {
  OrganizationLogoS3Location: { S3Bucket: 'replace-with-the-logo-bucket', S3Key: 'replace/with/the/logo-key' },
  FaviconS3Location: { S3Bucket: 'replace-with-the-favicon-bucket', S3Key: 'replace/with/the/favicon-key' },
};

/** Whether an imported theme declares a placeholder for an image whose location the record does not hold. */
export const hasPlaceholder = (theme: ThemeConfig) => (Object.keys(IMAGES) as Image[]).some((image) => sameValue(theme[image], PLACEHOLDER[image]));

/**
 * The declaration of a live theme: the members `managed` selects (the record's, or those that
 * differ from the defaults), the images from the record where it holds their locations, else
 * placeholders. Undefined when the selection does not manage the theme.
 */
export function importedTheme(live: Theme, record: AppliedRecord | undefined, managed: (member: 'TitleText' | 'FooterLinks' | 'State', value: unknown, fallback?: unknown) => boolean): ThemeConfig | undefined {
  const members = liveTheme(live);
  if (!managed('TitleText', members.TitleText)) return undefined;
  const recorded = recordedImages(record);
  const image = (name: Image) => {
    const location = recorded[name];
    return location && !('digest' in location) ? location : { ...PLACEHOLDER[name] };
  };
  return {
    TitleText: members.TitleText,
    ThemeStyling: members.ThemeStyling,
    OrganizationLogoS3Location: image('OrganizationLogoS3Location'),
    FaviconS3Location: image('FaviconS3Location'),
    ...(members.FooterLinks !== undefined && managed('FooterLinks', members.FooterLinks) ? { FooterLinks: members.FooterLinks } : {}),
    ...(managed('State', members.State, DEFAULT_STATE) ? { State: members.State } : {}),
  } as ThemeConfig;
}
