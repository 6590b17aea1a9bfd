/**
 * The HTTP side: one port serves AppStream and the tagging API (awsJson1_1, routed by X-Amz-Target),
 * STS (AWS Query: a form-encoded POST, or a GET, with an Action parameter), Nimble (restJson1,
 * routed by method and path) and the /_emulator admin endpoints. Each request is faulted, parsed,
 * reduced to the members its input shape models, validated and handled here; the services' own
 * rules live in their handlers.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appstreamHandlers } from './appstream.js';
import { StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { ServiceError } from './errors.js';
import { faultInjector, type Fault } from './faults.js';
import { nimbleHandlers } from './nimble.js';
import { queryError, queryResult, readQuery } from './query.js';
import { secretsManagerHandlers, secretsManagerModel, ssmHandlers, ssmModel } from './secrets.js';
import { facts, modelledOnly, validate, validationMessage, type Facts } from './shapes.js';
import { Store, type EmulatorState } from './state.js';
import { stsHandlers } from './sts.js';
import { taggingHandlers } from './tagging.js';

export interface ServiceOptions {
  state?: EmulatorState;
  pageSize?: number;
  latencyMs?: number;
  throttleRate?: number;
  errorRate?: number;
  rateLimit?: number;
  transitionMs?: number;
  seed?: number;
  denyTagging?: boolean;
  /**
   * For this many ms after CreateStack, the new stack is not found by the other calls and listings
   * omit it, as AppStream's eventual consistency does (0, the default: at once).
   */
  consistencyLagMs?: number;
}

