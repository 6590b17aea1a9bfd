/**
 * Application plans from in-memory live states: the calls and their order, what replaces, what
 * clears, the fleet associations as a set, and the errors found before any call.
 */
import type { Application, Fleet } from '@aws-sdk/client-appstream';
import { describe, expect, test } from 'vitest';
import type { ApplicationConfig, FleetConfig } from '../../src/config/types.js';
import type { LiveState } from '../../src/core/live.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { Plan } from '../../src/core/plan.js';
import type { LiveApplication } from '../../src/kinds/application/live.js';
import { callList, config, PROJECT } from '../plan/helpers.js';
import { arn, emptyLive, planOf, toolTagsFor } from '../plan/live.js';
import { WORD } from './application-fixtures.js';

const OFFICE = arn('app-block', 'office');
const ELASTIC: FleetConfig = {
  Name: 'el',
  FleetType: 'ELASTIC',
  InstanceType: 'stream.standard.medium',
  Platform: 'WINDOWS_SERVER_2019',
  MaxConcurrentSessions: 5,
  VpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'] },
};

/** An application as DescribeApplications shows it, made from a declaration. */
function liveApplication(declared: ApplicationConfig, tags: Record<string, string>, fleets: string[], fields: Partial<Application> = {}): LiveApplication {
  const { AppBlock: _, Fleets: __, Tags: ___, ...members } = declared;
  return {
    application: { ...(members as Application), Arn: arn('application', declared.Name), AppBlockArn: OFFICE, Enabled: true, ...fields },
    tags: { ...(declared.Tags ?? {}), ...tags },
    tagSource: 'resource',
    fleets,
  };
}

/** The account: the app block office, and these applications. */
function account(...applications: LiveApplication[]): LiveState {
  const live = emptyLive();
  live.applicationReads = { appBlocks: { office: OFFICE } };
  for (const application of applications) live.applications[application.application.Name!] = application;
  return live;
}

/** The account after this project applied `declared` (its record on the application), with these fleets associated. */
function applied(declared: ApplicationConfig, fleets = declared.Fleets ?? [], fields: Partial<Application> = {}): LiveState {
  const cfg = config({ applications: [declared], fleets: [ELASTIC] });
  return account(liveApplication(declared, toolTagsFor(cfg, 'application/word', account()), fleets ?? [], fields));
}

const errors = (plan: Plan) => plan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
/** The calls of application/word alone (declared fleets are created too). */
const wordCalls = (plan: Plan) => callList(plan).filter((call) => call.endsWith(' application/word'));
const inputOf = (plan: Plan, operation: string) => plan.calls.find((c) => c.operation === operation)?.input;

describe('creating', () => {
  test('CreateApplication with the app block ARN found by name, then one association per fleet naming the new ARN by reference', () => {
    const plan = planOf(config({ applications: [{ ...WORD, Fleets: ['el'], Tags: { team: 'office' } }], fleets: [ELASTIC] }), account());
    expect(callList(plan)).toEqual(['CreateFleet fleet/el', 'StartFleet fleet/el', 'CreateApplication application/word', 'AssociateApplicationFleet application/word']);
    expect(inputOf(plan, 'CreateApplication')).toMatchObject({ Name: 'word', AppBlockArn: OFFICE, Platforms: ['WINDOWS_SERVER_2019'], Tags: { team: 'office', [OWNER_TAG]: PROJECT } });
    expect(inputOf(plan, 'AssociateApplicationFleet')).toEqual({ FleetName: 'el', ApplicationArn: { $arnOf: 'application/word' } });
    const [application] = plan.changes.filter((c) => c.address === 'application/word');
    expect(application.dependsOn).toEqual(['fleet/el']);
    expect(application.diffs.find((d) => d.path === 'AppBlock')).toMatchObject({ after: 'office' });
  });

  test('an app block the config declares but the account lacks is named by reference, and the application depends on it', () => {
    const cfg = config({ applications: [{ ...WORD, AppBlock: 'new-block' }], appBlocks: [{ Name: 'new-block', SourceS3Location: { S3Bucket: 'blocks', S3Key: 'new.vhdx' } }] });
    const plan = planOf(cfg, account());
    expect(inputOf(plan, 'CreateApplication')!.AppBlockArn).toEqual({ $arnOf: 'appBlock/new-block' });
    expect(callList(plan)).toEqual(['CreateAppBlock appBlock/new-block', 'CreateApplication application/word']);
    expect(plan.changes.find((c) => c.address === 'application/word')!.dependsOn).toEqual(['appBlock/new-block']);
  });

  test('AppBlockArn is sent as declared', () => {
    const plan = planOf(config({ applications: [{ ...WORD, AppBlock: undefined, AppBlockArn: OFFICE }] }), account());
    expect(inputOf(plan, 'CreateApplication')!.AppBlockArn).toBe(OFFICE);
  });
});

