/**
 * The AWS Query protocol (STS): form-encoded parameters read into the operation's input by the
 * model's shapes (`Tags.member.1.Key`, an empty `Tags=` for an empty list), and XML answers
 * (`<OpResponse><OpResult>…</OpResult><ResponseMetadata>…`, `<ErrorResponse><Error>…`).
 */
import type { Facts } from './shapes.js';

type Json = Record<string, unknown>;

/** Reads the members of `shapeName` from `params`; parameters the shape does not model are never read. */
export function readQuery(model: Facts, shapeName: string, params: URLSearchParams): Json {
  const keys = [...params.keys()];
  const has = (key: string) => keys.some((k) => k === key || k.startsWith(`${key}.`));
  const read = (name: string, key: string): unknown => {
    const shape = model.shapes[name];
    const raw = params.get(key) ?? '';
    switch (shape.type) {
      case 'structure': {
        const out: Json = {};
        for (const [member, ref] of Object.entries(shape.members ?? {})) {
          const at = key ? `${key}.${ref.locationName ?? member}` : (ref.locationName ?? member);
          if (has(at)) out[member] = read(ref.shape, at);
        }
        return out;
      }
      case 'list': {
        const items: unknown[] = [];
        for (let i = 1; has(`${key}.member.${i}`); i++) items.push(read(shape.member!, `${key}.member.${i}`));
        return items;
      }
      case 'map': {
        const out: Json = {};
        for (let i = 1; has(`${key}.entry.${i}`); i++) out[String(read(shape.key!, `${key}.entry.${i}.key`))] = read(shape.value!, `${key}.entry.${i}.value`);
        return out;
      }
      // Text that is not of the member's type is kept as text, for validation to name it.
      case 'integer':
      case 'long':
        return /^-?\d+$/.test(raw) ? Number(raw) : raw;
      case 'double':
      case 'float':
        return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
      case 'boolean':
        return raw === 'true' ? true : raw === 'false' ? false : raw;
      case 'timestamp':
        return Number.isNaN(Date.parse(raw)) ? raw : Date.parse(raw) / 1000;
      default:
        return raw;
    }
  };
  return read(shapeName, '') as Json;
}

/** Text content only (no attributes are written from values), so quotes stay as they are. */
const escape = (text: string) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

const element = (name: string, content: string) => `<${name}>${content}</${name}>`;

/** `value` as the XML elements of `shapeName`; timestamps (epoch seconds, as handlers give them) in ISO 8601. */
function toXml(model: Facts, shapeName: string, value: unknown): string {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'structure':
      return Object.entries(shape.members ?? {})
        .filter(([member]) => (value as Json)[member] !== undefined && (value as Json)[member] !== null)
        .map(([member, ref]) => element(ref.locationName ?? member, toXml(model, ref.shape, (value as Json)[member])))
        .join('');
    case 'list':
      return (value as unknown[]).map((item) => element('member', toXml(model, shape.member!, item))).join('');
    case 'map':
      return Object.entries(value as Json)
        .map(([k, v]) => element('entry', element('key', escape(k)) + element('value', toXml(model, shape.value!, v))))
        .join('');
    case 'timestamp':
      return new Date((value as number) * 1000).toISOString();
    default:
      return escape(String(value));
  }
}

const namespace = (model: Facts) => `https://sts.amazonaws.com/doc/${model.metadata?.apiVersion ?? '2011-06-15'}/`;

/** The result element is `<Operation>Result`, the model's resultWrapper for every STS operation. */
export function queryResult(model: Facts, operation: string, output: Json, requestId: string): string {
  const result = element(`${operation}Result`, toXml(model, model.operations[operation].output!, output));
  const metadata = element('ResponseMetadata', element('RequestId', requestId));
  return `<${operation}Response xmlns="${namespace(model)}">${result}${metadata}</${operation}Response>`;
}

export function queryError(model: Facts, code: string, message: string, status: number, requestId: string): string {
  const error = element('Type', status >= 500 ? 'Receiver' : 'Sender') + element('Code', escape(code)) + element('Message', escape(message));
  return `<ErrorResponse xmlns="${namespace(model)}">${element('Error', error)}${element('RequestId', requestId)}</ErrorResponse>`;
}
