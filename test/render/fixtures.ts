/**
 * Plans for renderer tests, built by hand so that every display case is present: each action,
 * drift and adoption marks, set and nested diffs, cleared values, long values, waits, errors and
 * warnings with and without a YAML location.
 */
import { PLAN_FORMAT_VERSION, type Diagnostic, type DiffSpec, type Plan, type PlannedCall, type ResourceChange } from '../../src/core/plan.js';

export function plan(parts: Partial<Plan> = {}): Plan {
  const changes = parts.changes ?? [];
  const count = (action: string) => changes.filter((c) => c.action === action).length;
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: 'studio',
    configDigest: 'sha256:4f2a',
    configFiles: ['streamform/studio.yaml'],
    target: { region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' },
    createdAt: '2026-01-02T03:04:05.000Z',
    changes,
    calls: [],
    diagnostics: [],
    summary: { create: count('create'), update: count('update'), replace: count('replace'), delete: count('delete') },
    ...parts,
  };
}

/** A change; diffs without an impact are in-place updates. */
export function change(address: string, action: ResourceChange['action'], { diffs = [], ...parts }: Partial<Omit<ResourceChange, 'diffs'>> & { diffs?: DiffSpec[] } = {}): ResourceChange {
  return {
    address,
    kind: address.split('/')[0] as ResourceChange['kind'],
    action,
    drift: false,
    adopt: false,
    reasonCode: action === 'create' ? 'create' : action === 'delete' ? 'prune' : action === 'replace' ? 'replace_because_immutable' : action === 'no-op' ? 'no_change' : 'update',
    dependsOn: [],
    diffs: diffs.map((diff) => ({ impact: 'update', ...diff })),
    liveDigest: action === 'create' ? null : 'sha256:live',
    ...parts,
  };
}

/** Calls numbered in the order given, one phase per call unless said otherwise. */
export function calls(...specs: [string, string, Record<string, unknown>, Partial<PlannedCall>?][]): PlannedCall[] {
  return specs.map(([address, operation, input, extra], i) => ({
    id: i + 1,
    address,
    service: address.startsWith('streamingImage/') ? 'nimble' : 'appstream',
    operation,
    input,
    phase: i + 1,
    ...extra,
  }));
}

const longDescription =
  'Remote workstations for the design team: Maya, Houdini and Nuke with the studio plug-ins, home folders and OneDrive; ' +
  'sessions end after 8 hours and the clipboard is copy-in only.';

export const mixedPlan = (): Plan => {
  const changes = [
    change('stack/design', 'create', {
      diffs: [
        { path: 'DisplayName', after: 'Design' },
        { path: 'Description', after: longDescription },
        {
          path: 'StorageConnectors',
          after: [
            { ConnectorType: 'HOMEFOLDERS' },
            { ConnectorType: 'ONE_DRIVE', Domains: ['design.example.com', 'review.example.com', 'archive.example.com'] },
          ],
        },
        { path: 'UserSettings', after: [{ Action: 'CLIPBOARD_COPY_FROM_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 20971520 }] },
        { path: 'Fleets', after: ['design-fleet'] },
        { path: 'Tags', after: { team: 'design' } },
      ],
      source: { file: 'streamform/studio.yaml', line: 8, column: 5 },
    }),
    change('stack/review', 'update', {
      drift: true,
      diffs: [
        { path: 'RedirectURL', before: 'https://portal.example.com/old', after: 'https://portal.example.com/review' },
        { path: 'FeedbackURL', before: 'https://feedback.example.com', after: null },
        { path: 'EmbedHostDomains', before: ['a.example.com', 'old.example.com'], after: ['a.example.com', 'new.example.com'], added: ['new.example.com'], removed: ['old.example.com'] },
        { path: 'ApplicationSettings', before: { Enabled: true, SettingsGroup: 'review-v1' }, after: { Enabled: true, SettingsGroup: 'review-v2' } },
      ],
    }),
    change('stack/legacy', 'update', {
      adopt: true,
      diffs: [{ path: 'Tags', before: { team: 'ops', cost: 'old' }, after: { team: 'vfx', cost: 'old', owner: 'pipeline' } }],
    }),
    change('stack/old', 'delete', { reason: 'owned by this project and no longer declared (prune)' }),
    change('streamingImage/studio-1/base', 'replace', {
      reason: 'Ec2ImageId cannot change in place: a new streaming image is created, then the old one deleted',
      diffs: [{ path: 'Ec2ImageId', impact: 'replace', before: 'ami-0123456789abcdef0', after: 'ami-0fedcba9876543210' }],
    }),
    change('image/golden', 'no-op'),
  ];
  const diagnostics: Diagnostic[] = [
    { severity: 'warning', address: 'image/golden', message: 'the base image was released 400 days ago, more than MaxBaseImageAgeDays (365)' },
    {
      severity: 'error',
      address: 'stack/shared',
      message: 'owned by project "finance"; streamform leaves it alone',
      source: { file: 'streamform/studio.yaml', line: 31, column: 5 },
    },
  ];
  return plan({
    changes,
    diagnostics,
    calls: calls(
      ['stack/design', 'CreateStack', { Name: 'design', DisplayName: 'Design', Tags: { team: 'design', 'streamform:project': 'studio' } }],
      ['stack/review', 'UpdateStack', { Name: 'review', RedirectURL: 'https://portal.example.com/review', AttributesToDelete: ['FEEDBACK_URL'] }, { phase: 1 }],
      ['streamingImage/studio-1/base', 'CreateStreamingImage', { studioId: 'studio-1', name: 'base', ec2ImageId: 'ami-0fedcba9876543210' }, { phase: 1, wait: 'StreamingImageReady' }],
      ['stack/design', 'AssociateFleet', { StackName: 'design', FleetName: 'design-fleet' }, { phase: 2 }],
      ['stack/legacy', 'TagResource', { ResourceArn: 'arn:aws:appstream:us-east-1:123456789012:stack/legacy', Tags: { team: 'vfx' } }, { phase: 2 }],
      ['stack/old', 'DisassociateFleet', { StackName: 'old', FleetName: 'old-fleet' }, { phase: 3 }],
      ['stack/old', 'DeleteStack', { Name: 'old' }, { phase: 4 }],
      ['streamingImage/studio-1/base', 'DeleteStreamingImage', { studioId: 'studio-1', streamingImageId: 'si-0123' }, { phase: 4, wait: 'StreamingImageDeleted' }],
    ),
  });
};

export const emptyPlan = (): Plan => plan({ changes: [change('stack/design', 'no-op'), change('image/golden', 'no-op')] });
