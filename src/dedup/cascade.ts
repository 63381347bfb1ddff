// The cascade: exact -> lexical retrieval + policy -> semantic (dense vectors) -> judge, the last two when configured.
// A provider that fails, times out or has its breaker open never blocks a decision: the built-in tiers decide
// and the decision's reasons say which tier was skipped ('embedder-fallback', 'judge-fallback').
import type { EmbedderOptions, JudgeOptions } from '../options.js';
import { decodeFeatures } from './features.js';
import { preparedFrom, prepareLexical } from './lexical.js';
import { applyPolicy, DEFAULT_THRESHOLDS, type PolicyThresholds } from './policy.js';
import { ProviderBreaker, type BreakerState, type ProviderCallOutcome } from './providers/breaker.js';
import { OpenAIEmbedder } from './providers/embedder.js';
import { OpenAIJudge } from './providers/judge.js';
import type { Embedder, Judge } from './providers/types.js';
import { DEFAULT_SEMANTIC, semanticTier, type SemanticThresholds } from './semantic.js';
import type { DecideOptions, Deduper, IndexMemory, Prepared, UserIndex, Verdict } from './types.js';
import { InvertedUserIndex } from './userIndex.js';

export interface CascadeOptions {
  topK: number;
  thresholds?: Partial<PolicyThresholds>;
  semantic?: Partial<SemanticThresholds>;
  embedder?: EmbedderOptions;
  judge?: JudgeOptions;
  breaker?: { failures: number; resetTimeoutMs: number };
  /** Provider breaker transitions (the engine emits them as 'breaker' events, scope 'provider'). */
  onBreaker?: (name: 'embedder' | 'judge', state: BreakerState) => void;
  /** Every provider call (the engine emits them as 'provider' events, counted by memdedup_provider_*). */
  onProviderCall?: (name: 'embedder' | 'judge', durationMs: number, outcome: ProviderCallOutcome) => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class Cascade implements Deduper {
  private readonly topK: number;
  readonly thresholds: PolicyThresholds;
  private readonly semantic: SemanticThresholds;
  private readonly embedder?: Embedder;
  private readonly judge?: Judge;
  private readonly breakers: { embedder?: ProviderBreaker; judge?: ProviderBreaker } = {};

  constructor(o: CascadeOptions) {
    this.topK = o.topK;
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...o.thresholds };
    this.semantic = { ...DEFAULT_SEMANTIC, ...o.semantic };
    const b = o.breaker ?? { failures: 5, resetTimeoutMs: 60_000 };
    const onState = (name: string, state: BreakerState) => o.onBreaker?.(name as 'embedder' | 'judge', state);
    const onCall = (name: string, ms: number, outcome: ProviderCallOutcome) => o.onProviderCall?.(name as 'embedder' | 'judge', ms, outcome);
    if (o.embedder?.kind === 'openai') {
      this.breakers.embedder = new ProviderBreaker({ name: 'embedder', ...b, onState, onCall });
      this.embedder = new OpenAIEmbedder({ baseURL: o.embedder.baseURL, model: o.embedder.model, apiKey: o.embedder.apiKey,
        timeoutMs: o.embedder.timeoutMs ?? DEFAULT_TIMEOUT_MS }, this.breakers.embedder);
    }
    if (o.judge?.kind === 'openai') {
      this.breakers.judge = new ProviderBreaker({ name: 'judge', ...b, onState, onCall });
      this.judge = new OpenAIJudge({ baseURL: o.judge.baseURL, model: o.judge.model, apiKey: o.judge.apiKey,
        timeoutMs: o.judge.timeoutMs ?? DEFAULT_TIMEOUT_MS }, this.breakers.judge);
    }
  }

  /** Provider breaker states, for engine.status().breakers.provider. */
  providerStates(): { embedder?: BreakerState; judge?: BreakerState } {
    const out: { embedder?: BreakerState; judge?: BreakerState } = {};
    if (this.breakers.embedder) out.embedder = this.breakers.embedder.state;
    if (this.breakers.judge) out.judge = this.breakers.judge.state;
    return out;
  }

  async prepare(texts: string[]): Promise<Prepared[]> {
    // The frame is not analysed here: signals() tags it on the first comparison (frameFor), so an exact duplicate or a
    // fact with no neighbour costs no tagging (profile of issue 18: tagging was a quarter of the CPU). A compared
    // candidate has its frame by the time decideBatch persists it.
    const ps = texts.map((t) => prepareLexical(t));
    if (this.embedder && ps.length) {
      try {
        const vs = await this.embedder.embed(texts);
        ps.forEach((p, i) => { p.dense = vs[i]!.vector; p.model = vs[i]!.model; });
      } catch {
        for (const p of ps) p.notes = ['embedder-fallback'];
      }
    }
    return ps;
  }

  async createIndex(memories: IndexMemory[]): Promise<UserIndex> {
    const index = new InvertedUserIndex();
    // Frames are analysed on first comparison (a persisted one of the current version is parsed then instead):
    // most of a user's memories are never a neighbour of anything in the cache's lifetime.
    // Persisted features of the current version spare the normalisation (indexSnapshot writes back the others).
    const ps = memories.map((m) => {
      const f = decodeFeatures(m.features);
      return f ? preparedFrom(m.text, f, m.analysis) : prepareLexical(m.text, m.analysis);
    });
    if (this.embedder && ps.length) {
      // Stored vectors of the configured model are used as they are; the rest (new, or another model's after a
      // model change) are embedded now, in the embedder's batches. If the provider is down they stay lexical-only.
      const model = this.embedder.model;
      const missing: number[] = [];
      memories.forEach((m, i) => {
        if (m.vector && m.vector.model === model) { ps[i]!.dense = m.vector.vector; ps[i]!.model = model; } else missing.push(i);
      });
      if (missing.length > 0) {
        try {
          const vs = await this.embedder.embed(missing.map((i) => memories[i]!.text));
          missing.forEach((i, k) => { ps[i]!.dense = vs[k]!.vector; ps[i]!.model = vs[k]!.model; });
        } catch { /* lexical-only */ }
      }
    }
    memories.forEach((m, i) => index.add(m.id, ps[i]!));
    return index;
  }

  async decide(p: Prepared, index: UserIndex, opts: DecideOptions = {}): Promise<Verdict> {
    const exact = index.byKey(p.key);
    if (exact !== undefined) {
      return { action: 'duplicate', memoryId: exact, comparedText: index.get(exact)?.text, method: 'exact', score: 1, reasons: ['exact-match'] };
    }
    if (opts.exactOnly) return { action: 'added', method: 'exact', score: 0, reasons: ['exact-only'] };
    const notes = [...(p.notes ?? [])];
    let v = applyPolicy(p, index.search(p, this.topK), opts.thresholds ?? this.thresholds, 'lexical');
    if (v.action === 'added' && p.dense && p.model) {
      v = (await semanticTier(p, index, this.topK, this.semantic, this.judge, notes)) ?? v;
    }
    return notes.length ? { ...v, reasons: [...v.reasons, ...notes] } : v;
  }

  close(): void {
    this.breakers.embedder?.shutdown();
    this.breakers.judge?.shutdown();
  }
}
