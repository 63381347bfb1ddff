// The dedup seam: prepare candidate texts (batched, may call a provider), then decide each against a user's index.
import type { DedupAction, Method } from '../types.js';
import type { PolicyThresholds } from './policy.js';
import type { MemoryVector } from '../store/types.js';
import type { Frame } from './frame.js';
import type { Shape } from './shape.js';
import type { SparseVector } from './lexical.js';
import type { StoredFeatures } from './features.js';

/** A text made ready for comparison: normalized, keyed, featurized. */
export interface Prepared {
  text: string;
  normalized: string;
  /** The exact-tier key: hash of the normalized text. */
  key: string;
  /** Content tokens (stems), used by retrieval and guards. */
  tokens: string[];
  /** Content tokens with what the guards need (negations, values, possessors, copula); computed on first read. */
  readonly shape: Shape;
  /**
   * Subject, predicate and roles (frame.ts). Analysed on first comparison (frameFor), then kept here, so a fact
   * never compared costs no tagging; persisted with the memory once analysed.
   */
  frame?: Frame;
  /** The memory's persisted frame (JSON) from a cold load, parsed on first use. */
  analysis?: string;
  /** Set by the index holding this text as a memory: called when its frame is analysed. */
  onFrame?: () => void;
  /** Sparse lexical vector (typed arrays): feature id -> weight, L2-normalized. */
  vector: SparseVector;
  /** Dense vector from a semantic embedder, when one is configured and answered. */
  dense?: Float32Array;
  /** Model id of `dense`. */
  model?: string;
  /** Tiers that could not be used for this text (e.g. 'embedder-fallback'), recorded in the decision's reasons. */
  notes?: string[];
}

export interface Verdict {
  action: DedupAction;
  /** The existing memory the candidate was compared with (duplicate/updated/superseded target, or nearest). */
  memoryId?: string;
  comparedText?: string;
  method: Method;
  score: number;
  reasons: string[];
}

export interface Neighbour { id: string; prepared: Prepared; score: number }

/** A user's active memories, searchable. Kept in a cache between batches. */
export interface UserIndex {
  readonly size: number;
  /** The memory with this exact key, if any. */
  byKey(key: string): string | undefined;
  get(id: string): Prepared | undefined;
  add(id: string, p: Prepared): void;
  remove(id: string): void;
  /** Top-k most similar memories, best first. */
  search(p: Prepared, k: number): Neighbour[];
  /**
   * Ids of memories whose frame was analysed (on a comparison) since they were added or since the last call: the
   * index cache persists those frames.
   */
  takeFramed?(): string[];
  /** Top-k memories by dense similarity (same model only), best first; empty without dense vectors. */
  searchDense?(p: Prepared, k: number): Neighbour[];
}

export interface DecideOptions {
  /** Exact tier only (fallback paths and `memory.realtime-dedup` off). */
  exactOnly?: boolean;
  /** The user's policy thresholds (src/policies), instead of the deduper's own. */
  thresholds?: PolicyThresholds;
}

/** A stored memory as an index is built from it. */
export interface IndexMemory { id: string; text: string; vector?: MemoryVector; analysis?: string | null; features?: StoredFeatures }

export interface Deduper {
  prepare(texts: string[]): Promise<Prepared[]>;
  /**
   * Builds a user's index. A memory's stored `vector` is used when it is of the configured model; the others are
   * embedded (batched) when a provider is configured. `analysis` is the memory's persisted frame (JSON), reused
   * when its version is current; `features` its persisted prepared features (features.ts), reused when of the
   * current FEATURE_VERSION, else computed again.
   */
  createIndex(memories: IndexMemory[]): Promise<UserIndex>;
  decide(p: Prepared, index: UserIndex, opts?: DecideOptions): Promise<Verdict>;
  /** Provider breaker states (embedder, judge), when providers are configured. */
  providerStates?(): { embedder?: 'closed' | 'open' | 'halfOpen'; judge?: 'closed' | 'open' | 'halfOpen' };
  /** Stops provider breakers' timers. */
  close?(): void;
}
