import { numberFlag, parseFlags } from '../cli/args.js';
import { loadStateFile, startEmulator } from '../emulator/index.js';

const HELP = `Usage: streamform emulator [options]

Serves a local AppStream 2.0 + Nimble Studio emulator (and the tagging API's GetResources)
on one port, until SIGINT or SIGTERM. Point clients at it with --endpoint-url (AWS CLI),
AWS_ENDPOINT_URL (SDKs) or streamform's --endpoint; any credentials are accepted.

Options:
  --port N            port to listen on; 0 picks a free one (default 4577)
  --host ADDR         address to listen on (default 127.0.0.1)
  --state FILE        YAML or JSON account state to start from
  --page-size N       page size of every paged operation
  --latency-ms N      delay every answer by N ms
  --throttle-rate R   answer this fraction of requests (0..1) with a throttling error
  --error-rate R      answer this fraction of requests (0..1) with HTTP 500/503
  --rate-limit TPS    token bucket: throttle requests beyond TPS per second
  --transition-ms N   time a Nimble state transition takes (default 300)
  --consistency-lag-ms N
                      for N ms after CreateStack, other calls do not find the new stack
                      and listings omit it, like AWS's eventual consistency (default 0)
  --seed N            seed of the fault and id generator (default 1)
  --deny-tagging      answer GetResources with AccessDeniedException
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('emulator', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    state: { type: 'string' },
    'page-size': { type: 'string' },
    'latency-ms': { type: 'string' },
    'throttle-rate': { type: 'string' },
    'error-rate': { type: 'string' },
    'rate-limit': { type: 'string' },
    'transition-ms': { type: 'string' },
    'consistency-lag-ms': { type: 'string' },
    seed: { type: 'string' },
    'deny-tagging': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const number = (flag: keyof typeof values, min: number, max: number, integer = true) =>
    numberFlag('emulator', flag, values[flag] as string | undefined, min, max, integer);

  const options = {
    host: values.host,
    port: number('port', 0, 65535) ?? 4577,
    pageSize: number('page-size', 1, 1000),
    latencyMs: number('latency-ms', 0, 60_000),
    throttleRate: number('throttle-rate', 0, 1, false),
    errorRate: number('error-rate', 0, 1, false),
    rateLimit: number('rate-limit', 0, 100_000, false),
    transitionMs: number('transition-ms', 0, 3_600_000),
    consistencyLagMs: number('consistency-lag-ms', 0, 3_600_000),
    seed: number('seed', 0, 2 ** 32 - 1),
    denyTagging: values['deny-tagging'],
    state: values.state === undefined ? undefined : loadStateFile(values.state),
  };
  // Listen for signals before announcing the URL: a caller may stop us as soon as it reads it.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const emulator = await startEmulator(options);
  process.stdout.write(`listening on ${emulator.url}\n`);

  await stopped;
  await emulator.close();
  return 0;
}
