// Readiness: the checks /readyz, GET /status and the production-readiness diagnostic share.
import type { Engine } from '../engine.js';
import { alertName, firingAlerts } from './observed.js';

export interface ReadinessCheck { name: string; ok: boolean; required: boolean; detail?: string }
export interface Readiness { ready: boolean; score: number; checks: ReadinessCheck[] }

/**
 * Required checks decide `ready`; the score (0-100) also counts the advisory ones, so a dashboard
 * sees a degraded engine (dead letters waiting, journal filling) before it stops being ready.
 */
export async function readiness(engine: Engine): Promise<Readiness> {
  const status = engine.status();
  const checks: ReadinessCheck[] = [];
  let storeOk = false;
  try { storeOk = await engine.store.ping(); } catch { storeOk = false; }
  checks.push({ name: 'store-reachable', ok: storeOk, required: true });
  // Reachable is not enough: a full disk or a read-only file answers reads and fails every write.
  checks.push({ name: 'store-writable', ok: status.store.state === 'healthy', required: true, detail: status.store.reason });
  checks.push({ name: 'flags-synchronized', ok: status.flags.synchronized, required: true, detail: status.flags.mode });
  checks.push({ name: 'engine-open', ok: !status.closed, required: true });
  // Worker threads that kept crashing: nothing is decided until a restart (status().threads.reason says why).
  checks.push({ name: 'workers-running', ok: status.threads.state === 'running', required: true, detail: status.threads.reason });
  const critical = firingAlerts(engine, 'critical');
  checks.push({ name: 'no-critical-alert', ok: critical.length === 0, required: true,
    detail: critical.length ? critical.map(alertName).join(', ') : undefined });
  const fill = status.journal.inflight / status.journal.limit;
  checks.push({ name: 'journal-headroom', ok: fill < 0.8, required: false, detail: `${Math.round(fill * 100)}% of the journal limit` });
  let dead = -1;
  if (storeOk) { try { dead = (await engine.store.deadLetters(1)).length; } catch { dead = -1; } }
  checks.push({ name: 'no-dead-letters', ok: dead === 0, required: false });
  checks.push({ name: 'no-alert-firing', ok: firingAlerts(engine).length === 0, required: false });
  const ready = checks.every((c) => c.ok || !c.required);
  // Required checks weigh twice the advisory ones.
  let got = 0, total = 0;
  for (const c of checks) { const w = c.required ? 2 : 1; total += w; if (c.ok) got += w; }
  return { ready, score: Math.round((got / total) * 100), checks };
}
