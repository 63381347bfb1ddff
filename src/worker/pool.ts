// thread: 'worker': the engine's cores in worker threads, one partition of the users each (src/core/partition.ts).
// The host keeps the promises (Submissions), the one flags client, the one metrics registry and the logger; a
// worker keeps its users' lanes, index cache, breakers and its own store connection.
//
// Faults: a worker that throws or exits is an 'error' event (stage 'worker'), restarted with backoff. Before the
// restart its journal leases are released and what it decided but could not report is read back from the store,
// so nothing accepted is lost and nothing is decided twice; what it had not made durable yet is handed to the new
// worker. After MAX_CRASHES in CRASH_WINDOW_MS the engine stops deciding: candidates wait in the journal.
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { eventToDecision } from '../dedup/decideBatch.js';
import type { EngineEvents } from '../engineEvents.js';
import { coerceError, MemdedupError } from '../errors.js';
import type { Flags } from '../flags/types.js';
import type { PostedBatch, Submissions } from '../intake/submissions.js';
import { hostSink } from '../core/hostSink.js';
import type { Store } from '../store/types.js';
import type { Candidate } from '../types.js';
import { mergeStatus, type Backend, type ThreadsStatus } from '../core/backend.js';
import type { CoreSink, CoreStatus } from '../core/core.js';
import type { BreakerState } from '../resilience/userBreakers.js';
import { partitionOf } from '../core/partition.js';
import { decodePayload, fromWire, type CallMap, type CallName, type HostMessage, type OutItem, type WorkerInit, type WorkerMessage } from './protocol.js';

export const MAX_CRASHES = 5;
export const CRASH_WINDOW_MS = 60_000;
const RESTART_BASE_MS = 100;
const RESTART_MAX_MS = 5_000;
/** How long close() waits for a worker to finish its batches before terminating it. */
const CLOSE_TIMEOUT_MS = 30_000;
/** Host time spent applying worker messages before the loop gets a turn. */
const APPLY_SLICE_MS = 1;

export interface PoolHost {
  submissions: Submissions;
  emitter: EngineEvents;
  flags: Flags;
  /** The host's own store connection: releases a dead worker's leases and reads what it decided. */
  store: Store;
  log(level: 'warn' | 'error' | 'info', obj: Record<string, unknown>, msg: string): void;
  countFlags(flag: string, off: number, on: number): void;
}

export interface PoolOptions {
  workers: number;
  entry: URL;
  init: Omit<WorkerInit, 'index' | 'count' | 'instanceId' | 'flags'>;
  host: PoolHost;
}

interface Call { resolve: (v: unknown) => void; reject: (e: Error) => void }

const EMPTY_STATUS: CoreStatus = mergeStatus([]);

class Slot {
  worker: Worker | undefined;
  instanceId = randomUUID();
  ready = false;
  /** Candidates for this worker not posted yet (this tick's, or waiting for a restart). */
  outbox: Candidate[] = [];
  /** Posted, not all durable yet: what a restarted worker is given again. */
  readonly unconfirmed = new Set<PostedBatch>();
  status: CoreStatus = EMPTY_STATUS;
  readonly calls = new Map<number, Call>();
  /** Waiting for this worker to be ready (a call made during a restart). */
  waiters: Array<() => void> = [];
  fatal: Error | undefined;
  lastError: Error | undefined;
  closed: (() => void) | undefined;
  restartTimer: NodeJS.Timeout | undefined;
  crashes: number[] = [];
  constructor(readonly index: number) {}
}

export class WorkerPool implements Backend {
  readonly mode = 'worker' as const;
  private readonly slots: Slot[];
  private scheduled = false;
  private nextCall = 1;
  private crashes = 0;
  private recent: number[] = [];
  private stopped: string | undefined;
  private closing = false;
  private reffed = false;
  private readonly offFlags: () => void;
  /** Worker messages not fully applied yet, oldest first (`next`: the next item of an 'out' message). */
  private readonly inbox: Array<{ s: Slot; m: WorkerMessage; next: number }> = [];
  /**
   * A provider is one dependency, but each worker has its own breaker for it: status reports the state of the
   * last transition any worker saw (a worker that has not called since the provider came back says nothing new).
   */
  private readonly providerStates: { embedder?: BreakerState; judge?: BreakerState } = {};

  /** The host's answers and per-candidate events, as for a core in this thread. */
  private readonly sink: CoreSink;

