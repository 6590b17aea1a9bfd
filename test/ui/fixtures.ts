import type { ApplyEvent } from '../../src/apply/events.js';
import { PLAN_FORMAT_VERSION, type DiffSpec, type Plan, type PlannedCall, type ResourceChange } from '../../src/core/plan.js';

function change(address: string, { diffs = [], ...fields }: Partial<Omit<ResourceChange, 'diffs'>> & { diffs?: DiffSpec[] }): ResourceChange {
  const kind = address.split('/')[0] as ResourceChange['kind'];
  return { address, kind, action: 'update', drift: false, adopt: false, reasonCode: 'update', dependsOn: [], diffs: diffs.map((diff) => ({ impact: 'update', ...diff })), liveDigest: 'live', ...fields };
}

function call(id: number, address: string, operation: string, fields: Partial<PlannedCall> = {}): PlannedCall {
  const service = address.startsWith('streamingImage/') ? 'nimble' : 'appstream';
  return { id, address, service, operation, input: { Name: address.split('/').at(-1) }, phase: 1, ...fields };
}

/** A studio with one of everything: create, drifted update, replace, delete, an adoption, a warning, an error. */
export function studioPlan(): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: 'studio',
    configDigest: 'cfg',
    configFiles: ['streamform.yaml'],
    target: { region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' },
    createdAt: '2024-01-01T00:00:00.000Z',
    changes: [
      change('stack/review', {
        action: 'create',
        liveDigest: null,
        diffs: [
          { path: 'DisplayName', after: 'Review room' },
          { path: 'Fleets', after: ['review-fleet'], added: ['review-fleet'] },
        ],
      }),
      change('stack/design', {
        drift: true,
        diffs: [
          { path: 'DisplayName', before: 'Design (edited)', after: 'Design' },
          { path: 'EmbedHostDomains', before: ['old.example.com'], after: ['studio.example.com'], added: ['studio.example.com'], removed: ['old.example.com'] },
          { path: 'RedirectURL', before: 'https://old.example.com', after: null },
        ],
      }),
      change('stack/edit', { adopt: true, diffs: [{ path: 'Tags', before: {}, after: { team: 'edit' } }] }),
      change('image/base-2021', { action: 'no-op' }),
      change('streamingImage/studio-1/render', {
        action: 'replace',
        reason: 'Ec2ImageId changed',
        diffs: [{ path: 'Ec2ImageId', impact: 'replace', before: 'ami-0aaaaaaaaaaaaaaaa', after: 'ami-0bbbbbbbbbbbbbbbb' }],
      }),
      change('stack/old-lab', { action: 'delete' }),
      change('stack/quiet', { action: 'no-op' }),
    ],
    calls: [
      call(1, 'stack/review', 'CreateStack'),
      call(2, 'stack/review', 'AssociateFleet', { input: { StackName: 'review', FleetName: 'review-fleet' } }),
      call(3, 'stack/design', 'UpdateStack', { input: { Name: 'design', DisplayName: 'Design', AttributesToDelete: ['REDIRECT_URL'] } }),
      call(4, 'stack/edit', 'TagResource'),
      call(5, 'streamingImage/studio-1/render', 'CreateStreamingImage', { wait: 'StreamingImageReady' }),
      call(6, 'streamingImage/studio-1/render', 'DeleteStreamingImage', { phase: 2, wait: 'StreamingImageDeleted' }),
      call(7, 'stack/old-lab', 'DeleteStack', { phase: 3 }),
    ],
    diagnostics: [
      { severity: 'warning', address: 'image/base-2021', message: 'base image released 2021-03-01 is older than MaxBaseImageAgeDays (365)' },
      { severity: 'error', address: 'stack/broken', message: 'StackErrors: STORAGE_CONNECTOR_ERROR: bucket not reachable' },
    ],
    summary: { create: 1, update: 2, replace: 1, delete: 1 },
  };
}

/** A plan with `count` stacks to create, to exercise scrolling. */
export function longPlan(count: number): Plan {
  const plan = studioPlan();
  const addresses = Array.from({ length: count }, (_, i) => `stack/lab-${String(i + 1).padStart(2, '0')}`);
  return {
    ...plan,
    changes: addresses.map((address) => change(address, { action: 'create', liveDigest: null, diffs: [{ path: 'DisplayName', after: address }] })),
    calls: addresses.map((address, i) => call(i + 1, address, 'CreateStack')),
    diagnostics: [],
    summary: { create: count, update: 0, replace: 0, delete: 0 },
  };
}

/** A whole run of the studio plan: a retry, a wait, a failure and the skip that follows from it. */
export function studioRun(plan: Plan = studioPlan()): ApplyEvent[] {
  return [
    { type: 'init', plan, calls: plan.calls },
    { type: 'call-started', callId: 1, at: 1_000 },
    { type: 'call-started', callId: 3, at: 1_000 },
    { type: 'call-retried', callId: 3, attempt: 2, error: 'ThrottlingException: Rate exceeded', delayMs: 400 },
    { type: 'call-succeeded', callId: 1, durationMs: 120 },
    { type: 'call-started', callId: 2, at: 1_200 },
    { type: 'call-failed', callId: 2, error: { name: 'ResourceNotFoundException', message: 'Fleet review-fleet not found' }, durationMs: 80 },
    { type: 'resource-finished', address: 'stack/review', status: 'failed' },
    { type: 'call-succeeded', callId: 3, durationMs: 900 },
    { type: 'call-started', callId: 4, at: 2_000 },
    { type: 'call-succeeded', callId: 4, durationMs: 50 },
    { type: 'call-started', callId: 5, at: 2_000 },
    { type: 'call-waiting', callId: 5, condition: 'StreamingImageReady', state: 'CREATE_IN_PROGRESS', elapsedMs: 1_000 },
    { type: 'call-succeeded', callId: 5, durationMs: 6_500 },
    { type: 'call-started', callId: 6, at: 8_600 },
    { type: 'call-succeeded', callId: 6, durationMs: 1_600 },
    { type: 'call-skipped', callId: 7, reason: 'stack/review failed' },
    {
      type: 'summary',
      summary: {
        succeeded: 5,
        failed: 1,
        skipped: 1,
        durationMs: 9_400,
        interrupted: false,
        failures: [{ address: 'stack/review', callId: 2, operation: 'AssociateFleet', message: 'ResourceNotFoundException: Fleet review-fleet not found' }],
      },
    },
  ];
}
