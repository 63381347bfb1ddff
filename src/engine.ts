// The engine: a thin wiring of intake (validate, flag, group commit), lanes, the cascade and the store.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cascade } from './dedup/cascade.js';
import { eventToDecision } from './dedup/decideBatch.js';
import { IndexCache } from './dedup/indexCache.js';
import type { Deduper } from './dedup/types.js';
import { commitOperator, planForget, planUndo } from './dedup/undo.js';
import { EngineEvents } from './engineEvents.js';
import { coerceError, MemdedupError } from './errors.js';
import { createFlags, defaultFlagsFiles } from './flags/index.js';
import { FLAG_NAMES, type Flags } from './flags/types.js';
import { deadLetterAtClaim, splitClaimed } from './intake/claimedRows.js';
import { GroupCommit } from './intake/groupCommit.js';
import { DURABLE, newInflight, rejectByStore, settledSubmission, type Inflight } from './intake/inflight.js';
import { validateCandidate, validateId } from './intake/validate.js';
import { resolveOptions, type EngineOptions, type ResolvedOptions } from './options.js';
import { Erasures } from './queue/erasures.js';
import { Lanes } from './queue/lanes.js';
import { LocalRetries } from './queue/localRetries.js';
import { TimeSlicer } from './queue/timeSlicer.js';
import { Observability } from './metrics/index.js';
import { Policies } from './policies/select.js';
import { BatchRunner } from './resilience/batchRunner.js';
import { failureKind, storeFaultRules } from './resilience/retry.js';
import { StoreHealth, type StoreHealthSnapshot } from './resilience/storeHealth.js';
import { Sweeper, type SweepOptions, type SweepResult } from './resilience/sweeper.js';
import { UserBreakers, type BreakerState } from './resilience/userBreakers.js';
import { collectPages } from './store/cursor.js';
import { openStore } from './store/index.js';
import { erasedDecision } from './store/tombstones.js';
import type { Page, Store } from './store/types.js';
import type { Candidate, Decision, MemdedupEvent, Memory, MemoryStatus, Submission } from './types.js';

/** Test and tooling seams, deliberately not part of EngineOptions. */
export interface EngineInternals {
  /** Wraps the deduper (fault injection in tests). */
  deduper?: (base: Deduper) => Deduper;
  /** false: no journal poller and no background sweep (the `sweep` CLI next to a running server). */
  background?: boolean;
  /** Replaces submit()'s validation (tests: get a row the store refuses past the text rules). */
  validate?: (input: unknown) => Candidate;
}

/** How often the journal is polled for due retries and rows no process holds. */
const POLL_MS = 500;
/** How long a claimed journal row belongs to this process before another may take it. */
const LEASE_MS = 10 * 60_000;
const CLAIM_CHUNK = 1000;
/** The sweep lease on a store one process owns (SQLite): long enough for any slice, short enough after a crash. */
const SWEEP_LEASE_MS = 60_000;
/** Synchronous batch work per event-loop turn before the host gets the loop back. */
const SLICE_MS = 4;

export interface EngineStatus {
  closed: boolean;
  journal: { buffered: number; inflight: number; limit: number; retrying: number };
  lanes: { queued: number; running: number; users: number; candidates: number };
  cache: { users: number; hitRate: number; hits: number; misses: number };
  flags: { mode: Flags['mode']; synchronized: boolean };
  /** Provider breakers present only when that provider is configured; user breakers live now and open now. */
  breakers: { provider: { embedder?: BreakerState; judge?: BreakerState }; user: { live: number; open: number } };
  /** Whether the store takes writes; while not healthy, why (readiness check `store-writable`). */
  store: StoreHealthSnapshot;
  [section: string]: unknown;
}

