/**
 * Endpoints that are not AWS, or misbehave as AWS never would: a login page, a proxy's HTML error,
 * a body that is not JSON, a page token that repeats, a quota error. Small node:http servers stand
 * in for them; the SDK clients are the real ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-appstream';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.js';
import { awsErrorMessage } from '../../src/aws/errors.js';
import { MAX_PAGES, pageTokens } from '../../src/aws/paging.js';
import { streamform } from '../apply/cli.js';
import { awsJson, startFakeServer, type FakeServer } from './fake-server.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamform-endpoints-'));
  writeFileSync(join(dir, 'streamform.yaml'), 'version: 1\nproject: robust\nregion: us-east-1\nstacks:\n  - Name: design\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withServer<T>(handle: Parameters<typeof startFakeServer>[0], body: (server: FakeServer) => Promise<T>): Promise<T> {
  const server = await startFakeServer(handle);
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

const answer = (status: number, type: string, body: string) => (_: string, __: unknown, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
};

/** The first call's error, in the words the CLI would print; with short backoff, so that a retried one ends fast. */
async function firstCallError(url: string): Promise<string> {
  const { appstream } = createClients({ endpoint: url, backoff: { baseDelayMs: 1, maxDelayMs: 2 }, retryMode: 'standard', onRetry: () => undefined });
  try {
    return awsErrorMessage(await appstream.send(new DescribeStacksCommand({})).then(() => 'no error', (error: unknown) => error));
  } finally {
    appstream.destroy();
  }
}

describe('an answer that is not an AWS response', () => {
  it('a login page: plan says what answered, in one line', async () => {
    await withServer(answer(200, 'text/html; charset=utf-8', '<html><body>Sign in</body></html>'), async (server) => {
      expect(await streamform(['plan', '--endpoint', server.url], dir)).toMatchObject({
        code: 1,
        stdout: '',
        stderr: `streamform: cannot list the account's stacks (DescribeStacks): the endpoint ${server.url} answered HTTP 200 text/html, which is not an AWS response; is the endpoint right?\n`,
      });
    });
  });

  it("a proxy's 502 page is retried as a 502, then named", async () => {
    await withServer(answer(502, 'text/html', '<html>Bad Gateway</html>'), async (server) => {
      expect(await firstCallError(server.url)).toBe(`the endpoint ${server.url} answered HTTP 502 text/html, which is not an AWS response; is the endpoint right?`);
      expect(server.requests).toHaveLength(10);
    });
  });

  it('an empty text answer is not read as an empty account', async () => {
    await withServer(answer(200, 'text/plain', ''), async (server) => {
      expect(await firstCallError(server.url)).toBe(`the endpoint ${server.url} answered HTTP 200 text/plain, which is not an AWS response; is the endpoint right?`);
    });
  });

  it('JSON that does not parse reads as such, not as a SyntaxError', async () => {
    await withServer(answer(200, 'application/x-amz-json-1.1', '{"Stacks": ['), async (server) => {
      expect(await firstCallError(server.url)).toMatch(/^the endpoint answered HTTP 200 with a body that is not valid JSON \(.+\); is the endpoint right\?$/);
    });
  });
});

describe('paging', () => {
  it('stops when the server hands out a page token a second time, naming the operation', async () => {
    await withServer(
      (operation, body, res) => awsJson(res, operation === 'DescribeStacks' ? { Stacks: [], NextToken: body.NextToken === 'b' ? 'a' : body.NextToken === 'a' ? 'b' : 'a' } : {}),
      async (server) => {
        expect(await streamform(['plan', '--endpoint', server.url], dir)).toMatchObject({
          code: 1,
          stdout: '',
          stderr: "streamform: cannot list the account's stacks (DescribeStacks): the endpoint returned the page token 'a' a second time; stopped paging, which would never end\n",
        });
        expect(server.requests.filter((op) => op === 'DescribeStacks')).toHaveLength(3);
      },
    );
  });

  it('stops a listing that never ends with new tokens either', () => {
    const tokens = pageTokens('GetResources', 'PaginationToken');
    expect(() => {
      for (let page = 1; ; page++) tokens.next(`token-${page}`);
    }).toThrow(`GetResources returned more than ${MAX_PAGES.toLocaleString('en-US')} pages; stopped paging`);
    expect(pageTokens('x', 'y').next('')).toBeUndefined();
  });
});

describe('a quota error', () => {
  it('LimitExceededException is answered once, not retried as throttling', async () => {
    const quota = (_: string, __: unknown, res: ServerResponse) => awsJson(res, { __type: 'LimitExceededException', message: 'The requested limit exceeds the permitted limit for an account.' }, 400);
    await withServer(quota, async (server) => {
      expect(await firstCallError(server.url)).toBe('LimitExceededException: The requested limit exceeds the permitted limit for an account.');
      expect(server.requests).toEqual(['DescribeStacks']);
    });
  });
});
