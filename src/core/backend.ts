// Where an engine's deciding runs: in the host's thread (InlineBackend) or in worker threads (src/worker/pool.ts).
// The Engine (src/engine.ts) talks to either through this seam only.
import type { Candidate } from '../types.js';
import type { CallMap, CallName } from '../worker/protocol.js';
import type { Core, CoreStatus } from './core.js';

/** What status().threads says: how the deciding runs, and why it stopped if it did. */
export interface ThreadsStatus {
  mode: 'inline' | 'worker';
  workers: number;
  /** Workers running now (worker mode). */
  running: number;
  /** Worker crashes since the engine started. */
  crashes: number;
  /** 'stopped': too many crashes; candidates wait in the journal, /readyz fails. */
  state: 'running' | 'stopped';
  reason?: string;
}

export interface Backend {
  readonly mode: 'inline' | 'worker';
  /** A validated candidate the host counted in flight. */
  submit(c: Candidate): void;
  /** Asks the core that owns `userId` (any core when undefined). */
  call<K extends CallName>(userId: string | undefined, name: K, ...args: CallMap[K]): Promise<unknown>;
  /** Asks every core; resolves with their answers. */
  all<K extends CallName>(name: K, ...args: CallMap[K]): Promise<unknown[]>;
  status(): CoreStatus;
  /** Journal rows the cores took over (not submitted here): cheap, submit() asks it every time. */
  claimed(): number;
  threads(): ThreadsStatus;
  close(): Promise<void>;
}

/** thread: 'inline': one Core in the host's thread, as the engine always ran before worker threads. */
export class InlineBackend implements Backend {
  readonly mode = 'inline' as const;
  constructor(readonly core: Core) {}

  submit(c: Candidate): void { this.core.enqueue(c); }

  call<K extends CallName>(_userId: string | undefined, name: K, ...args: CallMap[K]): Promise<unknown> {
    return (this.core[name] as (...a: unknown[]) => Promise<unknown>).apply(this.core, args);
  }

  async all<K extends CallName>(name: K, ...args: CallMap[K]): Promise<unknown[]> {
    return [await this.call(undefined, name, ...args)];
  }

  status(): CoreStatus { return this.core.status(); }

  claimed(): number { return this.core.journal.claimed; }

  threads(): ThreadsStatus { return { mode: 'inline', workers: 0, running: 0, crashes: 0, state: 'running' }; }

  close(): Promise<void> { return this.core.close(); }
}

const BREAKER_RANK = { closed: 0, halfOpen: 1, open: 2 } as const;
const STORE_RANK = { healthy: 0, faulty: 1, stopped: 2 } as const;

/** Several cores' status as one: counts add up; a breaker or the store reads as the worst of them. */
export function mergeStatus(all: CoreStatus[]): CoreStatus {
  const out: CoreStatus = {
    journal: { buffered: 0, inflight: 0, retrying: 0, claimed: 0 },
    lanes: { queued: 0, running: 0, users: 0, candidates: 0 },
    cache: { users: 0, hits: 0, misses: 0 },
    breakers: { provider: {}, user: { live: 0, open: 0 } },
    store: { state: 'healthy', faults: 0 },
  };
  for (const s of all) {
    for (const k of ['buffered', 'inflight', 'retrying', 'claimed'] as const) out.journal[k] += s.journal[k];
    for (const k of ['queued', 'running', 'users', 'candidates'] as const) out.lanes[k] += s.lanes[k];
    for (const k of ['users', 'hits', 'misses'] as const) out.cache[k] += s.cache[k];
    out.breakers.user.live += s.breakers.user.live;
    out.breakers.user.open += s.breakers.user.open;
    for (const p of ['embedder', 'judge'] as const) {
      const st = s.breakers.provider[p];
      const cur = out.breakers.provider[p];
      if (st && (!cur || BREAKER_RANK[st] > BREAKER_RANK[cur])) out.breakers.provider[p] = st;
    }
    const faults = out.store.faults + s.store.faults;
    if (STORE_RANK[s.store.state] > STORE_RANK[out.store.state]) out.store = { ...s.store };
    out.store.faults = faults;
  }
  return out;
}
