/**
 * AppStream applications (the Elastic-fleet catalogue): CreateApplication, UpdateApplication,
 * DeleteApplication and DescribeApplications, and their fleet associations
 * (AssociateApplicationFleet, DisassociateApplicationFleet, DescribeApplicationFleetAssociations).
 * An application names its app block by ARN, which keeps the block from being deleted.
 *
 * Other modules reach applications through `store.applications`: `named(name)`, `withArn(arn)` and
 * `list()`. A module whose resources use an application (entitlements) registers a blocker in
 * `store.applications.blockers`: DeleteApplication refuses with ResourceInUseException while any
 * gives a reason, as it does while a fleet is associated.
 */
import { Catalogue } from './app-blocks.js';
import { asObject, checkKeys, checkShape, checkTags, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { notFound, ServiceError } from './errors.js';
import { fleetNamed, type FleetRecord } from './fleets.js';
import { paginate } from './paging.js';
import { epochTimestamps, facts } from './shapes.js';
import type { Store, Tags } from './state.js';

/** An Application as DescribeApplications returns it, plus its tags (the state file's form). */
export interface ApplicationState extends Json {
  Name: string;
  AppBlockArn: string;
  Tags?: Tags;
}

export interface ApplicationRecord extends ApplicationState {
  Arn: string;
  Platforms: string[];
  InstanceFamilies: string[];
  Tags: Tags;
}

export interface ApplicationFleetAssociation {
  FleetName: string;
  ApplicationArn: string;
}

/** The account's applications, and which Elastic fleets offer them. */
export class Applications extends Catalogue<ApplicationRecord> {
  /** Each association with the fleet it was made with. */
  private associationList: { association: ApplicationFleetAssociation; fleet: FleetRecord }[] = [];

  constructor() {
    super('Application');
  }

  /**
   * The associations whose fleet still exists: a fleet deleted since takes its associations with it,
   * and one created again under its name (of another FleetType, say) offers none of them.
   */
  associations(store: Store): ApplicationFleetAssociation[] {
    this.associationList = this.associationList.filter((a) => store.fleet(a.association.FleetName) === a.fleet);
    return this.associationList.map((a) => a.association);
  }

  associate(association: ApplicationFleetAssociation, fleet: FleetRecord): void {
    this.associationList.push({ association, fleet });
  }

  disassociate(store: Store, { FleetName, ApplicationArn }: ApplicationFleetAssociation): void {
    this.associations(store);
    this.associationList = this.associationList.filter(({ association: a }) => a.FleetName !== FleetName || a.ApplicationArn !== ApplicationArn);
  }
}

/** CreateApplication's documentation: the platforms Elastic fleets run and the instance families there are. */
const PLATFORMS = ['WINDOWS_SERVER_2019', 'AMAZON_LINUX2', 'UBUNTU_PRO_2404'];
const INSTANCE_FAMILIES: Record<string, string> = { GENERAL_PURPOSE: 'stream.standard.', GRAPHICS_G4: 'stream.graphics.g4dn.' };

/** UpdateApplication's AttributesToDelete → the member each clears. */
const CLEARS: Record<string, string> = { LAUNCH_PARAMETERS: 'LaunchParameters', WORKING_DIRECTORY: 'WorkingDirectory' };

const invalidCombination = (message: string) => new ServiceError('InvalidParameterCombinationException', message);
const isSet = (value: unknown) => value !== undefined && value !== null;

/** The icon's URL; AWS serves a time-limited one, which the emulator's never expires. */
function iconUrl(store: Store, icon: Json | undefined): string | undefined {
  return icon ? `https://${icon.S3Bucket as string}.s3.${store.region}.amazonaws.com/${(icon.S3Key as string | undefined) ?? ''}` : undefined;
}

/**
 * Reads the state file's `appstream.applications` (what CreateApplication requires, the rest as
 * DescribeApplications returns it) and `appstream.applicationFleetAssociations`, whose fleets and
 * applications must be in the file.
 */
export function seedApplications(store: Store, section: { applications?: unknown; applicationFleetAssociations?: unknown }): Applications {
  const applications = new Applications();
  listAt(section.applications, 'appstream.applications').forEach((raw, i) => {
    const path = `appstream.applications[${i}]`;
    const { Tags, ...fields } = asObject(raw, path) as ApplicationState;
    const described: Json = {
      Arn: store.arn('appstream', `application/${fields.Name}`),
      Enabled: true,
      CreatedTime: Date.now() / 1000,
      IconURL: iconUrl(store, fields.IconS3Location as Json | undefined),
      ...fields,
    };
    checkShape('appstream', 'Application', described, path);
    for (const member of ['Name', 'AppBlockArn', 'IconS3Location', 'LaunchPath', 'Platforms', 'InstanceFamilies']) {
      if (described[member] === undefined) throw new StateError(`${path}.${member}: is required`);
    }
    if (!store.appBlocks.withArn(fields.AppBlockArn)) throw new StateError(`${path}.AppBlockArn: no app block with ARN '${fields.AppBlockArn}' in appstream.appBlocks`);
    checkTags(Tags, path);
    if (applications.byName.has(fields.Name)) throw new StateError(`${path}.Name: application '${fields.Name}' appears twice`);
    applications.byName.set(fields.Name, { ...(epochTimestamps(facts.appstream, 'Application', described) as ApplicationRecord), Tags: { ...(Tags ?? {}) } });
  });
  listAt(section.applicationFleetAssociations, 'appstream.applicationFleetAssociations').forEach((raw, i) => {
    const path = `appstream.applicationFleetAssociations[${i}]`;
    const association = asObject(raw, path) as unknown as ApplicationFleetAssociation;
    checkKeys(association, ['FleetName', 'ApplicationArn'], `${path}.`);
    checkShape('appstream', 'ApplicationFleetAssociation', association, path);
    const fleet = store.fleets.get(association.FleetName);
    if (!fleet) throw new StateError(`${path}.FleetName: no fleet named '${association.FleetName}' in appstream.fleets`);
    if (!applications.withArn(association.ApplicationArn)) throw new StateError(`${path}.ApplicationArn: no application with ARN '${association.ApplicationArn}' in appstream.applications`);
    applications.associate(clone(association), fleet);
  });
  // An application keeps its app block from being deleted.
  store.appBlocks.blockers.push((arn) => {
    const users = applications.list().filter((a) => a.AppBlockArn === arn).map((a) => a.Name);
    return users.length ? `is used by the application(s) ${users.join(', ')}` : undefined;
  });
  applications.blockers.push((arn) => {
    const fleets = applications.associations(store).filter((a) => a.ApplicationArn === arn).map((a) => a.FleetName);
    return fleets.length ? `is associated with the fleet(s) ${fleets.join(', ')}; disassociate them first` : undefined;
  });
  return applications;
}

export const describeApplication = ({ Tags: _, ...application }: ApplicationRecord): Json => clone(application);

function checkCatalogue(input: Json): void {
  const platforms = (input.Platforms ?? []) as string[];
  const families = (input.InstanceFamilies ?? []) as string[];
  const platform = platforms.find((p) => !PLATFORMS.includes(p));
  if (platform) throw invalidCombination(`The platform ${platform} is not supported for applications: use ${PLATFORMS.join(', ')}.`);
  if (!platforms.length) throw invalidCombination('Platforms must name at least one platform.');
  const family = families.find((f) => !Object.hasOwn(INSTANCE_FAMILIES, f));
  if (family) throw invalidCombination(`The instance family ${family} is not valid: use ${Object.keys(INSTANCE_FAMILIES).join(' or ')}.`);
  if (!families.length) throw invalidCombination('InstanceFamilies must name at least one instance family.');
}

function dropEmptyText(application: Json): void {
  for (const member of ['Description', 'DisplayName']) if (application[member] === '') delete application[member];
}

function applicationNamed(store: Store, name: string): ApplicationRecord {
  const application = store.applications.named(name);
  if (!application) throw notFound('Application', name);
  return application;
}

function createApplication(input: Json, { store }: Context): Json {
  checkCatalogue(input);
  const { Tags, ...fields } = input;
  const name = input.Name as string;
  if (store.applications.byName.has(name)) throw new ServiceError('ResourceAlreadyExistsException', `An application with the name ${name} already exists.`);
  store.appBlocks.found(input.AppBlockArn as string);
  const application = {
    Arn: store.arn('appstream', `application/${name}`),
    Enabled: true,
    CreatedTime: Date.now() / 1000,
    ...clone(fields),
    IconURL: iconUrl(store, fields.IconS3Location as Json),
    Tags: { ...((Tags as Tags | undefined) ?? {}) },
  } as unknown as ApplicationRecord;
  dropEmptyText(application);
  store.applications.byName.set(name, application);
  return { Application: describeApplication(application) };
}

/** Partial: members left out stay; LaunchParameters and WorkingDirectory are cleared only through AttributesToDelete. */
function updateApplication(input: Json, { store }: Context): Json {
  const application = applicationNamed(store, input.Name as string);
  const { Name: _, AttributesToDelete, ...changes } = input;
  for (const attribute of (AttributesToDelete ?? []) as string[]) {
    if (isSet(input[CLEARS[attribute]])) throw invalidCombination(`${attribute} can't be both set and deleted in the same request.`);
  }
  if (isSet(input.AppBlockArn)) store.appBlocks.found(input.AppBlockArn as string);
  for (const attribute of (AttributesToDelete ?? []) as string[]) delete application[CLEARS[attribute]];
  for (const [member, value] of Object.entries(changes)) if (isSet(value)) application[member] = clone(value);
  if (isSet(input.IconS3Location)) application.IconURL = iconUrl(store, input.IconS3Location as Json);
  dropEmptyText(application);
  return { Application: describeApplication(application) };
}

function deleteApplication(input: Json, { store }: Context): Json {
  const application = applicationNamed(store, input.Name as string);
  store.applications.checkDeletable(application);
  store.applications.byName.delete(application.Name);
  return {};
}

function describeApplications(input: Json, { store, pageSize }: Context): Json {
  const page = store.applications.describe(input, pageSize, describeApplication);
  return { Applications: page.items, ...(page.next ? { NextToken: page.next } : {}) };
}

/** The instance family of an instance type (stream.standard.medium → GENERAL_PURPOSE), if applications know it. */
function familyOf(instanceType: string): string | undefined {
  return Object.keys(INSTANCE_FAMILIES).find((family) => instanceType.startsWith(INSTANCE_FAMILIES[family]));
}

/** "Only supported for Elastic fleets"; the fleet's platform and instance family must be among the application's. */
function checkCompatible(fleet: FleetRecord, application: ApplicationRecord): void {
  if (fleet.FleetType !== 'ELASTIC') {
    throw new ServiceError('OperationNotPermittedException', `The fleet ${fleet.Name} is ${fleet.FleetType}: applications can be associated only with Elastic fleets.`);
  }
  if (!application.Platforms.includes(fleet.Platform as string)) {
    throw invalidCombination(`The application ${application.Name} supports ${application.Platforms.join(', ')}, not the platform ${String(fleet.Platform)} of the fleet ${fleet.Name}.`);
  }
  const family = familyOf(fleet.InstanceType as string);
  if (!family || !application.InstanceFamilies.includes(family)) {
    throw invalidCombination(`The application ${application.Name} supports the instance families ${application.InstanceFamilies.join(', ')}, not the instance type ${fleet.InstanceType as string} of the fleet ${fleet.Name}.`);
  }
}

/** Associating twice changes nothing and succeeds, as AssociateFleet does. */
function associateApplicationFleet(input: Json, { store }: Context): Json {
  const fleet = fleetNamed(store, input.FleetName as string);
  const application = store.applications.found(input.ApplicationArn as string);
  checkCompatible(fleet, application);
  const association = { FleetName: fleet.Name, ApplicationArn: application.Arn };
  if (!store.applications.associations(store).some((a) => a.FleetName === fleet.Name && a.ApplicationArn === application.Arn)) store.applications.associate(association, fleet);
  return { ApplicationFleetAssociation: association };
}

/** The model declares no ResourceNotFoundException: disassociating what is not associated succeeds. */
function disassociateApplicationFleet(input: Json, { store }: Context): Json {
  store.applications.disassociate(store, { FleetName: input.FleetName as string, ApplicationArn: input.ApplicationArn as string });
  return {};
}

/** Either member (or both) selects; the model declares no ResourceNotFoundException, so an unknown one lists nothing. */
function describeApplicationFleetAssociations(input: Json, { store, pageSize }: Context): Json {
  if (!isSet(input.FleetName) && !isSet(input.ApplicationArn)) throw invalidCombination('Either ApplicationArn or FleetName must be specified.');
  const matching = store.applications
    .associations(store)
    .filter((a) => (!isSet(input.FleetName) || a.FleetName === input.FleetName) && (!isSet(input.ApplicationArn) || a.ApplicationArn === input.ApplicationArn));
  const page = paginate(matching, (a) => `${a.FleetName} ${a.ApplicationArn}`, input.NextToken as string | undefined, pageSize(25, input.MaxResults as number | undefined), 'ValidationException');
  return { ApplicationFleetAssociations: clone(page.items), ...(page.next ? { NextToken: page.next } : {}) };
}

export const applicationHandlers: Record<string, Handler> = {
  CreateApplication: createApplication,
  UpdateApplication: updateApplication,
  DeleteApplication: deleteApplication,
  DescribeApplications: describeApplications,
  AssociateApplicationFleet: associateApplicationFleet,
  DisassociateApplicationFleet: disassociateApplicationFleet,
  DescribeApplicationFleetAssociations: describeApplicationFleetAssociations,
};
