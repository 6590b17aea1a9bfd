#!/usr/bin/env node
// Refreshes src/facts/<service>.json from an official botocore service-2.json:
// keeps the operations streamform uses and the constraints of every shape they reach
// (types, members, required, lengths, ranges, patterns, enums), and drops all prose.
// Usage: node scripts/extract-facts.mjs <service-2.json> <out.json> <Operation>...
import { readFileSync, writeFileSync } from 'node:fs';

const [modelPath, outPath, ...operations] = process.argv.slice(2);
if (!modelPath || !outPath || operations.length === 0) {
  console.error('usage: extract-facts.mjs <service-2.json> <out.json> <Operation>...');
  process.exit(2);
}
const model = JSON.parse(readFileSync(modelPath, 'utf8'));
const shapes = {};

function visit(name) {
  if (shapes[name]) return;
  const src = model.shapes[name];
  if (!src) throw new Error(`shape ${name} missing from model`);
  const out = { type: src.type };
  for (const key of ['min', 'max', 'pattern', 'enum', 'error', 'exception', 'fault', 'deprecated']) {
    if (src[key] !== undefined) out[key] = src[key];
  }
  if (out.pattern && !out.pattern.startsWith('^')) out.pattern = `^${out.pattern}$`;
  shapes[name] = out;
  if (src.type === 'structure') {
    if (src.required?.length) out.required = src.required;
    out.members = {};
    for (const [member, ref] of Object.entries(src.members ?? {})) {
      const m = { shape: ref.shape };
      for (const key of ['location', 'locationName', 'idempotencyToken', 'deprecated', 'jsonvalue']) {
        if (ref[key] !== undefined) m[key] = ref[key];
      }
      out.members[member] = m;
      visit(ref.shape);
    }
  } else if (src.type === 'list') {
    out.member = src.member.shape;
    visit(src.member.shape);
  } else if (src.type === 'map') {
    out.key = src.key.shape;
    out.value = src.value.shape;
    visit(src.key.shape);
    visit(src.value.shape);
  }
}

const ops = {};
for (const op of operations) {
  const src = model.operations[op];
  if (!src) throw new Error(`operation ${op} missing from model`);
  ops[op] = {
    http: src.http,
    input: src.input?.shape,
    output: src.output?.shape,
    errors: (src.errors ?? []).map((e) => e.shape),
  };
  if (src.input) visit(src.input.shape);
  if (src.output) visit(src.output.shape);
  for (const e of ops[op].errors) visit(e);
}

const { apiVersion, protocol, protocols, serviceId, signingName, targetPrefix, endpointPrefix } = model.metadata;
const facts = { metadata: { apiVersion, protocol, protocols, serviceId, signingName, targetPrefix, endpointPrefix }, operations: ops, shapes };
writeFileSync(outPath, JSON.stringify(facts, null, 1) + '\n');
console.log(`${outPath}: ${Object.keys(ops).length} operations, ${Object.keys(shapes).length} shapes`);
