/**
 * AppStream stack themes (custom branding): CreateThemeForStack, UpdateThemeForStack,
 * DeleteThemeForStack and DescribeThemeForStack. One theme per stack, kept with the stack's record,
 * so deleting the stack deletes its theme. AWS copies the logo and the favicon from S3 and answers
 * with URLs of its copies, never the S3 locations: each upload gets a URL of its own, derived from
 * the location and the upload, so a URL changes whenever the object is uploaded again.
 */
import { createHash } from 'node:crypto';
import { asObject, checkShape, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { notFound, ServiceError } from './errors.js';
import { epochTimestamps, facts } from './shapes.js';
import type { StackRecord, Store } from './state.js';

interface S3Location {
  S3Bucket: string;
  S3Key?: string;
}

/** A Theme as DescribeThemeForStack returns it, plus the S3 locations it was made from (the state file's form). */
export interface ThemeState extends Json {
  StackName: string;
  State?: string;
  ThemeTitleText?: string;
  ThemeStyling?: string;
  ThemeFooterLinks?: { DisplayName?: string; FooterLinkURL?: string }[];
  ThemeOrganizationLogoURL?: string;
  ThemeFaviconURL?: string;
  CreatedTime?: number | string;
  OrganizationLogoS3Location?: S3Location;
  FaviconS3Location?: S3Location;
}

const themes = new WeakMap<StackRecord, ThemeState>();
/** Uploads so far, per account: part of each copy's URL. */
const uploads = new WeakMap<Store, number>();

/** The URL of a fresh copy of the object at `location`. */
function copyUrl(store: Store, stack: string, image: 'logo' | 'favicon', location: S3Location): string {
  const upload = (uploads.get(store) ?? 0) + 1;
  uploads.set(store, upload);
  const copy = createHash('sha256').update(`${location.S3Bucket}/${location.S3Key ?? ''}#${upload}`).digest('hex').slice(0, 20);
  return `https://appstream2-branding-${store.region}.s3.${store.region}.amazonaws.com/${store.account}/${stack}/${image}-${copy}`;
}

/** Seeds `appstream.themes` of a state file, once the stacks are in. */
export function seedThemes(store: Store, list: unknown): void {
  listAt(list, 'appstream.themes').forEach((raw, i) => {
    const path = `appstream.themes[${i}]`;
    const { OrganizationLogoS3Location, FaviconS3Location, ...fields } = asObject(raw, path) as ThemeState;
    checkShape('appstream', 'Theme', fields, path);
    for (const [member, location] of Object.entries({ OrganizationLogoS3Location, FaviconS3Location })) {
      if (location === undefined) throw new StateError(`${path}.${member}: is required (the URL is derived from it)`);
      checkShape('appstream', 'S3Location', location, `${path}.${member}`);
    }
    const stack = store.stacks.get(fields.StackName);
    if (!stack) throw new StateError(`${path}.StackName: no stack '${fields.StackName}' in appstream.stacks`);
    if (themes.has(stack)) throw new StateError(`${path}.StackName: stack '${fields.StackName}' has a theme already`);
    const seeded = epochTimestamps(facts.appstream, 'Theme', fields) as ThemeState;
    themes.set(stack, {
      State: 'ENABLED',
      ...seeded,
      ThemeOrganizationLogoURL: seeded.ThemeOrganizationLogoURL ?? copyUrl(store, stack.Name, 'logo', OrganizationLogoS3Location!),
      ThemeFaviconURL: seeded.ThemeFaviconURL ?? copyUrl(store, stack.Name, 'favicon', FaviconS3Location!),
      CreatedTime: (seeded.CreatedTime as number | undefined) ?? Date.now() / 1000,
      OrganizationLogoS3Location: OrganizationLogoS3Location!,
      FaviconS3Location: FaviconS3Location!,
    });
  });
}

/** The state file's section: the themes of the stacks that exist, by stack name. */
export function themesState(store: Store): ThemeState[] {
  const all = [...store.stacks.values()].flatMap((stack) => (themes.has(stack) ? [themes.get(stack)!] : []));
  return clone(all.sort((a, b) => (a.StackName < b.StackName ? -1 : 1)));
}

function stackNamed(store: Store, name: string): StackRecord {
  const stack = store.visibleStack(name);
  if (!stack) throw notFound('Stack', name);
  return stack;
}

const noTheme = (name: string) => new ServiceError('ResourceNotFoundException', `The theme for stack ${name} does not exist.`);

function themeOf(store: Store, name: string): ThemeState {
  const theme = themes.get(stackNamed(store, name));
  if (!theme) throw noTheme(name);
  return theme;
}

/** What Describe shows: never the S3 locations. */
const described = ({ OrganizationLogoS3Location: _, FaviconS3Location: __, ...theme }: ThemeState): Json => ({ Theme: clone(theme) });

function createThemeForStack(input: Json, { store }: Context): Json {
  const stack = stackNamed(store, input.StackName as string);
  if (themes.has(stack)) throw new ServiceError('ResourceAlreadyExistsException', `The stack ${stack.Name} already has a theme.`);
  const logo = input.OrganizationLogoS3Location as S3Location;
  const favicon = input.FaviconS3Location as S3Location;
  const links = input.FooterLinks as ThemeState['ThemeFooterLinks'];
  const theme: ThemeState = {
    StackName: stack.Name,
    State: 'ENABLED',
    ThemeTitleText: input.TitleText as string,
    ThemeStyling: input.ThemeStyling as string,
    ...(links?.length ? { ThemeFooterLinks: clone(links) } : {}),
    ThemeOrganizationLogoURL: copyUrl(store, stack.Name, 'logo', logo),
    ThemeFaviconURL: copyUrl(store, stack.Name, 'favicon', favicon),
    CreatedTime: Date.now() / 1000,
    OrganizationLogoS3Location: clone(logo),
    FaviconS3Location: clone(favicon),
  };
  themes.set(stack, theme);
  return described(theme);
}

/** Partial: members left out stay; footer links go only through AttributesToDelete; a location given is uploaded again. */
function updateThemeForStack(input: Json, { store }: Context): Json {
  const theme = themeOf(store, input.StackName as string);
  const clears = (input.AttributesToDelete ?? []) as string[];
  const links = input.FooterLinks as ThemeState['ThemeFooterLinks'];
  if (clears.includes('FOOTER_LINKS') && links?.length) {
    throw new ServiceError('InvalidParameterCombinationException', "FOOTER_LINKS can't be both set and deleted in the same request.");
  }
  if (clears.includes('FOOTER_LINKS')) delete theme.ThemeFooterLinks;
  if (links?.length) theme.ThemeFooterLinks = clone(links);
  if (input.TitleText !== undefined) theme.ThemeTitleText = input.TitleText as string;
  if (input.ThemeStyling !== undefined) theme.ThemeStyling = input.ThemeStyling as string;
  if (input.State !== undefined) theme.State = input.State as string;
  const logo = input.OrganizationLogoS3Location as S3Location | undefined;
  const favicon = input.FaviconS3Location as S3Location | undefined;
  if (logo) Object.assign(theme, { OrganizationLogoS3Location: clone(logo), ThemeOrganizationLogoURL: copyUrl(store, theme.StackName, 'logo', logo) });
  if (favicon) Object.assign(theme, { FaviconS3Location: clone(favicon), ThemeFaviconURL: copyUrl(store, theme.StackName, 'favicon', favicon) });
  return described(theme);
}

function deleteThemeForStack(input: Json, { store }: Context): Json {
  const name = input.StackName as string;
  if (!themes.delete(stackNamed(store, name))) throw noTheme(name);
  return {};
}

function describeThemeForStack(input: Json, { store }: Context): Json {
  return described(themeOf(store, input.StackName as string));
}

export const themeHandlers: Record<string, Handler> = {
  CreateThemeForStack: createThemeForStack,
  UpdateThemeForStack: updateThemeForStack,
  DeleteThemeForStack: deleteThemeForStack,
  DescribeThemeForStack: describeThemeForStack,
};
