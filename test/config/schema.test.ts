import { CreateStackRequest$ } from '@aws-sdk/client-appstream';
import Ajv2020 from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AJV_OPTIONS,
  buildSchema,
  renderSchema,
  renderTypes,
  renderValidator,
  SCHEMA_PATH,
  TYPES_PATH,
  unicodePattern,
  VALIDATOR_PATH,
} from '../../scripts/gen-schema.js';
import { schemaProblems } from '../../src/config/schema.js';
import appstreamFacts from '../../src/facts/appstream.json' with { type: 'json' };
import nimbleFacts from '../../src/facts/nimble.json' with { type: 'json' };

type Schema = { [keyword: string]: unknown };
const schema = buildSchema() as Schema & { $defs: Record<string, Schema & { properties: Record<string, Schema> }> };
const defs = schema.$defs;
const appstream = appstreamFacts.shapes as Record<string, { max?: number; min?: number; pattern?: string; enum?: string[] }>;
const nimble = nimbleFacts.shapes as Record<string, { max?: number; min?: number; pattern?: string }>;

describe('generated files', () => {
  it('schema/streamform.schema.json is what npm run schema writes', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(renderSchema(schema));
  });

  it('src/config/types.generated.ts is what npm run schema writes', async () => {
    expect(readFileSync(TYPES_PATH, 'utf8')).toBe(await renderTypes(schema));
  });

  it('src/config/validator.generated.ts is what npm run schema writes', () => {
    expect(readFileSync(VALIDATOR_PATH, 'utf8')).toBe(renderValidator(schema));
  });
});

describe('the schema', () => {
  it('is JSON Schema 2020-12 with an $id, and ajv compiles it with its patterns as Unicode regexes', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^urn:streamform:/);
    const validate = new Ajv2020.default({ ...AJV_OPTIONS }).compile(schema);
    const tagged = (key: string) => ({ version: 1, project: 'p', stacks: [{ Name: 'design', Tags: { [key]: 'façade équipe' } }] });
    expect(validate(tagged('équipe'))).toBe(true); // \p{L} matches letters beyond ASCII
    expect(validate(tagged('aws:team'))).toBe(false);
  });

  it('has a stack property for every member of the SDK CreateStackRequest, plus Fleets and Targets, and no other', () => {
    const sdkMembers = CreateStackRequest$[4] as string[];
    expect(sdkMembers).toContain('ContentRedirection');
    expect(sdkMembers).toContain('AgentAccessConfig');
    expect(Object.keys(defs.StackConfig.properties).sort()).toEqual([...sdkMembers, 'Fleets', 'Targets'].sort());
  });

  it('takes lengths, patterns, list sizes and enums from the service facts', () => {
    const stack = defs.StackConfig.properties;
    expect(stack.Description.maxLength).toBe(appstream.Description.max);
    expect(stack.DisplayName.maxLength).toBe(appstream.DisplayName.max);
    expect(stack.RedirectURL.maxLength).toBe(appstream.RedirectURL.max);
    expect(stack.Name.pattern).toBe(appstream.Name.pattern);
    expect(stack.AccessEndpoints.maxItems).toBe(appstream.AccessEndpointList.max);
    expect(stack.EmbedHostDomains.maxItems).toBe(appstream.EmbedHostDomains.max);
    expect(defs.Tags.maxProperties).toBe(appstream.Tags.max);
    expect((defs.Tags.propertyNames as Schema).maxLength).toBe(appstream.TagKey.max);
    expect(defs.Action.enum).toEqual(appstream.Action.enum);
    expect(defs.StorageConnectorType.enum).toEqual(appstream.StorageConnectorType.enum);
    const streaming = defs.StreamingImageConfig.properties;
    expect(streaming.Name.maxLength).toBe(nimble.StreamingImageName.max);
    expect(streaming.Ec2ImageId.pattern).toBe(nimble.EC2ImageId.pattern);
    expect(streaming.Description.maxLength).toBe(nimble.StreamingImageDescription.max);
  });

  it('describes every property, so editors show help on hover', () => {
    const undescribed: string[] = [];
    const visit = (node: Schema, path: string) => {
      for (const [name, property] of Object.entries((node.properties as Record<string, Schema>) ?? {})) {
        if (typeof property.description !== 'string' || property.description.length < 10) undescribed.push(`${path}.${name}`);
      }
    };
    visit(schema, '(root)');
    for (const [name, def] of Object.entries(defs)) visit(def, name);
    expect(undescribed).toEqual([]);
    for (const [name, def] of Object.entries(defs)) if (def.type === 'object') expect(def.title, name).toBeTruthy();
  });

  it('allows null where the attribute can be cleared, and nowhere else', () => {
    const nullable = (def: string) =>
      Object.entries(defs[def].properties)
        .filter(([, p]) => (Array.isArray(p.type) && p.type.includes('null')) || (p.anyOf as Schema[] | undefined)?.some((b) => b.type === 'null'))
        .map(([name]) => name)
        .sort();
    const clearedByUpdateStack = (appstream.StackAttribute.enum ?? []).map((a) => a.replace(/_/g, '').toLowerCase());
    for (const member of Object.keys(defs.StackConfig.properties)) {
      if (clearedByUpdateStack.includes(member.toLowerCase())) expect(nullable('StackConfig'), member).toContain(member);
    }
    expect(nullable('StackConfig')).toEqual(
      [
        'AccessEndpoints',
        'AgentAccessConfig',
        'ApplicationSettings',
        'ContentRedirection',
        'Description',
        'DisplayName',
        'EmbedHostDomains',
        'FeedbackURL',
        'Fleets',
        'RedirectURL',
        'StorageConnectors',
        'StreamingExperienceSettings',
        'Tags',
        'UserSettings',
      ].sort(),
    );
    expect(nullable('ImageConfig')).toEqual(['SharedWith', 'Tags']);
    expect(nullable('StreamingImageConfig')).toEqual(['Description', 'Tags']);
    for (const def of ['StorageConnector', 'UserSetting', 'ApplicationSettings', 'AgentAccessConfig', 'SharedImagePermission']) expect(nullable(def)).toEqual([]);
  });

  it('says in every clearable property what null does', () => {
    for (const [name, property] of Object.entries(defs.StackConfig.properties)) {
      if (name !== 'Name' && name !== 'Targets') expect(property.description, name).toMatch(/null/);
    }
    expect(defs.StackConfig.properties.Description.description).toMatch(/null or "" clears it/);
    expect(defs.StackConfig.properties.ApplicationSettings.description).toMatch(/null turns persistence off/);
  });
});

