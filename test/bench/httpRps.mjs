// http_rps: POST /api/memory/candidates with autocannon at 64 connections (10 s; quick: 3 s).
// The server runs in a child process; each request carries one candidate of a random user (of 10,000).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { main, progress, QUICK, round } from './lib/common.mjs';
import { canon, randomFact } from './lib/facts.mjs';
import { rng } from './lib/rng.mjs';

const SECONDS = QUICK ? 3 : 10;
const CONNECTIONS = 64;

function once(child, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => { if (m?.type === type) { child.off('message', onMessage); resolve(m); } };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before '${type}'`)));
  });
}

main(async () => {
  const server = fork(fileURLToPath(new URL('./lib/httpServer.mjs', import.meta.url)), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { url } = await once(server, 'listening');
  const r = rng(11);
  const bodies = Array.from({ length: 20_000 }, () => JSON.stringify({ userId: `user-${Math.floor(r() * 10_000)}`, text: canon(randomFact(r)) }));
  let n = 0;
  const t0 = Date.now();
  const ticker = setInterval(() => progress((Date.now() - t0) / (SECONDS * 1000), `${CONNECTIONS} connections`), 200);
  const res = await autocannon({
    url: `${url}/api/memory/candidates`, connections: CONNECTIONS, duration: SECONDS,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[n++ % bodies.length] }) }],
  });
  clearInterval(ticker);
  server.send({ type: 'stop' });
  const { status } = await once(server, 'stopped');
  const ok = res['2xx'];
  return {
    http_rps: { rps: round(ok / (res.duration || SECONDS), 0), p99_ms: res.latency.p99 },
    http_detail: { connections: CONNECTIONS, seconds: SECONDS, requests: res.requests.total, ok_2xx: ok, non_2xx: res.non2xx,
      errors: res.errors, timeouts: res.timeouts, latency_p50_ms: res.latency.p50, server_inflight_at_stop: status.journal.inflight },
  };
});