describe('errors before any call', () => {
  test('an app block that neither exists nor is declared', () => {
    const plan = planOf(config({ applications: [{ ...WORD, AppBlock: 'gone' }] }), account());
    expect(plan.calls).toEqual([]);
    expect(errors(plan)).toEqual(['app block gone does not exist and is not declared']);
  });

  test('a declared fleet that is not Elastic, and an Elastic one of another platform', () => {
    const onDemand: FleetConfig = { Name: 'od', InstanceType: 'stream.standard.medium', ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 } };
    const linux: FleetConfig = { ...ELASTIC, Name: 'lx', Platform: 'AMAZON_LINUX2' };
    const plan = planOf(config({ applications: [{ ...WORD, Fleets: ['od', 'lx'] }], fleets: [onDemand, linux] }), account());
    expect(plan.calls.filter((c) => c.address === 'application/word')).toEqual([]);
    expect(errors(plan)).toEqual([
      'fleet od is an ON_DEMAND fleet; applications can be associated only with Elastic fleets',
      "fleet lx runs AMAZON_LINUX2, which is not among the application's Platforms (WINDOWS_SERVER_2019)",
    ]);
  });

  test('an undeclared fleet that does not exist or is not Elastic, as the account\'s fleets were found', () => {
    const live = account();
    live.applicationReads!.fleets = { always: { FleetType: 'ALWAYS_ON' }, kiosk: { FleetType: 'ELASTIC', Platform: 'WINDOWS_SERVER_2019' } };
    live.applicationReads!.lookedUp = ['always', 'nowhere', 'kiosk'];
    const plan = planOf(config({ applications: [{ ...WORD, Fleets: ['always', 'nowhere', 'kiosk'] }] }), live);
    expect(errors(plan)).toEqual(['fleet always is an ALWAYS_ON fleet; applications can be associated only with Elastic fleets', 'fleet nowhere does not exist and is not declared']);
  });

  test('an application another project owns is left alone', () => {
    const plan = planOf(config({ applications: [{ ...WORD, DisplayName: 'Word' }] }), account(liveApplication(WORD, { [OWNER_TAG]: 'other' }, [])));
    expect(plan.calls).toEqual([]);
    expect(errors(plan)[0]).toMatch(/owned by project "other"/);
  });
});

describe('updating', () => {
  test('only the changed members go into one UpdateApplication; the record is written last', () => {
    const plan = planOf(config({ applications: [{ ...WORD, DisplayName: 'Word 2026', LaunchPath: 'D:\\word.exe' }] }), applied({ ...WORD, DisplayName: 'Word' }));
    expect(callList(plan)).toEqual(['UpdateApplication application/word', 'TagResource application/word']);
    expect(inputOf(plan, 'UpdateApplication')).toEqual({ Name: 'word', DisplayName: 'Word 2026', LaunchPath: 'D:\\word.exe' });
    expect(plan.changes[0].diffs.map((d) => `${d.path}:${d.impact}`)).toEqual(['DisplayName:update', 'LaunchPath:update']);
  });

  test('null clears: WorkingDirectory and LaunchParameters through AttributesToDelete, DisplayName and Description with ""', () => {
    const before = { ...WORD, DisplayName: 'Word', Description: 'Editor', WorkingDirectory: 'C:\\docs', LaunchParameters: '/safe' };
    const plan = planOf(config({ applications: [{ ...WORD, DisplayName: null, Description: null, WorkingDirectory: null, LaunchParameters: null }] }), applied(before));
    expect(inputOf(plan, 'UpdateApplication')).toEqual({ Name: 'word', DisplayName: '', Description: '', AttributesToDelete: ['WORKING_DIRECTORY', 'LAUNCH_PARAMETERS'] });
  });

  test('a managed value removed from the config is cleared too (three-way), one never managed is left alone', () => {
    const live = applied({ ...WORD, LaunchParameters: '/safe' }, [], { WorkingDirectory: 'C:\\set-elsewhere' });
    const plan = planOf(config({ applications: [WORD] }), live);
    expect(inputOf(plan, 'UpdateApplication')).toEqual({ Name: 'word', AttributesToDelete: ['LAUNCH_PARAMETERS'] });
  });

  test('a new app block by name updates AppBlockArn in place, shown by name', () => {
    const live = applied(WORD);
    live.applicationReads!.appBlocks!.excel = arn('app-block', 'excel');
    const plan = planOf(config({ applications: [{ ...WORD, AppBlock: 'excel' }] }), live);
    expect(inputOf(plan, 'UpdateApplication')).toEqual({ Name: 'word', AppBlockArn: arn('app-block', 'excel') });
    expect(plan.changes[0].diffs[0]).toMatchObject({ path: 'AppBlock', before: 'office', after: 'excel', impact: 'update' });
  });
});

