// http_rps: the HTTP helper's test/bench/httpRps.mjs (autocannon, 64 connections, against `memdedup serve`
// in a child process) run as one of the bench's workloads: 10 s, quick 3 s; then the same with memory.enabled off.
import { main, progress, QUICK } from './lib/common.mjs';
import { httpRps } from './httpRps.mjs';

const SECONDS = QUICK ? 3 : 10;

main(async () => {
  const t0 = Date.now();
  const ticker = setInterval(() => progress((Date.now() - t0) / (2 * SECONDS * 1000 + 4000), '64 connections'), 200);
  const r = await httpRps({ durationS: SECONDS, connections: 64 });
  // The HTTP layer alone (memory.enabled off: validation and a flag check), same run: what memory costs the server.
  const off = await httpRps({ durationS: SECONDS, connections: 64, memoryEnabled: false });
  clearInterval(ticker);
  return { http_rps: { rps: r.rps, p99_ms: r.p99_ms, rps_memory_off: off.rps, ratio: Math.round((r.rps / off.rps) * 100) / 100 }, http_detail: r, http_off_detail: off };
});
