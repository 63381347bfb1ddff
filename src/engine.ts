// The engine as its host sees it: submit() and its promises, reads, operator actions, metrics, lifecycle.
// The deciding runs behind a Backend (src/core/backend.ts): worker threads by default (src/worker/pool.ts), or one
// Core in this thread (thread: 'inline'). Either way this class keeps the one flags client, the one Registry and
// logger, and answers `accepted`/`decided` from Submissions.
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { InlineBackend, type Backend, type ThreadsStatus } from './core/backend.js';
import { Core } from './core/core.js';
import { hostSink } from './core/hostSink.js';
import { createDeduper } from './core/deduper.js';
import { eventToDecision } from './dedup/decideBatch.js';
import type { Deduper } from './dedup/types.js';
import { EngineEvents } from './engineEvents.js';
import { MemdedupError } from './errors.js';
import { createFlags, defaultFlagsFiles } from './flags/index.js';
import { FLAG_NAMES, type Flags } from './flags/types.js';
import { settledSubmission, Submissions } from './intake/submissions.js';
import { validateCandidate, validateId } from './intake/validate.js';
import { resolveOptions, type EngineOptions, type ResolvedOptions } from './options.js';
import { Observability } from './metrics/index.js';
import { Policies } from './policies/select.js';
import type { StoreHealthSnapshot } from './resilience/storeHealth.js';
import type { SweepOptions, SweepResult } from './resilience/sweeper.js';
import type { BreakerState } from './resilience/userBreakers.js';
import { collectPages } from './store/cursor.js';
import { openStore } from './store/index.js';
import type { Page, Store } from './store/types.js';
import type { Candidate, Decision, MemdedupEvent, Memory, MemoryStatus, Submission } from './types.js';
import { loadHooks } from './worker/hooks.js';
import { WorkerPool } from './worker/pool.js';

/** Test and tooling seams, deliberately not part of EngineOptions. */
export interface EngineInternals {
  /** Wraps the deduper (fault injection in tests). A function cannot cross into a worker: implies thread 'inline'. */
  deduper?: (base: Deduper) => Deduper;
  /**
   * A module (path or file URL) exporting `deduper(base, partition)` and/or `store(base, partition)` wrappers
   * (src/worker/hooks.ts): fault injection that works in both thread modes.
   */
  workerHooks?: string;
  /** false: no journal poller and no background sweep (the `sweep` CLI next to a running server). */
  background?: boolean;
  /** Replaces submit()'s validation (tests: get a row the store refuses past the text rules). */
  validate?: (input: unknown) => Candidate;
}

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
  /** Where the deciding runs; 'stopped' after repeated worker crashes (readiness check `workers-running`). */
  threads: ThreadsStatus;
  [section: string]: unknown;
}