  constructor(private readonly o: PoolOptions) {
    this.sink = hostSink(o.host.submissions, o.host.emitter);
    this.slots = Array.from({ length: o.workers }, (_, i) => new Slot(i));
    const push = (): void => { const flags = this.flagState(); for (const s of this.slots) this.post(s, { t: 'flags', flags }); };
    o.host.flags.on('changed', push);
    this.offFlags = () => o.host.flags.off('changed', push);
  }

  /** Starts every worker; rejects with the first one's startup error (a store it cannot open, a bad hook). */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.spawn(s)));
  }

  private flagState() {
    const f = this.o.host.flags;
    return f.definitions?.() ?? { features: [], segments: [], synchronized: f.synchronized, source: f.source, mode: f.mode };
  }

  private spawn(s: Slot): Promise<void> {
    const init: WorkerInit = { ...this.o.init, index: s.index, count: this.slots.length, instanceId: s.instanceId, flags: this.flagState() };
    s.fatal = s.lastError = undefined;
    const w = new Worker(this.o.entry, { workerData: init, name: `memdedup-${s.index}` });
    s.worker = w;
    // Idle workers never keep the host alive; refs() takes them back while anything waits on them.
    if (!this.reffed) w.unref();
    return new Promise<void>((resolve, reject) => {
      let started = false;
      w.on('message', (m: WorkerMessage) => {
        if (m.t === 'ready') { started = true; s.ready = true; resolve(); this.onReady(s); return; }
        if (m.t === 'fatal') { s.fatal = fromWire(m.error); return; }
        this.receive(s, m);
      });
      w.on('error', (e) => { s.lastError = e; });
      w.on('exit', (code) => {
        if (s.worker !== w) return;
        s.worker = undefined;
        s.ready = false;
        if (!started) reject(s.fatal ?? s.lastError ?? new Error(`memdedup worker ${s.index} exited with code ${code} before it was ready`));
        this.onExit(s, code, started);
      });
    });
  }

  // ---- host -> worker --------------------------------------------------------------------------

  private owner(userId: string): Slot {
    return this.slots[partitionOf(userId, this.slots.length)]!;
  }

  submit(c: Candidate): void {
    this.owner(c.userId).outbox.push(c);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => { this.scheduled = false; this.flushAll(); });
    this.refs();
  }

  /** Posts what submit() gathered this tick: one message per worker. */
  private flushAll(): void {
    for (const s of this.slots) this.flushSlot(s);
  }

  private flushSlot(s: Slot): void {
    if (!s.ready || s.outbox.length === 0) return;
    const rows = s.outbox;
    s.outbox = [];
    const json = JSON.stringify(rows);
    const batch: PostedBatch = { json, left: 0, done: () => s.unconfirmed.delete(batch) };
    for (const c of rows) this.o.host.submissions.hold(c.id, batch);
    if (batch.left > 0) s.unconfirmed.add(batch);
    this.post(s, { t: 'submit', json });
  }

  /** What was posted to `s` and is not durable yet, in submit order; the batches are forgotten. */
  private takeUnconfirmed(s: Slot): Candidate[] {
    const out: Candidate[] = [];
    for (const b of s.unconfirmed) for (const c of JSON.parse(b.json) as Candidate[]) if (this.o.host.submissions.notDurable(c.id)) out.push(c);
    s.unconfirmed.clear();
    return out;
  }

  private post(s: Slot, m: HostMessage): void {
    if (s.ready) s.worker?.postMessage(m);
  }

  async call<K extends CallName>(userId: string | undefined, name: K, ...args: CallMap[K]): Promise<unknown> {
    return this.callSlot(userId === undefined ? this.slots[0]! : this.owner(userId), name, args);
  }

  async all<K extends CallName>(name: K, ...args: CallMap[K]): Promise<unknown[]> {
    return Promise.all(this.slots.map((s) => this.callSlot(s, name, args)));
  }

  private async callSlot(s: Slot, name: CallName, args: unknown[]): Promise<unknown> {
    if (this.stopped) throw new MemdedupError('WORKER_UNAVAILABLE', `the engine stopped deciding: ${this.stopped}`);
    if (!s.ready) await new Promise<void>((r) => s.waiters.push(r));
    if (this.stopped || !s.ready) throw new MemdedupError('WORKER_UNAVAILABLE', `memdedup worker ${s.index} is not running`);
    // Candidates submitted before the call reach the worker before it: an erase takes them too.
    this.flushSlot(s);
    const id = this.nextCall++;
    const answer = new Promise<unknown>((resolve, reject) => s.calls.set(id, { resolve, reject }));
    this.post(s, { t: 'call', id, name, args });
    this.refs();
    return answer;
  }

  // ---- worker -> host --------------------------------------------------------------------------

  private onReady(s: Slot): void {
    for (const w of s.waiters.splice(0)) w();
    this.flushSlot(s);
  }

  /**
   * Messages are applied in order, in slices of at most APPLY_SLICE_MS: a worker that made 15,000 candidates
   * durable in one go sends them in one message, and answering them all in one piece would stall the host.
   */
  private receive(s: Slot, m: WorkerMessage): void {
    this.inbox.push({ s, m, next: 0 });
    if (this.inbox.length === 1) this.drainInbox();
  }

  private drainInbox(): void {
    const end = performance.now() + APPLY_SLICE_MS;
    while (this.inbox.length > 0) {
      const e = this.inbox[0]!;
      if (e.m.t === 'out') {
        const items = e.m.items;
        while (e.next < items.length) {
          this.apply(e.s, items[e.next++]!);
          if (e.next < items.length && performance.now() > end) { setImmediate(() => this.drainInbox()); return; }
        }
      }
      this.inbox.shift();
      this.onMessage(e.s, e.m);
      if (this.inbox.length > 0 && performance.now() > end) { setImmediate(() => this.drainInbox()); return; }
    }
    this.refs();
  }

  /** A message whose items are applied: its status, flag counts, or the worker's goodbye. */
  private onMessage(s: Slot, m: WorkerMessage): void {
    if (m.t === 'out') {
      s.status = m.status;
    } else if (m.t === 'status') {
      s.status = m.status;
      for (const [flag, off, on] of m.flagCounts) this.o.host.countFlags(flag, off, on);
    } else if (m.t === 'closed') {
      s.closed?.();
    }
  }

  private apply(s: Slot, item: OutItem): void {
    const h = this.o.host;
    switch (item.k) {
      case 'acc': this.sink.accepted(item.rows); return;
      case 'rej': this.sink.rejected(item.c, item.message); return;
      case 'dec': this.sink.decided(item.c, item.d, item.ev); return;
      case 'ev': {
        const payload = decodePayload(item.name, item.payload);
        if (item.name === 'breaker') {
          const b = payload as { scope: string; name: string; state: BreakerState };
          if (b.scope === 'provider' && (b.name === 'embedder' || b.name === 'judge')) this.providerStates[b.name] = b.state;
        }
        (h.emitter.safeEmit as (n: string, p: unknown) => void)(item.name, payload);
        return;
      }
      case 'log': h.log(item.level, { ...item.obj, worker: s.index }, item.msg); return;
      case 'res': {
        const call = s.calls.get(item.id);
        if (!call) return;
        s.calls.delete(item.id);
        if (item.ok) call.resolve(item.value);
        else call.reject(fromWire(item.error));
      }
    }
  }

  /** Workers keep the host alive only while something waits on them: submissions in flight or a call. */
  private refs(): void {
    const busy = this.o.host.submissions.size > 0 || this.slots.some((s) => s.calls.size > 0 || s.outbox.length > 0);
    if (busy === this.reffed) return;
    this.reffed = busy;
    for (const s of this.slots) { if (busy) s.worker?.ref(); else s.worker?.unref(); }
  }

  // ---- faults ----------------------------------------------------------------------------------

  private onExit(s: Slot, code: number, started: boolean): void {
    for (const w of s.waiters.splice(0)) w();
    if (this.closing) { s.closed?.(); return; }
    if (!started) return;
    const error = s.fatal ?? s.lastError ?? new Error(`memdedup worker ${s.index} exited with code ${code}`);
    this.crashes++;
    const now = Date.now();
    this.recent = this.recent.filter((t) => now - t < CRASH_WINDOW_MS);
    this.recent.push(now);
    s.crashes = s.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
    s.crashes.push(now);
    this.o.host.emitter.safeEmit('error', { stage: 'worker', error: coerceError(error) });
    this.o.host.log('error', { worker: s.index, code, err: error }, 'memdedup worker crashed');
    const lost = new MemdedupError('WORKER_UNAVAILABLE', `memdedup worker ${s.index} crashed: ${error.message}`);
    for (const c of s.calls.values()) c.reject(lost);
    s.calls.clear();
    if (this.recent.length >= MAX_CRASHES) {
      void this.stop(`${this.recent.length} worker crashes within ${CRASH_WINDOW_MS / 1000} s; last: ${error.message}`);
      return;
    }
    const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (s.crashes.length - 1));
    s.restartTimer = setTimeout(() => { s.restartTimer = undefined; void this.restart(s); }, delay);
  }

  private async restart(s: Slot): Promise<void> {
    if (this.closing || this.stopped) return;
    const h = this.o.host;
    const owns = (userId: string): boolean => partitionOf(userId, this.slots.length) === s.index;
    try {
      // Its rows are free at once, not when the lease runs out.
      await h.store.releaseLeases(s.instanceId);
      // Decided and committed, but the message died with the worker: answer from the store.
      const ids = h.submissions.durableIds(owns);
      for (const e of ids.length ? await h.store.eventsForCandidates(ids) : []) {
        if (e.candidateId) h.submissions.decided(e.candidateId, eventToDecision(e));
      }
    } catch (e) {
      h.emitter.safeEmit('error', { stage: 'worker-restart', error: coerceError(e) });
    }
    // Not durable when it died: its group commit buffer is gone, the host still has them (then this tick's).
    s.outbox = [...this.takeUnconfirmed(s), ...s.outbox];
    s.instanceId = randomUUID();
    s.status = EMPTY_STATUS;
    try {
      await this.spawn(s);
    } catch (e) {
      this.onExit(s, 1, true);
      h.log('error', { worker: s.index, err: coerceError(e) }, 'memdedup worker failed to restart');
    }
  }

  /** Too many crashes: no more deciding. What was not durable yet is written to the journal from the host. */
  private async stop(reason: string): Promise<void> {
    this.stopped = reason;
    const h = this.o.host;
    h.log('error', { reason }, 'memdedup stopped deciding');
    const rows: Candidate[] = [];
    for (const s of this.slots) {
      if (s.restartTimer) clearTimeout(s.restartTimer);
      rows.push(...this.takeUnconfirmed(s), ...s.outbox);
      s.outbox = [];
      void s.worker?.terminate();
    }
    try {
      if (rows.length) await h.store.appendJournal(rows, { owner: '', until: 0 });
      for (const c of rows) h.submissions.accepted(c.id);
    } catch (e) {
      h.emitter.safeEmit('error', { stage: 'worker-stop', error: coerceError(e) });
    }
    for (const s of this.slots) await h.store.releaseLeases(s.instanceId).catch(() => {});
    this.refs();
  }

  // ---- status and lifecycle --------------------------------------------------------------------

  status(): CoreStatus {
    const merged = mergeStatus(this.slots.map((s) => s.status));
    for (const p of ['embedder', 'judge'] as const) if (merged.breakers.provider[p] && this.providerStates[p]) merged.breakers.provider[p] = this.providerStates[p];
    merged.journal.buffered += this.slots.reduce((n, s) => n + s.outbox.length, 0);
    return merged;
  }

  claimed(): number {
    let n = 0;
    for (const s of this.slots) n += s.status.journal.claimed;
    return n;
  }

  threads(): ThreadsStatus {
    return {
      mode: 'worker', workers: this.slots.length, running: this.slots.filter((s) => s.ready).length, crashes: this.crashes,
      state: this.stopped ? 'stopped' : 'running', ...(this.stopped ? { reason: this.stopped } : {}),
    };
  }

  /** Lets every worker finish its running batches and close its store; terminates one that does not in time. */
  async close(): Promise<void> {
    this.flushAll();
    this.closing = true;
    this.offFlags();
    await Promise.all(this.slots.map(async (s) => {
      if (s.restartTimer) clearTimeout(s.restartTimer);
      const w = s.worker;
      if (!w) return;
      w.ref();
      const done = new Promise<void>((r) => { s.closed = r; });
      if (s.ready) w.postMessage({ t: 'close' } satisfies HostMessage);
      else void w.terminate();
      const timer = setTimeout(() => void w.terminate(), CLOSE_TIMEOUT_MS);
      await done;
      clearTimeout(timer);
      await w.terminate();
      s.ready = false;
    }));
  }
}

