import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';

export interface FakeServer {
  url: string;
  /** Requests received so far, by the operation in their X-Amz-Target (awsJson) or their path. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A node:http server that answers as `handle` says: for what no AWS service would answer (HTML,
 * silence, a page token that repeats). `handle` gets the request's operation and parsed body; a
 * handler that never calls `res.end` leaves the request unanswered.
 */
export async function startFakeServer(handle: (operation: string, body: Record<string, unknown>, res: ServerResponse, req: IncomingMessage) => void): Promise<FakeServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? req.url ?? '').split('.').pop() ?? '';
      requests.push(operation);
      handle(operation, text ? (JSON.parse(text) as Record<string, unknown>) : {}, res, req);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    },
  };
}

/** An awsJson 1.1 answer, as AppStream and the tagging API give it. */
export function awsJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fake' });
  res.end(JSON.stringify(body));
}

/** A loopback port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}
