// Load generator for bench/join-bench.ts, run in its own process so it does not share the
// server's event loop. Reads {url, paths, connections} as JSON on argv[2]; prints autocannon's
// result as JSON on stdout.
import autocannon from 'autocannon';
import fs from 'node:fs';

const { url, pathsFile, connections } = JSON.parse(process.argv[2]);
const paths = fs.readFileSync(pathsFile, 'utf8').split('\n').filter(Boolean);
let next = 0;
const result = await autocannon({
  url,
  connections,
  amount: paths.length,
  requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
});
process.stdout.write(JSON.stringify({ rps: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, statusCodes: result.statusCodeStats, errors: result.errors, total: result.requests.total }));
