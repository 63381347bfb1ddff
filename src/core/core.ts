// The deciding half of an engine: group commit, lanes, breakers, the cascade and the store's writes, for the users
// of one partition. An engine runs one Core in its own thread (thread: 'inline') or one per worker thread
// (src/worker/entry.ts). The host-facing half (submit, the promises, reads, metrics) is src/engine.ts.
//
// A Core never holds promises for the host: it says what happened to each candidate through its CoreSink
// (durable, refused by the store, decided) and everything else through its events.
import { setTimeout as sleep } from 'node:timers/promises';
import { eventToDecision } from '../dedup/decideBatch.js';
import { IndexCache } from '../dedup/indexCache.js';
import type { Deduper } from '../dedup/types.js';
import { commitOperator, planForget, planUndo } from '../dedup/undo.js';
import type { EngineEvents } from '../engineEvents.js';
import { coerceError, MemdedupError } from '../errors.js';
import { FLAG_NAMES, type Flags } from '../flags/types.js';
import { deadLetterAtClaim, splitClaimed } from '../intake/claimedRows.js';
import { GroupCommit } from '../intake/groupCommit.js';
import type { ResolvedOptions } from '../options.js';
import { Policies } from '../policies/select.js';
import { Erasures } from '../queue/erasures.js';
import { Lanes } from '../queue/lanes.js';
import { LocalRetries } from '../queue/localRetries.js';
import { TimeSlicer } from '../queue/timeSlicer.js';
import { BatchRunner } from '../resilience/batchRunner.js';
import { failureKind, storeFaultRules } from '../resilience/retry.js';
import { StoreHealth, type StoreHealthSnapshot } from '../resilience/storeHealth.js';
import { Sweeper, type SweepOptions, type SweepResult } from '../resilience/sweeper.js';
import { UserBreakers, type BreakerState } from '../resilience/userBreakers.js';
import { erasedDecision } from '../store/tombstones.js';
import type { Partition, Store } from '../store/types.js';
import type { Candidate, Decision, MemdedupEvent, Memory } from '../types.js';
import { JournalState } from './journalState.js';

/** How often the journal is polled for due retries and rows no process holds. */
const POLL_MS = 500;
/** How long a claimed journal row belongs to this core before another may take it. */
const LEASE_MS = 10 * 60_000;
const CLAIM_CHUNK = 1000;
/** The sweep lease on a store one process owns (SQLite): long enough for any slice, short enough after a crash. */
const SWEEP_LEASE_MS = 60_000;
/** Synchronous batch work per event-loop turn before the loop is given back. */
const SLICE_MS = 4;

/**
 * Where a core's answers about candidates go: the host's Submissions, directly or through a worker's port. The
 * sink also emits the per-candidate events ('submitted' accepted/rejected, 'decided') on the host, so a worker
 * sends each candidate across once, not once for the answer and again for the event.
 */
export interface CoreSink {
  /** These rows are durable (in the journal): 'submitted' with status 'accepted' for each. */
  accepted(rows: Candidate[]): void;
  /** The store refused this row on its own at group commit: never durable, never retried. 'submitted' 'rejected'. */
  rejected(c: Candidate, message: string): void;
  /** `event`: emit 'decided' (false for answers that are not decisions: erased elsewhere, engine closed). */
  decided(c: Candidate, d: Decision, event: boolean): void;
}

export interface CoreDeps {
  options: ResolvedOptions;
  store: Store;
  flags: Flags;
  deduper: Deduper;
  emitter: EngineEvents;
  sink: CoreSink;
  /** The lease owner of this core's journal rows: one per worker, so a dead worker's rows can be released. */
  instanceId: string;
  /** The users this core decides, when the engine has several cores on one SQLite file. */
  partition?: Partition;
  warn: (obj: Record<string, unknown>, msg: string) => void;
  /** The host's, when the core runs in the host's thread: one Policies per thread, one warning per unknown variant. */
  policies?: Policies;
}

