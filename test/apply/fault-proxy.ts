import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of the emulator for the network fault the emulator cannot produce on its
 * own: a response lost after the request took effect. Everything else passes through unchanged.
 */
export interface FaultProxy {
  url: string;
  /** The next `count` requests of `operation` reach the emulator, but the client gets a 503 instead of the answer. */
  loseResponses(operation: string, count: number): void;
  /** Operations the proxy saw, in order. */
  seen: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const lose = new Map<string, number>();
  const seen: string[] = [];

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const operation = operationOf(req);
    seen.push(operation);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([key]) => !['host', 'connection', 'content-length'].includes(key)),
    ) as Record<string, string>;
    const answer = await fetch(target + req.url, { method: req.method, headers, ...(body ? { body } : {}) });
    const text = await answer.text();
    const left = lose.get(operation) ?? 0;
    if (left > 0) {
      lose.set(operation, left - 1);
      const type = 'ServiceUnavailableException';
      res.writeHead(503, { 'content-type': 'application/json', 'x-amzn-errortype': type });
      res.end(JSON.stringify({ __type: type, message: 'The answer was lost on the way back.' }));
      return;
    }
    res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([key]) => key !== 'content-length' && key !== 'transfer-encoding')));
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loseResponses: (operation, count) => lose.set(operation, count),
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function operationOf(req: IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop()!;
  const path = (req.url ?? '').split('?')[0];
  if (req.method === 'POST' && /\/streaming-images$/.test(path)) return 'CreateStreamingImage';
  if (req.method === 'DELETE' && /\/streaming-images\//.test(path)) return 'DeleteStreamingImage';
  if (req.method === 'GET' && /\/streaming-images\//.test(path)) return 'GetStreamingImage';
  return `${req.method} ${path}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