export class Engine {
  readonly options: ResolvedOptions;
  readonly emitter = new EngineEvents();
  readonly instanceId = randomUUID();
  private readonly inflight = new Map<string, Inflight>();
  private readonly intake: GroupCommit;
  private readonly lanes: Lanes;
  private readonly cache: IndexCache;
  private readonly runner: BatchRunner;
  private readonly erasures: Erasures;
  private pollTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** Lease and poll intervals: the store's when it is shared by processes (PostgreSQL), else the defaults. */
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private polling: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  /** Metrics, alert state and logs; `registry`, `logger` and `alerts` are its parts. */
  readonly observability: Observability;
  get registry(): Observability['registry'] { return this.observability.registry; }
  get logger(): Observability['logger'] { return this.observability.logger; }
  get alerts(): Observability['alerts'] { return this.observability.alerts; }
  private readonly breakers: UserBreakers;
  private readonly localRetries: LocalRetries;
  private readonly sweeper: Sweeper;
  private validate: (input: unknown) => Candidate = validateCandidate;
  /** Whether the store takes writes; every stage reports its store faults here. */
  readonly health: StoreHealth;
  /** Dedup policies by name, and each user's from the `memory.dedup-policy` flag's variant. */
  readonly policies: Policies;

  private constructor(options: ResolvedOptions, readonly store: Store, readonly flags: Flags, readonly deduper: Deduper) {
    this.options = options;
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
    this.localRetries = new LocalRetries(this.health, (id) => this.inflight.get(id),
      (e) => { e.state = 'queued'; this.lanes.enqueue(e.candidate); });
    this.policies = new Policies(options.dedup, flags, (variant) =>
      this.logger.warn({ variant, configured: this.policies.names }, 'memory.dedup-policy variant names no configured policy; using default'));
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
      settle: (c, d) => this.settle(c, d),
      postpone: (c, at) => this.postpone(c, at),
    });
    this.lanes = new Lanes({
      concurrency: options.concurrency,
      batchSize: (userId) => (this.flags.isEnabled(FLAG_NAMES.batchProcessing, { userId }, true) ? options.batchSize : 1),
      run: (userId, batch) => this.runner.run(userId, batch),
      // Only when nothing in a batch waits on I/O; with PostgreSQL or a provider, awaits yield by themselves.
      slicer: store.kind === 'sqlite' && options.embedder.kind === 'lexical' && !options.judge ? new TimeSlicer(SLICE_MS) : undefined,
    });
    this.observability = new Observability(this, options);
  }

  static async create(options?: EngineOptions, internals: EngineInternals = {}): Promise<Engine> {
    const o = resolveOptions(options);
    // Flags first: a flags file that cannot be read fails before the store creates its folder.
    const flags: Flags = await createFlags(o.flags, { defaults: defaultFlagsFiles(o.store) });
    let store: Store;
    try {
      store = await openStore(o.store);
    } catch (e) {
      await flags.close();
      throw e;
    }
    let emitBreaker: (name: string, state: 'open' | 'halfOpen' | 'closed') => void = () => {};
    const base: Deduper = new Cascade({ topK: o.topK, thresholds: o.dedup.thresholds, embedder: o.embedder, judge: o.judge,
      breaker: o.breakers.provider, onBreaker: (name, state) => emitBreaker(name, state),
      onProviderCall: (provider, durationMs, outcome) => engine.emitter.safeEmit('provider', { provider, durationMs, outcome }) });
    const engine = new Engine(o, store, flags, internals.deduper ? internals.deduper(base) : base);
    if (internals.validate) engine.validate = internals.validate;
    emitBreaker = (name, state) => engine.emitter.safeEmit('breaker', { scope: 'provider', name, state });
    if (internals.background !== false) { engine.startPolling(); engine.sweeper.start(); engine.erasures.start(); }
    engine.observability.start();
    return engine;
  }

  // ---- chat path -------------------------------------------------------------------------------

  /** Synchronous and cheap: validate, one flag check, append to the group-commit buffer. */
  submit(input: unknown): Submission {
    if (this.closing) throw new MemdedupError('CLOSED', 'the engine is closing; submit to a running engine');
    const c = this.validate(input);
    const existing = this.inflight.get(c.id);
    if (existing) return existing.submission;
    if (!this.flags.isEnabled(FLAG_NAMES.enabled, { userId: c.userId }, true)) {
      this.emitter.safeEmit('submitted', { candidate: c, status: 'disabled' });
      return settledSubmission(c, 'disabled', { candidateId: c.id, userId: c.userId, action: 'disabled', reasons: ['memory.enabled-off'] });
    }
    if (this.inflight.size >= this.options.journalLimit) {
      this.emitter.safeEmit('submitted', { candidate: c, status: 'overloaded' });
      return settledSubmission(c, 'overloaded', { candidateId: c.id, userId: c.userId, action: 'deferred', reasons: ['overloaded-not-accepted'] });
    }
    const entry = this.track(c, 'buffered');
    this.intake.push(c);
    return entry.submission;
  }

  private track(c: Candidate, state: Inflight['state']): Inflight {
    const entry = newInflight(c, state);
    this.inflight.set(c.id, entry);
    return entry;
  }

  private onDurable(rows: Candidate[]): void {
    for (const c of rows) {
      const entry = this.inflight.get(c.id);
      if (!entry) continue;
      entry.resolveAccepted(DURABLE);
      entry.state = 'queued';
      this.emitter.safeEmit('submitted', { candidate: c, status: 'accepted' });
      this.lanes.enqueue(c);
    }
  }

  /** Rows the store refused on their own: answered at once, forgotten, never retried (they were never durable). */
  private onRejected(rows: { row: Candidate; error: Error }[]): void {
    for (const { row, error } of rows) {
      const entry = this.inflight.get(row.id);
      if (!entry) continue;
      this.inflight.delete(row.id);
      rejectByStore(entry, error);
      this.emitter.safeEmit('submitted', { candidate: row, status: 'rejected', error: error.message });
    }
  }

  private settle(c: Candidate, decision: Decision): void {
    const entry = this.inflight.get(c.id);
    if (decision.action === 'deferred') return this.postpone(c);
    // Decisions without an event (dead letters, erased users) still name the user's policy.
    const d = decision.policy === undefined ? { ...decision, policy: this.policies.forUser(c.userId).name } : decision;
    this.inflight.delete(c.id);
    entry?.resolveDecided(d);
    this.emitter.safeEmit('decided', { candidate: c, decision: d, latencyMs: Date.now() - c.acceptedAt });
  }

  private postpone(c: Candidate, localRetryAt?: number): void {
    const entry = this.inflight.get(c.id);
    if (!entry) return;
    entry.state = 'retry';
    entry.candidate = c;
    if (localRetryAt !== undefined) this.localRetries.add(c.id, localRetryAt);
  }

  // ---- journal polling: retries that came due, rows left by a stopped process ------------------

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

  /** Claims due journal rows this process does not hold yet and queues them. */
  poll(): Promise<void> {
    if (this.polling) return this.polling;
    this.polling = this.claim().finally(() => { this.polling = null; });
    return this.polling;
  }

  private async claim(): Promise<void> {
    const room = Math.min(CLAIM_CHUNK, this.options.journalLimit - this.inflight.size);
    if (this.closing) return;
    this.localRetries.release();
    // Claiming writes leases: while the store fails, a one-row write probes it instead (when no batch took the probe).
    if (!this.health.writable) return this.health.probe('store-probe', () => this.store.setMeta('store.probe', String(Date.now())));
    if (room <= 0) return;
    let claimed: Candidate[];
    try {
      claimed = await this.store.claimJournal(this.instanceId, room, this.leaseMs);
    } catch (e) {
      this.reportError('journal-claim', coerceError(e));
      return;
    }
    const { valid: rows, invalid } = splitClaimed(claimed);
    if (invalid.length > 0) await deadLetterAtClaim(this.store, this.emitter, invalid);
    for (const row of rows) {
      const entry = this.inflight.get(row.id);
      if (entry && entry.state !== 'retry') continue;
      if (entry) { entry.state = 'queued'; entry.candidate = row; } else { this.track(row, 'queued').resolveAccepted(DURABLE); }
      this.lanes.enqueue(row);
    }
  }

  /**
   * Keeps this process's leases alive while its rows wait in lanes, and settles rows it was waiting to retry
   * that another process decided meanwhile (shared stores let any process claim a due retry).
   */
  private async heartbeat(): Promise<void> {
    const ids: string[] = [];
    for (const [id, e] of this.inflight) if (e.state !== 'buffered') ids.push(id);
    if (ids.length === 0 || this.closing) return;
    try {
      const gone = (await this.store.renewLeases(this.instanceId, ids, this.leaseMs)).filter((id) => this.inflight.get(id)?.state === 'retry');
      this.health.ok();
      if (gone.length === 0) return;
      const events = new Map((await this.store.eventsForCandidates(gone)).map((e) => [e.candidateId!, e]));
      for (const id of gone) {
        const entry = this.inflight.get(id);
        if (!entry || entry.state !== 'retry') continue;
        const e = events.get(id);
        if (e) { this.settle(entry.candidate, eventToDecision(e)); continue; }
        // Neither in the journal nor decided: erased (right to erasure) by another process.
        this.inflight.delete(id);
        entry.resolveDecided({ candidateId: id, userId: entry.candidate.userId, action: 'deferred', reasons: ['erased'] });
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

  // ---- reads -----------------------------------------------------------------------------------

  async memories(userId: string, q: { status?: MemoryStatus | 'all' } = {}): Promise<Memory[]> {
    return collectPages((cursor) => this.memoriesPage(userId, { status: q.status, cursor, limit: 1000 }));
  }

  async memoriesPage(userId: string, q: { status?: MemoryStatus | 'all'; limit?: number; cursor?: string }): Promise<Page<Memory>> {
    validateId('userId', userId, 128);
    return this.store.memories(userId, q);
  }

  async events(userId: string): Promise<MemdedupEvent[]> {
    return collectPages((cursor) => this.eventsPage(userId, { cursor, limit: 1000 }));
  }

  async eventsPage(userId: string, q: { limit?: number; cursor?: string }): Promise<Page<MemdedupEvent>> {
    validateId('userId', userId, 128);
    return this.store.events(userId, q);
  }

  /** The memories worth putting in a prompt: nearest to `query`, or the most reinforced. */
  async recall(userId: string, q: { query?: string; limit?: number } = {}): Promise<Memory[]> {
    validateId('userId', userId, 128);
    const limit = Math.max(1, Math.min(100, q.limit ?? 10));
    if (!this.flags.isEnabled(FLAG_NAMES.enhancedPrompts, { userId }, true)) return [];
    const state = await this.cache.load(userId);
    if (q.query && q.query.trim()) {
      const [p] = await this.deduper.prepare([q.query]);
      return state.index.search(p!, limit).map((n) => state.memories.get(n.id)).filter((m): m is Memory => !!m);
    }
    return [...state.memories.values()].sort((a, b) => b.seenCount - a.seenCount || b.updatedAt - a.updatedAt).slice(0, limit);
  }

  // ---- operator actions ------------------------------------------------------------------------

  /** Reverses an event; the reversal is recorded as an `undo` event, which is returned. */
  async undo(eventId: string): Promise<MemdedupEvent> {
    validateId('eventId', eventId, 128);
    const e = await this.store.event(eventId);
    if (!e) throw new MemdedupError('NOT_FOUND', `event ${eventId} not found`);
    const undo = await commitOperator(this.store, this.cache, e.userId, () => planUndo(this.store, e, Date.now()));
    this.emitter.safeEmit('undone', { event: e, undo });
    return undo;
  }

  /** Forgets a memory (status `forgotten`, never deleted), recorded as a `forget` event. */
  async forget(userId: string, memoryId: string): Promise<MemdedupEvent> {
    validateId('userId', userId, 128);
    validateId('memoryId', memoryId, 128);
    return commitOperator(this.store, this.cache, userId, () => planForget(this.store, userId, memoryId, Date.now(), this.policies.forUser(userId).name));
  }

  /** Right to erasure: every row of the user, gone. The only hard delete. */
  async erase(userId: string): Promise<{ removed: number }> {
    validateId('userId', userId, 128);
    // The erase time: the user's candidates accepted up to now are dropped by any process that tries to commit them.
    const at = Date.now();
    // Buffered candidates become journal rows, so the delete takes them too.
    await this.intake.flush();
    const removed = await this.erasures.erase(userId, at);
    // Waiting here for a retry: their journal rows are gone, nothing would bring them back.
    for (const entry of this.inflight.values()) {
      const c = entry.candidate;
      if (c.userId === userId && entry.state === 'retry' && c.acceptedAt <= at) this.settle(c, erasedDecision(c));
    }
    this.cache.invalidate(userId);
    this.breakers.forget(userId);
    return { removed };
  }

  async deadLetters(): Promise<Candidate[]> {
    return this.store.deadLetters();
  }

  /** Puts dead letters back in the journal and queues them; resolves with how many. */
  async redrive(ids?: string[]): Promise<{ redriven: number }> {
    const rows = await this.store.redrive(ids);
    await this.poll();
    return { redriven: rows.length };
  }

  /** Re-dedups the memories flagged needsRecheck (fallbacks, realtime-dedup off): one full pass. */
  async sweep(opts: SweepOptions = {}): Promise<SweepResult> {
    if (opts.userId !== undefined) validateId('userId', opts.userId, 128);
    return this.sweeper.sweep(opts);
  }

  /** Flagged memories waiting for the sweep. */
  async recheckBacklog(userId?: string): Promise<number> {
    return this.sweeper.count(userId);
  }

  /** Looks up the decision recorded for a candidate id. */
  async decision(candidateId: string): Promise<Decision | undefined> {
    const [e] = await this.store.eventsForCandidates([candidateId]);
    return e ? eventToDecision(e) : undefined;
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Resolves when every accepted candidate has been decided (true), or at the timeout (false). */
  async drain(timeoutMs = Infinity): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.intake.flush();
      await Promise.race([this.lanes.onIdle(), sleep(Math.max(0, Math.min(1000, deadline - Date.now())))]);
      if (this.inflight.size === 0 && this.intake.size === 0 && this.lanes.depth === 0) {
        if ((await this.store.journalDepth()) === 0) return true;
      }
      if (Date.now() >= deadline) return false;
      await this.poll();
      if (this.lanes.depth === 0) await sleep(20);
    }
  }

  /** Idempotent. Makes buffered candidates durable, lets in-flight batches finish, leaves the rest in the journal. */
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
    for (const entry of this.inflight.values()) {
      entry.resolveDecided({ candidateId: entry.candidate.id, userId: entry.candidate.userId, action: 'deferred', reasons: ['engine-closed'] });
    }
    this.inflight.clear();
    this.lanes.clear();
    // What this process leaves undecided is free for its peers now, not when the leases run out.
    await this.store.releaseLeases(this.instanceId).catch((e: unknown) => this.emitter.safeEmit('error', { stage: 'journal-release', error: coerceError(e) }));
    // After the last batches, so their metrics and log lines are kept.
    this.health.close();
    this.observability.close();
    this.breakers.shutdown();
    await this.flags.close();
    this.deduper.close?.();
    await this.store.close();
  }

  status(): EngineStatus {
    let retrying = 0;
    for (const e of this.inflight.values()) if (e.state === 'retry') retrying++;
    return {
      closed: this.closing !== null,
      journal: { buffered: this.intake.size, inflight: this.inflight.size, limit: this.options.journalLimit, retrying },
      lanes: { queued: this.lanes.queued, running: this.lanes.running, users: this.lanes.users, candidates: this.lanes.depth },
      cache: { users: this.cache.size, hitRate: this.cache.hitRate, hits: this.cache.hits, misses: this.cache.misses },
      flags: { mode: this.flags.mode, synchronized: this.flags.synchronized },
      breakers: { provider: { ...this.deduper.providerStates?.() }, user: { live: this.breakers.live, open: this.breakers.open } },
      store: this.health.snapshot(),
    };
  }
}

/** Creates an engine on the embedded defaults, or on the options given. */
export function createEngine(options?: EngineOptions): Promise<Engine> {
  return Engine.create(options);
}