describe('patterns in ECMAScript Unicode mode', () => {
  it('drops escapes the u flag rejects and keeps the ones it needs', () => {
    expect(unicodePattern('^arn:aws(?:\\-cn|\\-iso)?:s3:::[a-z0-9.\\-]{1,61}$')).toBe('^arn:aws(?:-cn|-iso)?:s3:::[a-z0-9.\\-]{1,61}$');
    expect(unicodePattern('^(\\*|https?://[^\\s,;]+)$')).toBe('^(\\*|https?://[^\\s,;]+)$');
    expect(unicodePattern('^[\\p{L}\\p{Z}_.:/=+\\-@]*$')).toBe('^[\\p{L}\\p{Z}_.:/=+\\-@]*$');
    expect(unicodePattern('^\\d+\\.\\d+$')).toBe('^\\d+\\.\\d+$');
  });

  it('gives every pattern of the facts the meaning it has without the u flag', () => {
    const samples = ['arn:aws-cn:s3:::my-bucket', 'arn:aws:s3:::-bad', 'ami-0123', 'design_team.1', 'https://a.example.com', 'a-b', '12345', 'x y'];
    for (const shape of Object.values({ ...appstream, ...nimble })) {
      if (!shape.pattern || shape.pattern.includes('\\p{')) continue;
      const plain = new RegExp(shape.pattern);
      const unicode = new RegExp(unicodePattern(shape.pattern), 'u');
      for (const sample of samples) expect(unicode.test(sample), `${shape.pattern} on ${sample}`).toBe(plain.test(sample));
    }
  });
});

describe('schema messages', () => {
  it('reads well for a nullable property given the wrong type', () => {
    expect(schemaProblems({ version: 1, project: 'p', stacks: [{ Name: 'a', Tags: 'x' }] })).toEqual([
      { pointer: '/stacks/0/Tags', message: 'expected a map or null, found "x"' },
    ]);
  });

  it('passes a valid value', () => {
    expect(schemaProblems({ version: 1, project: 'p', stacks: [{ Name: 'a', Tags: null, Fleets: [] }] })).toEqual([]);
  });
});
