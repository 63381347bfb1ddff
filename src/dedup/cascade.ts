// The cascade: exact -> lexical retrieval + policy (-> semantic -> judge when configured).
import { applyPolicy, DEFAULT_THRESHOLDS, type PolicyThresholds } from './policy.js';
import { prepareLexical } from './lexical.js';
import { InvertedUserIndex } from './userIndex.js';
import type { DecideOptions, Deduper, Prepared, UserIndex, Verdict } from './types.js';

export interface CascadeOptions { topK: number; thresholds?: Partial<PolicyThresholds> }

export class Cascade implements Deduper {
  private readonly topK: number;
  private readonly thresholds: PolicyThresholds;

  constructor(o: CascadeOptions) {
    this.topK = o.topK;
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...o.thresholds };
  }

  async prepare(texts: string[]): Promise<Prepared[]> {
    return texts.map(prepareLexical);
  }

  async createIndex(memories: { id: string; text: string }[]): Promise<UserIndex> {
    const index = new InvertedUserIndex();
    for (const m of memories) index.add(m.id, prepareLexical(m.text));
    return index;
  }

  async decide(p: Prepared, index: UserIndex, opts: DecideOptions = {}): Promise<Verdict> {
    const exact = index.byKey(p.key);
    if (exact !== undefined) {
      return { action: 'duplicate', memoryId: exact, comparedText: index.get(exact)?.text, method: 'exact', score: 1, reasons: ['exact-match'] };
    }
    if (opts.exactOnly) return { action: 'added', method: 'exact', score: 0, reasons: ['exact-only'] };
    return applyPolicy(p, index.search(p, this.topK), this.thresholds, 'lexical');
  }
}