/** The worker thread's script: next to this file once built; from the sources (tests), the built copy in dist/. */
function workerEntry(): URL {
  const here = new URL('./worker/entry.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return here;
  const built = new URL('../dist/worker/entry.js', import.meta.url);
  if (!existsSync(fileURLToPath(built))) {
    throw new MemdedupError('INTERNAL', `thread 'worker' needs the built worker script ${fileURLToPath(built)}: run npm run build`);
  }
  return built;
}

export class Engine {
  readonly options: ResolvedOptions;
  readonly instanceId = randomUUID();
  /** Metrics, alert state and logs; `registry`, `logger` and `alerts` are its parts. */
  readonly observability: Observability;
  get registry(): Observability['registry'] { return this.observability.registry; }
  get logger(): Observability['logger'] { return this.observability.logger; }
  get alerts(): Observability['alerts'] { return this.observability.alerts; }
  /** Dedup policies by name, and each user's from the `memory.dedup-policy` flag's variant. */
  readonly policies: Policies;
  private readonly submissions = new Submissions();
  private backend!: Backend;
  private validate: (input: unknown) => Candidate = validateCandidate;
  private closing: Promise<void> | null = null;

  /**
   * `store` is this thread's connection: reads, and in worker mode what the host itself writes (a dead worker's
   * leases, dead-letter redrives). `deduper` decides inline; in worker mode each worker has its own.
   */
  private constructor(options: ResolvedOptions, readonly store: Store, readonly flags: Flags, readonly deduper: Deduper,
    readonly emitter: EngineEvents) {
    this.options = options;
    this.policies = new Policies(options.dedup, flags, (variant) =>
      this.logger.warn({ variant, configured: this.policies.names }, 'memory.dedup-policy variant names no configured policy; using default'));
    this.observability = new Observability(this, options);
  }

  static async create(options?: EngineOptions, internals: EngineInternals = {}): Promise<Engine> {
    const o = resolveOptions(options);
    // A function seam cannot cross into a worker thread, and an in-memory SQLite database is one connection's
    // alone: such an engine decides in this thread.
    const memoryDb = o.store.kind === 'sqlite' && (o.store.path === ':memory:' || o.store.path === '');
    if ((internals.deduper || memoryDb) && o.thread === 'worker') o.thread = 'inline';
    // Flags first: a flags file that cannot be read fails before the store creates its folder.
    const flags: Flags = await createFlags(o.flags, { defaults: defaultFlagsFiles(o.store) });
    let store: Store;
    try {
      store = await openStore(o.store);
    } catch (e) {
      await flags.close();
      throw e;
    }
    const emitter = new EngineEvents();
    let deduper = createDeduper(o, emitter);
    if (internals.deduper) deduper = internals.deduper(deduper);
    const engine = new Engine(o, store, flags, deduper, emitter);
    if (internals.validate) engine.validate = internals.validate;
    try {
      engine.backend = o.thread === 'worker' ? await engine.startWorkers(internals) : await engine.startInline(internals);
    } catch (e) {
      engine.observability.close();
      await flags.close();
      await store.close();
      throw e;
    }
    engine.observability.start();
    return engine;
  }

  private async startInline(internals: EngineInternals): Promise<Backend> {
    const hooks = await loadHooks(internals.workerHooks);
    const s = this.submissions;
    const core = new Core({
      options: this.options, store: hooks.store ? hooks.store(this.store, 0) : this.store, flags: this.flags,
      deduper: hooks.deduper ? hooks.deduper(this.deduper, 0) : this.deduper,
      emitter: this.emitter, instanceId: this.instanceId, policies: this.policies,
      sink: hostSink(s, this.emitter),
      warn: (obj, msg) => this.logger.warn(obj, msg),
    });
    if (internals.background !== false) core.start();
    return new InlineBackend(core);
  }

  private async startWorkers(internals: EngineInternals): Promise<Backend> {
    const { logger: _l, registry: _r, ...options } = this.options;
    const pool = new WorkerPool({
      workers: this.options.workers,
      entry: workerEntry(),
      init: { options, background: internals.background !== false, hooks: internals.workerHooks },
      host: {
        submissions: this.submissions, emitter: this.emitter, flags: this.flags, store: this.store,
        log: (level, obj, msg) => this.logger[level](obj, msg),
        countFlags: (flag, off, on) => this.observability.flagCounts.add(flag, off, on),
      },
    });
    try {
      await pool.start();
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  // ---- chat path -------------------------------------------------------------------------------

  /** Synchronous and cheap: validate, one flag check, hand to the backend (buffered, posted once per tick). */
  submit(input: unknown): Submission {
    if (this.closing) throw new MemdedupError('CLOSED', 'the engine is closing; submit to a running engine');
    const c = this.validate(input);
    const existing = this.submissions.existing(c.id);
    if (existing) return existing;
    if (!this.flags.isEnabled(FLAG_NAMES.enabled, { userId: c.userId }, true)) {
      this.emitter.safeEmit('submitted', { candidate: c, status: 'disabled' });
      return settledSubmission(c, 'disabled', { candidateId: c.id, userId: c.userId, action: 'disabled', reasons: ['memory.enabled-off'] });
    }
    if (this.inflight() >= this.options.journalLimit) {
      this.emitter.safeEmit('submitted', { candidate: c, status: 'overloaded' });
      return settledSubmission(c, 'overloaded', { candidateId: c.id, userId: c.userId, action: 'deferred', reasons: ['overloaded-not-accepted'] });
    }
    const submission = this.submissions.add(c);
    this.backend.submit(c);
    return submission;
  }

  /** Accepted-but-undecided candidates: this engine's submissions, and journal rows its cores took over. */
  private inflight(): number {
    return this.submissions.size + this.backend.claimed();
  }

  // ---- reads: this thread's store connection; never waiting on the deciding -------------------

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

  /** The memories worth putting in a prompt: nearest to `query`, or the most reinforced (the user's index cache). */
  async recall(userId: string, q: { query?: string; limit?: number } = {}): Promise<Memory[]> {
    validateId('userId', userId, 128);
    const limit = Math.max(1, Math.min(100, q.limit ?? 10));
    if (!this.flags.isEnabled(FLAG_NAMES.enhancedPrompts, { userId }, true)) return [];
    return (await this.backend.call(userId, 'recall', userId, { query: q.query, limit })) as Memory[];
  }

  async deadLetters(): Promise<Candidate[]> {
    return this.store.deadLetters();
  }

  /** Looks up the decision recorded for a candidate id. */
  async decision(candidateId: string): Promise<Decision | undefined> {
    const [e] = await this.store.eventsForCandidates([candidateId]);
    return e ? eventToDecision(e) : undefined;
  }

  // ---- operator actions: run by the core that owns the user ----------------------------------

  /** Reverses an event; the reversal is recorded as an `undo` event, which is returned. */
  async undo(eventId: string): Promise<MemdedupEvent> {
    validateId('eventId', eventId, 128);
    const e = await this.store.event(eventId);
    if (!e) throw new MemdedupError('NOT_FOUND', `event ${eventId} not found`);
    return (await this.backend.call(e.userId, 'undo', eventId)) as MemdedupEvent;
  }

  /** Forgets a memory (status `forgotten`, never deleted), recorded as a `forget` event. */
  async forget(userId: string, memoryId: string): Promise<MemdedupEvent> {
    validateId('userId', userId, 128);
    validateId('memoryId', memoryId, 128);
    return (await this.backend.call(userId, 'forget', userId, memoryId)) as MemdedupEvent;
  }

  /** Right to erasure: every row of the user, gone. The only hard delete. */
  async erase(userId: string): Promise<{ removed: number }> {
    validateId('userId', userId, 128);
    // The erase time: the user's candidates accepted up to now are dropped by any process that tries to commit them.
    return (await this.backend.call(userId, 'erase', userId, Date.now())) as { removed: number };
  }

  /** Puts dead letters back in the journal and queues them; resolves with how many. */
  async redrive(ids?: string[]): Promise<{ redriven: number }> {
    const rows = await this.store.redrive(ids);
    await this.backend.all('poll');
    return { redriven: rows.length };
  }

  /** Re-dedups the memories flagged needsRecheck (fallbacks, realtime-dedup off): one full pass. */
  async sweep(opts: SweepOptions = {}): Promise<SweepResult> {
    if (opts.userId !== undefined) validateId('userId', opts.userId, 128);
    // A progress callback cannot cross into a worker; the sweep's commits are version-checked, so any core may run it.
    const { onProgress: _p, ...portable } = opts;
    return (await this.backend.call(opts.userId, 'sweep', this.backend.mode === 'worker' ? portable : opts)) as SweepResult;
  }

  /** Flagged memories waiting for the sweep. */
  async recheckBacklog(userId?: string): Promise<number> {
    return (await this.backend.call(userId, 'recheckBacklog', userId)) as number;
  }

  /** Claims due journal rows now (tests, tools): normally a timer and the store's notifications do it. */
  async poll(): Promise<void> {
    await this.backend.all('poll');
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Resolves when every accepted candidate has been decided (true), or at the timeout (false). */
  async drain(timeoutMs = Infinity): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = Math.max(0, deadline - Date.now());
      const done = (await this.backend.all('drain', Number.isFinite(left) ? left : 2 ** 31)) as boolean[];
      if (done.every(Boolean) && this.submissions.size === 0) return true;
      if (Date.now() >= deadline) return false;
      await sleep(20);
    }
  }

  /** Idempotent. Makes buffered candidates durable, lets in-flight batches finish, leaves the rest in the journal. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.backend.close();
    this.submissions.closeAll('engine-closed');
    // After the last batches, so their metrics and log lines are kept.
    this.observability.close();
    await this.flags.close();
    this.deduper.close?.();
    await this.store.close();
  }

  status(): EngineStatus {
    const c = this.backend.status();
    const hitRate = c.cache.hits + c.cache.misses === 0 ? 0 : c.cache.hits / (c.cache.hits + c.cache.misses);
    return {
      closed: this.closing !== null,
      journal: { buffered: c.journal.buffered, inflight: this.submissions.size + c.journal.claimed, limit: this.options.journalLimit, retrying: c.journal.retrying },
      lanes: c.lanes,
      cache: { ...c.cache, hitRate },
      flags: { mode: this.flags.mode, synchronized: this.flags.synchronized },
      breakers: c.breakers,
      store: c.store,
      threads: this.backend.threads(),
    };
  }
}

/** Creates an engine on the embedded defaults, or on the options given. */
export function createEngine(options?: EngineOptions): Promise<Engine> {
  return Engine.create(options);
}
