// A corrupt database, or one that stays read-only, is not retried for ever: the engine stops deciding, /readyz
// fails with the reason, status shows it, and nothing accepted is lost (a restart on a sound file decides it all).
// The faults are better-sqlite3's own SqliteError, thrown inside the real cascade through the deduper seam: a
// file that corrupts itself on cue mid-run cannot be made portably.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { createApp, listen, type RunningServer } from '../../src/http/server.js';
import type { EngineOptions } from '../../src/options.js';
import { tempDir, writeFlagsFile } from '../helpers/engine.js';
import { faulty } from './faults.js';

let engine: Engine | undefined;
let srv: RunningServer | undefined;
afterEach(async () => { await srv?.close(); await engine?.close(); engine = undefined; srv = undefined; });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) { if (Date.now() > end) throw new Error(`timed out waiting for ${what}`); await sleep(20); }
}

async function stoppedBy(code: string, message: string, reason: RegExp, extra: EngineOptions = {}) {
  const dir = tempDir();
  const options: EngineOptions = { logLevel: 'silent', store: { kind: 'sqlite', path: `${dir}/s.db` },
    flags: { kind: 'embedded', file: writeFlagsFile(dir) }, breakers: { user: { failures: 2 } }, ...extra };
  let broken = true;
  engine = await Engine.create(options, { deduper: faulty({ decide: () => { if (broken) throw new Database.SqliteError(message, code); } }) });
  srv = await listen(createApp(engine), '127.0.0.1', 0);
  let decided = 0;
  const breakerOpened: string[] = [];
  engine.emitter.on('decided', () => { decided++; });
  engine.emitter.on('breaker', (e) => { if (e.state === 'open') breakerOpened.push(e.name); });
  const subs = Array.from({ length: 20 }, (_, i) => engine!.submit({ userId: `s${i % 4}`, text: `Keeps a diary entry number ${i}` }));
  await Promise.all(subs.map((s) => s.accepted));
  await until('the store to stop', () => engine!.status().store.state === 'stopped');

  const r = await fetch(`${srv.url}/readyz`);
  const body = await r.json() as { failing: string[]; reasons: Record<string, string> };
  expect(r.status).toBe(503);
  expect(body.failing).toContain('store-writable');
  expect(body.reasons['store-writable']).toMatch(reason);
  const status = await (await fetch(`${srv.url}/api/memory/status`)).json() as { store?: { state: string }; readiness: { checks: Array<{ name: string; ok: boolean }> } };
  expect(status.store?.state).toBe('stopped');
  expect(status.readiness.checks.find((c) => c.name === 'store-writable')?.ok).toBe(false);

  // Stopped is sticky: even once writes would work, nothing more is decided until an operator restarts.
  broken = false;
  await sleep(1500);
  expect(decided).toBe(0);
  expect(breakerOpened).toEqual([]);
  await srv.close(); srv = undefined;
  await engine.close();

  engine = await Engine.create(options);
  const again = await Promise.all(subs.map((s) => engine!.submit({ id: s.id, userId: `s${subs.indexOf(s) % 4}`, text: 'replayed' }).decided));
  expect(await engine.drain(20_000)).toBe(true);
  const events = await engine.store.eventsForCandidates(subs.map((s) => s.id));
  expect(events.length).toBe(20);
  expect(again.every((d) => d.action !== 'dead-letter')).toBe(true);
  expect(await engine.deadLetters()).toEqual([]);
}

describe('store stopped', () => {
  it('stops deciding at once on a corrupt database', async () => {
    await stoppedBy('SQLITE_CORRUPT', 'database disk image is malformed', /malformed \(SQLITE_CORRUPT\): stopped deciding/);
  }, 60_000);

  it('stops deciding once the database stayed read-only past retry.readOnlyStopAfterMs', async () => {
    await stoppedBy('SQLITE_READONLY', 'attempt to write a readonly database', /read-only \(SQLITE_READONLY\): stopped deciding/,
      { retry: { readOnlyStopAfterMs: 300 } });
  }, 60_000);
});
