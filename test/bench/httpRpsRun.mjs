// http_rps: the HTTP helper's test/bench/httpRps.mjs (autocannon, 64 connections, against `memdedup serve`
// in a child process) run as one of the bench's workloads: 10 s, quick 3 s.
import { main, progress, QUICK } from './lib/common.mjs';
import { httpRps } from './httpRps.mjs';

const SECONDS = QUICK ? 3 : 10;

main(async () => {
  const t0 = Date.now();
  const ticker = setInterval(() => progress((Date.now() - t0) / (SECONDS * 1000 + 2000), '64 connections'), 200);
  const r = await httpRps({ durationS: SECONDS, connections: 64 });
  clearInterval(ticker);
  return { http_rps: { rps: r.rps, p99_ms: r.p99_ms }, http_detail: r };
});
