// Load generator for the HTTP benchmarks, run in its own process so it does not share the
// server's event loop. argv[2] is JSON: {url, requestsFile, connections}; requestsFile holds one
// JSON request per line ({method, path, headers?, body?}), each sent once. Prints a JSON summary.
import autocannon from 'autocannon';
import fs from 'node:fs';

// overallRate (optional): requests per second across all connections, for a load shape instead of a flood.
const { url, requestsFile, connections, overallRate } = JSON.parse(process.argv[2]);
const requests = fs.readFileSync(requestsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
let next = 0;
const t0 = performance.now();
const result = await autocannon({
  url,
  connections,
  amount: requests.length,
  ...(overallRate && { overallRate }),
  requests: [{ setupRequest: (req) => ({ ...req, ...requests[next++ % requests.length] }) }],
});
// autocannon's own duration is coarse for runs of a second or two: time the run here.
const elapsed = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ rps: result.requests.total / elapsed, p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max, duration: elapsed, non2xx: result.non2xx, statusCodes: result.statusCodeStats, errors: result.errors, total: result.requests.total }));
