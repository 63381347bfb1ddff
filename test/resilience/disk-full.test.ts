// A full disk for real: the SQLite store on a small tmpfs this test mounts (root only; CI runs as root), filled
// under load, then grown with `mount -o remount`. The store is at fault, not the users: nothing dead-letters, no
// user breaker opens, errors stay a trickle, /readyz fails while the disk is full and recovers after.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine.js';
import type { EngineEventMap } from '../../src/engineEvents.js';
import { createApp, listen, type RunningServer } from '../../src/http/server.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';

const mountPoint = tempDir('memdedup-tmpfs-');
let mounted = false;
let skipReason: string | undefined;
if (process.getuid?.() !== 0) skipReason = 'not running as root: cannot mount a tmpfs';
else {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (e) {
    skipReason = `mount -t tmpfs failed: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`;
  }
}
if (skipReason) console.log(`disk-full test skipped: ${skipReason}`);

let engine: Engine | undefined;
let srv: RunningServer | undefined;

afterAll(async () => {
  await srv?.close().catch(() => undefined);
  await engine?.close().catch(() => undefined);
  // Even when the test failed: a tmpfs left mounted would outlive the run.
  if (mounted) execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!!skipReason)('disk full', () => {
  it('waits for space without blaming candidates, and decides every accepted one exactly once', async () => {
    engine = await createEngine({
      store: { kind: 'sqlite', path: join(mountPoint, 'full.db') },
      flags: { kind: 'embedded', file: writeFlagsFile(tempDir()) }, logLevel: 'silent',
      breakers: { user: { failures: 5, resetTimeoutMs: 60_000 } }, retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
    });
    srv = await listen(createApp(engine), '127.0.0.1', 0);
    const errors: EngineEventMap['error'][0][] = [];
    const errorTimes: number[] = [];
    const userBreakerOpened: string[] = [];
    const decisions = new Map<string, string[]>();
    engine.emitter.on('error', (e) => { errors.push(e); errorTimes.push(Date.now()); });
    engine.emitter.on('breaker', (e) => { if (e.scope === 'user' && e.state === 'open') userBreakerOpened.push(e.name); });
    engine.emitter.on('decided', ({ candidate, decision }) => {
      decisions.set(candidate.id, [...(decisions.get(candidate.id) ?? []), decision.action]);
    });
    const readyz = async () => (await fetch(`${srv!.url}/readyz`)).json() as Promise<{ ready: boolean; failing?: string[]; reasons?: Record<string, string> }>;
    expect((await readyz()).ready).toBe(true);

    const accepted = new Set<string>();
    let n = 0;
    const submitSome = (count: number) => {
      for (let i = 0; i < count; i++, n++) {
        const s = engine!.submit({ userId: `u${n % 50}`, text: `Remembers note number ${n}: ${'a distinct detail '.repeat(4)}${n * 7919}` });
        if (s.status === 'accepted') void s.accepted.then(() => accepted.add(s.id));
      }
    };

    // Load until the disk is full, then 2 s more of load on the full disk.
    const t0 = Date.now();
    while (engine.status().store.state === 'healthy' && Date.now() - t0 < 60_000) { submitSome(100); await sleep(10); }
    expect(engine.status().store).toMatchObject({ state: 'faulty', kind: 'disk-full' });
    const fullAt = Date.now();
    const notReady: Array<{ failing?: string[]; reasons?: Record<string, string> }> = [];
    while (Date.now() - fullAt < 2000) {
      submitSome(100);
      const r = await readyz();
      if (!r.ready) notReady.push(r);
      await sleep(50);
    }
    // Idle on the full disk, once the lanes have run what they held: the store-wide backoff keeps tries (and the
    // CPU they cost) few.
    const laneEnd = Date.now() + 60_000;
    while ((engine.status().lanes.candidates > 0 || engine.status().lanes.running > 0) && Date.now() < laneEnd) await sleep(20);
    const faultsBefore = engine.status().store.faults;
    const cpu0 = process.cpuUsage();
    const idle0 = Date.now();
    await sleep(3000);
    const cpu = process.cpuUsage(cpu0);
    const idleMs = Date.now() - idle0;
    const idleFaults = engine.status().store.faults - faultsBefore;
    const r = await readyz();
    expect(r.ready).toBe(false);
    expect(r.failing).toContain('store-writable');
    expect(r.reasons?.['store-writable']).toMatch(/full/);
    notReady.push(r);
    const fullMs = Date.now() - fullAt;
    const acceptedWhileFull = accepted.size;

    execFileSync('mount', ['-o', 'remount,size=200m', mountPoint], { stdio: 'pipe' });
    const grownAt = Date.now();
    let healthyAt = 0;
    engine.emitter.on('store', (h) => { if (h.state === 'healthy' && !healthyAt) healthyAt = Date.now(); });
    submitSome(500);
    expect(await engine.drain(120_000)).toBe(true);
    const recoveredMs = Date.now() - grownAt;
    const after = await readyz();
    expect(after.ready).toBe(true);
    expect(engine.status().store.state).toBe('healthy');

    const ids = [...accepted];
    const events = await engine.store.eventsForCandidates(ids);
    const perCandidate = new Map<string, number>();
    for (const e of events) perCandidate.set(e.candidateId!, (perCandidate.get(e.candidateId!) ?? 0) + 1);
    const actions: Record<string, number> = {};
    for (const a of [...decisions.values()].flat()) actions[a] = (actions[a] ?? 0) + 1;
    const spanS = (Date.now() - fullAt) / 1000;
    const metrics = await engine.registry.getSingleMetricAsString('memdedup_store_faults_total');
    console.log(JSON.stringify({
      submitted: n, accepted: ids.length, acceptedWhileFull, fullMs, healthyAfterMs: healthyAt - grownAt, recoveredMs, events: events.length, actions,
      errorEvents: errors.length, errorEventsPerSecond: Math.round((errors.length / spanS) * 10) / 10,
      errorCounts: errors.reduce((s, e) => s + (e.count ?? 1), 0), stages: [...new Set(errors.map((e) => e.stage))],
      idleMs, idleFaults, idleCpuMs: Math.round((cpu.user + cpu.system) / 1000), notReadyWhileFull: notReady.length,
      userBreakersOpened: userBreakerOpened.length, storeFaults: metrics.split('\n').filter((l) => l.startsWith('memdedup_store_faults_total{kind="disk-full"}')),
    }));

    expect(acceptedWhileFull).toBeGreaterThan(0);
    expect(ids.length).toBeGreaterThan(acceptedWhileFull);
    // Every accepted candidate decided exactly once: one event each, one decision each.
    expect(events.length).toBe(ids.length);
    expect([...perCandidate.values()].every((c) => c === 1)).toBe(true);
    for (const id of ids) expect(decisions.get(id)?.length, id).toBe(1);
    expect(actions['dead-letter'] ?? 0).toBe(0);
    expect(await engine.deadLetters()).toEqual([]);
    expect(userBreakerOpened).toEqual([]);
    expect(engine.status().breakers.user.open).toBe(0);
    // Coalesced: at most one error event per stage per second (plus the one a window's end flushes).
    const stages = new Set(errors.map((e) => e.stage)).size;
    expect(errors.length).toBeLessThanOrEqual(Math.ceil(spanS + 1) * stages * 2);
    expect(errors.reduce((s, e) => s + (e.count ?? 1), 0)).toBeGreaterThan(errors.length);
    // Backoff: a handful of tries in 3 s of a full disk, not thousands.
    expect(idleFaults).toBeLessThanOrEqual(10);
    expect(notReady.length).toBeGreaterThan(0);
    expect(metrics).toMatch(/memdedup_store_faults_total\{kind="disk-full"\} [1-9]/);
  }, 240_000);
});