/** The core's part of EngineStatus. */
export interface CoreStatus {
  journal: { buffered: number; inflight: number; retrying: number; claimed: number };
  lanes: { queued: number; running: number; users: number; candidates: number };
  cache: { users: number; hits: number; misses: number };
  breakers: { provider: { embedder?: BreakerState; judge?: BreakerState }; user: { live: number; open: number } };
  store: StoreHealthSnapshot;
}

export class Core {
  private readonly o: ResolvedOptions;
  private readonly store: Store;
  private readonly flags: Flags;
  readonly deduper: Deduper;
  private readonly emitter: EngineEvents;
  private readonly sink: CoreSink;
  readonly instanceId: string;
  private readonly partition: Partition | undefined;
  readonly journal = new JournalState();
  readonly health: StoreHealth;
  readonly policies: Policies;
  private readonly intake: GroupCommit;
  private readonly lanes: Lanes;
  private readonly cache: IndexCache;
  private readonly runner: BatchRunner;
  private readonly erasures: Erasures;
  private readonly breakers: UserBreakers;
  private readonly localRetries: LocalRetries;
  private readonly sweeper: Sweeper;
  private pollTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** Lease and poll intervals: the store's when it is shared by processes (PostgreSQL), else the defaults. */
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private polling: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  constructor(d: CoreDeps) {
    const { options, store, flags, deduper } = d;
    this.o = options;
    this.store = store;
    this.flags = flags;
    this.deduper = deduper;
    this.emitter = d.emitter;
    this.sink = d.sink;
    this.instanceId = d.instanceId;
    this.partition = d.partition;
    this.leaseMs = store.timing?.leaseMs ?? LEASE_MS;
    this.pollMs = store.timing?.pollMs ?? POLL_MS;
    // Half the tombstone ttl: a cached state is never older than the tombstones that guard it.
    this.cache = new IndexCache(store, deduper, options.indexCacheUsers, options.tombstoneTtlMs / 2,
      (error) => this.emitter.safeEmit('error', { stage: 'vector-store', error: coerceError(error) }));
    this.erasures = new Erasures({ store, ttlMs: options.tombstoneTtlMs,
      onError: (stage, error) => this.emitter.safeEmit('error', { stage, error: coerceError(error) }) });
    this.health = new StoreHealth({ rules: storeFaultRules(options.retry.readOnlyStopAfterMs),
      onFault: (kind, stage) => this.emitter.safeEmit('store-fault', { kind, stage }),
      onError: (stage, error, count) => this.emitter.safeEmit('error', { stage, error, count }),
      onChange: (s) => this.onStoreHealth(s),
    });
    this.localRetries = new LocalRetries(this.health, (id) => this.journal.get(id),
      (w) => { const e = this.journal.get(w.candidate.id); if (!e) return; this.journal.move(e, 'queued'); this.lanes.enqueue(e.candidate); });
    this.policies = d.policies ?? new Policies(options.dedup, flags, (variant) =>
      d.warn({ variant, configured: this.policies.names }, 'memory.dedup-policy variant names no configured policy; using default'));
    const policyFor = (userId: string) => this.policies.forUser(userId);
    this.intake = new GroupCommit({
      store, maxRows: options.groupCommitRows, lease: () => ({ owner: this.instanceId, until: Date.now() + this.leaseMs }),
      onDurable: (rows) => { this.health.ok(); this.onDurable(rows); },
      onError: (error) => this.reportError('group-commit', error),
      onRejected: (rows) => this.onRejected(rows),
    });
    this.breakers = new UserBreakers({
      ...options.breakers.user,
      countsAsFailure: (e) => failureKind(e) === 'candidate',
      onTransition: (userId, state) => this.emitter.safeEmit('breaker', { scope: 'user', name: userId, state }),
    });
    this.sweeper = new Sweeper({
      store, deduper, events: this.emitter, policyFor, onError: (stage, error) => { this.reportError(stage, error); },
      providersUp: () => !Object.values(this.deduper.providerStates?.() ?? {}).includes('open'),
      userBlocked: (userId) => this.breakers.state(userId) === 'open',
      onCommitted: (userId) => this.cache.invalidate(userId),
      lease: { owner: this.instanceId, ttlMs: store.timing?.leaseMs ?? SWEEP_LEASE_MS },
    });
    // A breaker that closes (a user's, or a provider's, whoever emits it) means fallbacks can now get the full cascade.
    this.emitter.on('breaker', (e) => { if (e.state === 'closed') this.sweeper.kick(); });
    this.runner = new BatchRunner({
      breakers: this.breakers, fallback: options.fallback, deferMs: options.breakers.provider.resetTimeoutMs,
      guarded: (userId) => this.flags.isEnabled(FLAG_NAMES.circuitBreakers, { userId }, true),
      deps: { store, deduper, cache: this.cache, policyFor }, store, events: this.emitter, retry: options.retry, health: this.health,
      modeFor: (userId) => (this.flags.isEnabled(FLAG_NAMES.realtimeDedup, { userId }, true) ? 'full' : 'exact'),
      settle: (c, dec) => this.settle(c, dec),
      postpone: (c, at) => this.postpone(c, at),
    });
    this.lanes = new Lanes({
      concurrency: options.concurrency,
      batchSize: (userId) => (this.flags.isEnabled(FLAG_NAMES.batchProcessing, { userId }, true) ? options.batchSize : 1),
      run: (userId, batch) => this.runner.run(userId, batch),
      // Only when nothing in a batch waits on I/O; with PostgreSQL or a provider, awaits yield by themselves.
      slicer: store.kind === 'sqlite' && options.embedder.kind === 'lexical' && !options.judge ? new TimeSlicer(SLICE_MS) : undefined,
    });
  }