describe('fleet associations', () => {
  test('compared as a set: the missing one is associated, the one no longer declared disassociated', () => {
    const second: FleetConfig = { ...ELASTIC, Name: 'el2' };
    const live = applied({ ...WORD, Fleets: ['el'] });
    const plan = planOf(config({ applications: [{ ...WORD, Fleets: ['el2'] }], fleets: [ELASTIC, second] }), live);
    const word = plan.calls.filter((c) => c.address === 'application/word');
    expect(word.map((c) => `${c.operation} ${String(c.input.FleetName ?? '')}`)).toEqual(['DisassociateApplicationFleet el', 'AssociateApplicationFleet el2', 'TagResource ']);
    expect(word[0].input.ApplicationArn).toBe(arn('application', 'word'));
  });

  test('an association added by hand to an owned application is removed, and is drift', () => {
    const declared = { ...WORD, Fleets: ['el'] };
    const plan = planOf(config({ applications: [declared], fleets: [ELASTIC] }), applied(declared, ['el', 'by-hand']));
    expect(wordCalls(plan)).toEqual(['DisassociateApplicationFleet application/word']);
    expect(inputOf(plan, 'DisassociateApplicationFleet')!.FleetName).toBe('by-hand');
    expect(plan.changes.find((c) => c.address === 'application/word')).toMatchObject({ action: 'update', drift: true, reasonCode: 'drift' });
  });

  test('Fleets removed from the config lets go of the fleets the last apply associated, and only those', () => {
    const plan = planOf(config({ applications: [WORD] }), applied({ ...WORD, Fleets: ['el'] }, ['el', 'elsewhere']));
    expect(plan.calls.filter((c) => c.operation.includes('Fleet')).map((c) => `${c.operation} ${String(c.input.FleetName)}`)).toEqual(['DisassociateApplicationFleet el']);
  });
});

describe('replacing', () => {
  test('Platforms or InstanceFamilies replace it: fleets let go, delete, create with what the config leaves alone, fleets again', () => {
    const declared = { ...WORD, Fleets: ['el'] };
    const live = applied(declared, ['el'], { Description: 'set elsewhere' });
    const plan = planOf(config({ applications: [{ ...declared, InstanceFamilies: ['GRAPHICS_G4', 'GENERAL_PURPOSE'] }], fleets: [ELASTIC] }), live);
    const change = plan.changes.find((c) => c.address === 'application/word')!;
    expect(change).toMatchObject({ action: 'replace', reasonCode: 'replace_because_immutable' });
    expect(change.reason).toMatch(/^InstanceFamilies cannot change on an application/);
    expect(change.diffs.map((d) => `${d.path}:${d.impact}`)).toEqual(['InstanceFamilies:replace']);
    expect(wordCalls(plan)).toEqual([
      'DisassociateApplicationFleet application/word',
      'DeleteApplication application/word',
      'CreateApplication application/word',
      'AssociateApplicationFleet application/word',
    ]);
    expect(inputOf(plan, 'CreateApplication')).toMatchObject({ Description: 'set elsewhere', InstanceFamilies: ['GENERAL_PURPOSE', 'GRAPHICS_G4'], AppBlockArn: OFFICE });
    expect(inputOf(plan, 'AssociateApplicationFleet')!.ApplicationArn).toBe(arn('application', 'word'));
  });

  test('an application this project does not own is never replaced', () => {
    const plan = planOf(config({ applications: [{ ...WORD, Platforms: ['AMAZON_LINUX2'] }] }), account(liveApplication(WORD, {}, [])));
    expect(plan.calls).toEqual([]);
    expect(errors(plan)).toEqual(['exists and is not owned by this project; its Platforms cannot change in place, and replacing it would delete it']);
  });
});

describe('deleting (prune)', () => {
  test('fleets let go first, then DeleteApplication, before the fleet it was on is deleted', () => {
    const live = applied({ ...WORD, Fleets: ['el'] });
    live.fleetReads = { listed: true };
    live.fleets.el = { fleet: { Name: 'el', FleetType: 'ELASTIC', State: 'STOPPED', Arn: arn('fleet', 'el') } as Fleet, tags: { [OWNER_TAG]: PROJECT }, stacks: [] };
    const plan = planOf(config(), live, { prune: true });
    expect(callList(plan)).toEqual(['DisassociateApplicationFleet application/word', 'DeleteApplication application/word', 'DeleteFleet fleet/el']);
    expect(plan.changes.find((c) => c.address === 'application/word')!.dependsOn).toEqual(['fleet/el']);
  });

  test('an unowned application is not pruned', () => {
    const plan = planOf(config(), account(liveApplication(WORD, {}, ['el'])), { prune: true });
    expect(plan.calls).toEqual([]);
  });
});