/** One entry of the call log (`GET /_emulator/calls`). */
export interface Call {
  service: string;
  operation: string;
  status: number;
  /** The error type a failed call was answered with (e.g. ThrottlingException), so throttling can be told from other failures. */
  error?: string;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

type ServiceName = 'appstream' | 'nimble' | 'tagging' | 'sts' | 'secretsmanager' | 'ssm';

interface Service {
  name: ServiceName;
  facts: Facts;
  handlers: Record<string, Handler>;
  /** The error a constraint violation gets. */
  validationError: string;
  /** Error shape names for injected faults. */
  faults: Record<Fault, string>;
  protocol: 'awsJson' | 'restJson' | 'query';
}

const SERVICES: Record<ServiceName, Service> = {
  // AppStream models no ValidationException: AWS answers it anyway and the SDK surfaces a generic error by that name.
  appstream: {
    name: 'appstream',
    facts: facts.appstream,
    handlers: appstreamHandlers,
    validationError: 'ValidationException',
    faults: { throttle: 'ThrottlingException', error500: 'InternalFailure', error503: 'ServiceUnavailableException' },
    protocol: 'awsJson',
  },
  nimble: {
    name: 'nimble',
    facts: facts.nimble,
    handlers: nimbleHandlers,
    validationError: 'ValidationException',
    faults: { throttle: 'ThrottlingException', error500: 'InternalServerErrorException', error503: 'ServiceUnavailableException' },
    protocol: 'restJson',
  },
  tagging: {
    name: 'tagging',
    facts: facts.tagging,
    handlers: taggingHandlers,
    validationError: 'InvalidParameterException',
    faults: { throttle: 'ThrottledException', error500: 'InternalServiceException', error503: 'ServiceUnavailableException' },
    protocol: 'awsJson',
  },
  // Query errors are named by their code (ValidationError, AccessDenied, Throttling), not a shape.
  sts: {
    name: 'sts',
    facts: facts.sts,
    handlers: stsHandlers,
    validationError: 'ValidationError',
    faults: { throttle: 'Throttling', error500: 'InternalFailure', error503: 'ServiceUnavailable' },
    protocol: 'query',
  },
  secretsmanager: {
    name: 'secretsmanager',
    facts: secretsManagerModel,
    handlers: secretsManagerHandlers,
    validationError: 'ValidationException',
    faults: { throttle: 'ThrottlingException', error500: 'InternalServiceError', error503: 'ServiceUnavailableException' },
    protocol: 'awsJson',
  },
  ssm: {
    name: 'ssm',
    facts: ssmModel,
    handlers: ssmHandlers,
    validationError: 'ValidationException',
    faults: { throttle: 'ThrottlingException', error500: 'InternalServerError', error503: 'ServiceUnavailableException' },
    protocol: 'awsJson',
  },
};

const TARGET_PREFIXES: Record<string, ServiceName> = {
  PhotonAdminProxyService: 'appstream',
  ResourceGroupsTaggingAPI_20170126: 'tagging',
  secretsmanager: 'secretsmanager',
  AmazonSSM: 'ssm',
};

const NIMBLE_VERSION = '2020-08-01';
const AWS_JSON = 'application/x-amz-json-1.1';
const XML = 'text/xml';

/** Status of an error: the model's, else 400; awsJson throttling is a 400 and restJson's a 429 (as modelled). */
function errorStatus(service: Service, error: ServiceError): number {
  if (error.status !== undefined) return error.status;
  const modelled = service.facts.shapes[error.type]?.error?.httpStatusCode;
  if (modelled !== undefined) return modelled;
  return service.protocol === 'restJson' && error.type === 'ThrottlingException' ? 429 : 400;
}

function errorReply(service: Service, error: ServiceError, requestId: string): Reply {
  const status = errorStatus(service, error);
  const headers = { 'x-amzn-errortype': error.type };
  if (service.protocol === 'query') {
    return { status, headers: { ...headers, 'content-type': XML }, body: queryError(service.facts, error.type, error.message, status, requestId) };
  }
  // awsJson clients read the type from the body's __type (botocore reads nothing else); restJson
  // clients read the header first. Nimble's body `code` is a detail field, so it stays out.
  if (service.protocol === 'awsJson') {
    return { status, headers: { ...headers, 'content-type': AWS_JSON }, body: JSON.stringify({ __type: error.type, message: error.message }) };
  }
  const body = { message: error.message, ...(error.context ? { context: error.context } : {}) };
  return { status, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function faultError(service: Service, fault: Fault): ServiceError {
  const status = fault === 'error500' ? 500 : fault === 'error503' ? 503 : service.protocol === 'restJson' ? 429 : 400;
  const message = fault === 'throttle' ? 'Rate exceeded' : 'The service is unavailable. Try again.';
  return new ServiceError(service.faults[fault], message, status);
}

interface Routed {
  service: Service;
  operation: string;
  /** Builds the operation's input from the request; throws a ServiceError if it can't be read. */
  input(): Json;
}

function parseJsonObject(body: string, service: Service): Json {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON.', 400);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServiceError(service.protocol === 'awsJson' ? 'SerializationException' : 'ValidationException', 'The request body must be a JSON object.', 400);
  }
  return value as Json;
}

function routeAwsJson(target: string, body: string): Routed | undefined {
  const [prefix, operation] = target.split('.');
  const name = TARGET_PREFIXES[prefix];
  if (!name || !operation) return undefined;
  const service = SERVICES[name];
  return { service, operation, input: () => parseJsonObject(body, service) };
}

/** AWS Query: the form body of a POST (as the SDK and the CLI send it), or the query string of a GET (presigned). */
function routeQuery(method: string, url: string, headers: IncomingMessage['headers'], body: string): Routed | undefined {
  const form = method === 'POST' && (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const params = form ? new URLSearchParams(body) : method === 'GET' ? new URLSearchParams(url.split('?')[1] ?? '') : undefined;
  const operation = params?.get('Action');
  if (!params || !operation) return undefined;
  const service = SERVICES.sts;
  const input = () => {
    const version = params.get('Version');
    if (version !== service.facts.metadata?.apiVersion) throw unknownOperation(service, operation, version);
    return readQuery(service.facts, service.facts.operations[operation].input!, params);
  };
  return { service, operation, input };
}

/** Query services answer an unknown action (or version) with InvalidAction, as AWS does. */
function unknownOperation(service: Service, operation: string, version?: string | null): ServiceError {
  if (service.protocol === 'query') return new ServiceError('InvalidAction', `Could not find operation ${operation} for version ${version ?? 'NO_VERSION_SPECIFIED'}`, 400);
  return new ServiceError('UnknownOperationException', `The emulator does not implement ${service.name} ${operation}.`, 400);
}

/** restJson1: match the raw path segment by segment against the model's URIs, then decode labels. */
function routeNimble(method: string, url: string, headers: IncomingMessage['headers'], body: string): Routed | undefined {
  const [rawPath, rawQuery = ''] = url.split('?', 2);
  const segments = rawPath.split('/');
  const start = segments.indexOf(NIMBLE_VERSION);
  if (start < 0) return undefined;
  const path = segments.slice(start);
  const service = SERVICES.nimble;
  for (const [operation, op] of Object.entries(service.facts.operations)) {
    if (op.http?.method !== method) continue;
    const template = op.http.requestUri.split('?')[0].split('/').slice(1);
    if (template.length !== path.length) continue;
    const labels: Record<string, string> = {};
    const matches = template.every((part, i) => {
      if (part.startsWith('{')) return (labels[part.slice(1, -1)] = path[i]) !== '';
      return part === path[i];
    });
    if (matches) return { service, operation, input: () => restInput(service, operation, labels, rawQuery, headers, body) };
  }
  return { service, operation: 'Unknown', input: () => ({}) };
}

function restInput(service: Service, operation: string, labels: Record<string, string>, rawQuery: string, headers: IncomingMessage['headers'], body: string): Json {
  const shape = service.facts.shapes[service.facts.operations[operation].input!];
  const query = new URLSearchParams(rawQuery);
  const input: Json = {};
  const fromBody = parseJsonObject(body, service);
  for (const [member, ref] of Object.entries(shape.members ?? {})) {
    const name = ref.locationName ?? member;
    if (ref.location === 'uri') {
      try {
        input[member] = decodeURIComponent(labels[name]);
      } catch {
        throw new ServiceError('ValidationException', `The path label ${name} is not correctly percent-encoded.`);
      }
    } else if (ref.location === 'querystring') {
      const values = query.getAll(name);
      if (values.length) input[member] = service.facts.shapes[ref.shape].type === 'list' ? values : values[0];
    } else if (ref.location === 'header') {
      const value = headers[name.toLowerCase()];
      if (typeof value === 'string') input[member] = value;
    } else if (fromBody[member] !== undefined) {
      input[member] = fromBody[member];
    }
  }
  return input;
}

function successReply(service: Service, operation: string, output: Json, requestId: string): Reply {
  if (service.protocol === 'query') return { status: 200, headers: { 'content-type': XML }, body: queryResult(service.facts, operation, output, requestId) };
  if (service.protocol === 'awsJson') return { status: 200, headers: { 'content-type': AWS_JSON }, body: JSON.stringify(output) };
  const status = service.facts.operations[operation].http?.responseCode ?? 200;
  if (status === 204) return { status, headers: {} };
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(output) };
}

const json = (status: number, value: unknown): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

export class EmulatorService {
  private store: Store;
  private readonly calls: Call[] = [];
  private readonly nextFault: () => Fault | undefined;

  constructor(private readonly options: ServiceOptions) {
    this.store = this.newStore(options.state ?? {});
    this.nextFault = faultInjector(options);
  }

  private newStore(state: EmulatorState): Store {
    return new Store(state, this.options.transitionMs ?? 300, this.options.seed ?? 1, this.options.consistencyLagMs);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = req.url ?? '/';
    const requestId = randomUUID();
    const reply = url.startsWith('/_emulator/') ? this.admin(req.method ?? 'GET', url, body) : this.serve(req, url, body, requestId);
    if (!url.startsWith('/_emulator/') && this.options.latencyMs) await sleep(this.options.latencyMs);
    res.writeHead(reply.status, { 'x-amzn-requestid': requestId, ...reply.headers });
    res.end(reply.body);
  }

  private serve(req: IncomingMessage, url: string, body: string, requestId: string): Reply {
    const target = req.headers['x-amz-target'];
    const method = req.method ?? 'GET';
    const routed =
      typeof target === 'string' ? routeAwsJson(target, body) : (routeQuery(method, url, req.headers, body) ?? routeNimble(method, url, req.headers, body));
    if (!routed) {
      return json(404, { __type: 'UnknownOperationException', message: `No emulated service answers ${req.method} ${url.split('?')[0]}` });
    }
    const reply = this.run(routed, signer(req, url), requestId);
    const error = reply.headers['x-amzn-errortype'];
    this.calls.push({ service: routed.service.name, operation: routed.operation, status: reply.status, ...(error ? { error } : {}) });
    return reply;
  }

  private run({ service, operation, input }: Routed, credentials: Context['credentials'], requestId: string): Reply {
    try {
      const handler = service.handlers[operation];
      if (!handler) throw unknownOperation(service, operation);
      const fault = this.nextFault();
      if (fault) throw faultError(service, fault);
      if (service.name === 'tagging' && this.options.denyTagging) {
        throw new ServiceError('AccessDeniedException', `User: arn:aws:iam::${this.store.account}:user/emulator is not authorized to perform: tag:${operation}`, 400);
      }
      const shape = service.facts.operations[operation].input!;
      const request = modelledOnly(service.facts, shape, input()) as Json;
      const violations = validate(service.facts, shape, request);
      if (violations.length) throw new ServiceError(service.validationError, validationMessage(violations), 400);
      return successReply(service, operation, handler(request, this.context(credentials)), requestId);
    } catch (error) {
      if (error instanceof ServiceError) return errorReply(service, error, requestId);
      return errorReply(service, new ServiceError(service.faults.error500, `Emulator failure: ${(error as Error).message}`, 500), requestId);
    }
  }

  private context(credentials: Context['credentials']): Context {
    const cap = this.options.pageSize;
    return {
      store: this.store,
      pageSize: (defaultSize, requested) => Math.min(requested || cap || defaultSize, cap ?? Infinity),
      credentials,
    };
  }

  private admin(method: string, url: string, body: string): Reply {
    const path = url.split('?')[0];
    if (path === '/_emulator/state' && method === 'GET') return json(200, this.store.toState());
    if (path === '/_emulator/state' && method === 'PUT') {
      let state: EmulatorState;
      try {
        state = JSON.parse(body) as EmulatorState;
      } catch (error) {
        return json(400, { message: `state: not valid JSON (${(error as Error).message})` });
      }
      try {
        this.store = this.newStore(state);
      } catch (error) {
        if (error instanceof StateError) return json(400, { message: error.message });
        throw error;
      }
      return json(200, this.store.toState());
    }
    if (path === '/_emulator/calls' && method === 'GET') return json(200, this.calls);
    if (path === '/_emulator/calls' && method === 'DELETE') {
      this.calls.length = 0;
      return { status: 204, headers: {} };
    }
    return json(404, { message: `No admin endpoint ${method} ${path}` });
  }
}

/** The access key and session token a request is signed with: SigV4 headers, or a presigned URL's parameters. */
function signer(req: IncomingMessage, url: string): Context['credentials'] {
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  const authorization = req.headers.authorization ?? '';
  const credential = /Credential=([^,\s]+)/.exec(authorization)?.[1] ?? query.get('X-Amz-Credential') ?? undefined;
  const token = req.headers['x-amz-security-token'] ?? query.get('X-Amz-Security-Token') ?? undefined;
  return { accessKeyId: credential?.split('/')[0], sessionToken: typeof token === 'string' ? token : undefined };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