  /** Journal polling, the background sweep and tombstone expiry; not for a core next to a running server (`sweep` CLI). */
  start(): void {
    this.startPolling();
    this.sweeper.start();
    this.erasures.start();
  }

  // ---- intake ----------------------------------------------------------------------------------

  /** A validated candidate, already counted against the host's journal limit. A duplicate id in flight is ignored. */
  enqueue(c: Candidate): void {
    if (this.closing || this.journal.has(c.id)) return;
    this.journal.add(c, 'buffered');
    this.intake.push(c);
  }

  private onDurable(rows: Candidate[]): void {
    const durable: Candidate[] = [];
    for (const c of rows) {
      const entry = this.journal.get(c.id);
      if (!entry) continue;
      this.journal.move(entry, 'queued');
      durable.push(c);
    }
    this.sink.accepted(durable);
    for (const c of durable) this.lanes.enqueue(c);
  }

  /** Rows the store refused on their own: answered at once, forgotten, never retried (they were never durable). */
  private onRejected(rows: { row: Candidate; error: Error }[]): void {
    for (const { row, error } of rows) {
      if (!this.journal.delete(row.id)) continue;
      this.sink.rejected(row, error.message);
    }
  }

  private settle(c: Candidate, decision: Decision): void {
    if (decision.action === 'deferred') return this.postpone(c);
    // Decisions without an event (dead letters, erased users) still name the user's policy.
    const d = decision.policy === undefined ? { ...decision, policy: this.policies.forUser(c.userId).name } : decision;
    this.journal.delete(c.id);
    this.sink.decided(c, d, true);
  }

  private postpone(c: Candidate, localRetryAt?: number): void {
    const entry = this.journal.get(c.id);
    if (!entry) return;
    this.journal.move(entry, 'retry', c);
    if (localRetryAt !== undefined) this.localRetries.add(c.id, localRetryAt);
  }

  // ---- journal polling: retries that came due, rows left by a stopped process or worker ---------

  private startPolling(): void {
    this.pollTimer = setInterval(() => void this.poll(), this.pollMs);
    this.pollTimer.unref();
    // Only a store shared by processes (it sets `timing`) needs leases kept alive; one process owns a SQLite file.
    if (this.store.timing) {
      this.heartbeatTimer = setInterval(() => void this.heartbeat(), Math.max(50, Math.floor(this.leaseMs / 4)));
      this.heartbeatTimer.unref();
    }
    this.store.onWork?.(() => void this.poll());
    void this.poll();
  }

  /** Claims due journal rows of this core's users that it does not hold yet, and queues them. */
  poll(): Promise<void> {
    if (this.polling) return this.polling;
    this.polling = this.claim().finally(() => { this.polling = null; });
    return this.polling;
  }

  private async claim(): Promise<void> {
    const room = Math.min(CLAIM_CHUNK, this.o.journalLimit - this.journal.size);
    if (this.closing) return;
    this.localRetries.release();
    // Claiming writes leases: while the store fails, a one-row write probes it instead (when no batch took the probe).
    if (!this.health.writable) return this.health.probe('store-probe', () => this.store.setMeta('store.probe', String(Date.now())));
    if (room <= 0) return;
    let claimed: Candidate[];
    try {
      claimed = await this.store.claimJournal(this.instanceId, room, this.leaseMs, undefined, this.partition);
    } catch (e) {
      this.reportError('journal-claim', coerceError(e));
      return;
    }
    const { valid: rows, invalid } = splitClaimed(claimed);
    if (invalid.length > 0) await deadLetterAtClaim(this.store, this.emitter, invalid);
    for (const row of rows) {
      const entry = this.journal.get(row.id);
      if (entry && entry.state !== 'retry') continue;
      if (entry) this.journal.move(entry, 'queued', row);
      else this.journal.add(row, 'queued', true);
      this.lanes.enqueue(row);
    }
  }

  /**
   * Keeps this core's leases alive while its rows wait in lanes, and settles rows it was waiting to retry
   * that another process decided meanwhile (shared stores let any process claim a due retry).
   */
  private async heartbeat(): Promise<void> {
    const ids: string[] = [];
    for (const e of this.journal.values()) if (e.state !== 'buffered') ids.push(e.candidate.id);
    if (ids.length === 0 || this.closing) return;
    try {
      const gone = (await this.store.renewLeases(this.instanceId, ids, this.leaseMs)).filter((id) => this.journal.get(id)?.state === 'retry');
      this.health.ok();
      if (gone.length === 0) return;
      const events = new Map((await this.store.eventsForCandidates(gone)).map((e) => [e.candidateId!, e]));
      for (const id of gone) {
        const entry = this.journal.get(id);
        if (!entry || entry.state !== 'retry') continue;
        const e = events.get(id);
        if (e) { this.settle(entry.candidate, eventToDecision(e)); continue; }
        // Neither in the journal nor decided: erased (right to erasure) by another process.
        this.journal.delete(id);
        this.sink.decided(entry.candidate, { candidateId: id, userId: entry.candidate.userId, action: 'deferred', reasons: ['erased'] }, false);
      }
    } catch (e) {
      this.reportError('journal-heartbeat', coerceError(e));
    }
  }

  /** Store faults go to StoreHealth (counted, coalesced, paced); anything else is an error event as it comes. */
  private reportError(stage: string, error: Error): number | undefined {
    const delayMs = this.health.report(stage, error);
    if (delayMs === undefined) this.emitter.safeEmit('error', { stage, error });
    return delayMs;
  }

  /** Back to healthy: everything that waited for the store goes at once, not at its backoff. */
  private onStoreHealth(s: StoreHealthSnapshot): void {
    this.emitter.safeEmit('store', s);
    if (s.state !== 'healthy') return;
    this.localRetries.dueNow();
    if (this.pollTimer) void this.poll();
  }

  // ---- what needs a user's index or lane -------------------------------------------------------

  /** The memories worth putting in a prompt: nearest to `query`, or the most reinforced. */
  async recall(userId: string, q: { query?: string; limit: number }): Promise<Memory[]> {
    const state = await this.cache.load(userId);
    if (q.query && q.query.trim()) {
      const [p] = await this.deduper.prepare([q.query]);
      return state.index.search(p!, q.limit).map((n) => state.memories.get(n.id)).filter((m): m is Memory => !!m);
    }
    return [...state.memories.values()].sort((a, b) => b.seenCount - a.seenCount || b.updatedAt - a.updatedAt).slice(0, q.limit);
  }

  async undo(eventId: string): Promise<MemdedupEvent> {
    const e = await this.store.event(eventId);
    if (!e) throw new MemdedupError('NOT_FOUND', `event ${eventId} not found`);
    const undo = await commitOperator(this.store, this.cache, e.userId, () => planUndo(this.store, e, Date.now()));
    this.emitter.safeEmit('undone', { event: e, undo });
    return undo;
  }

  forget(userId: string, memoryId: string): Promise<MemdedupEvent> {
    return commitOperator(this.store, this.cache, userId, () => planForget(this.store, userId, memoryId, Date.now(), this.policies.forUser(userId).name));
  }

  /** Right to erasure; `at` is the erase time: the user's candidates accepted up to then are dropped everywhere. */
  async erase(userId: string, at: number): Promise<{ removed: number }> {
    // Buffered candidates become journal rows, so the delete takes them too.
    await this.intake.flush();
    const removed = await this.erasures.erase(userId, at);
    // Waiting here for a retry: their journal rows are gone, nothing would bring them back.
    for (const entry of [...this.journal.values()]) {
      const c = entry.candidate;
      if (c.userId === userId && entry.state === 'retry' && c.acceptedAt <= at) this.settle(c, erasedDecision(c));
    }
    this.cache.invalidate(userId);
    this.breakers.forget(userId);
    return { removed };
  }

  sweep(opts: SweepOptions): Promise<SweepResult> {
    return this.sweeper.sweep(opts);
  }

  recheckBacklog(userId?: string): Promise<number> {
    return this.sweeper.count(userId);
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Everything handed to this core is durable (group commit flushed). */
  flush(): Promise<void> {
    return this.intake.flush();
  }

  /** Resolves when this core holds nothing and the journal is empty (true), or at the timeout (false). */
  async drain(timeoutMs = Infinity): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.intake.flush();
      await Promise.race([this.lanes.onIdle(), sleep(Math.max(0, Math.min(1000, deadline - Date.now())))]);
      if (this.journal.size === 0 && this.intake.size === 0 && this.lanes.depth === 0) {
        if ((await this.store.journalDepth()) === 0) return true;
      }
      if (Date.now() >= deadline) return false;
      await this.poll();
      if (this.lanes.depth === 0) await sleep(20);
    }
  }

  /** Idempotent. Makes buffered candidates durable, lets running batches finish, leaves the rest in the journal. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.erasures.stop();
    await this.sweeper.stop();
    await this.intake.flush();
    this.intake.stop();
    this.lanes.pause();
    await this.lanes.onRunningDone();
    for (const entry of this.journal.values()) {
      const c = entry.candidate;
      this.sink.decided(c, { candidateId: c.id, userId: c.userId, action: 'deferred', reasons: ['engine-closed'] }, false);
    }
    this.journal.clear();
    this.lanes.clear();
    // What this core leaves undecided is free for its peers now, not when the leases run out.
    await this.store.releaseLeases(this.instanceId).catch((e: unknown) => this.emitter.safeEmit('error', { stage: 'journal-release', error: coerceError(e) }));
    this.health.close();
    this.breakers.shutdown();
    this.deduper.close?.();
  }

  status(): CoreStatus {
    return {
      journal: { buffered: this.intake.size, inflight: this.journal.size, retrying: this.journal.retries, claimed: this.journal.claimed },
      lanes: { queued: this.lanes.queued, running: this.lanes.running, users: this.lanes.users, candidates: this.lanes.depth },
      cache: { users: this.cache.size, hits: this.cache.hits, misses: this.cache.misses },
      breakers: { provider: { ...this.deduper.providerStates?.() }, user: { live: this.breakers.live, open: this.breakers.open } },
      store: this.health.snapshot(),
    };
  }
}
