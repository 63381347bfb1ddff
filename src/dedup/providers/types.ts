// The provider seams: what the cascade needs from an embedding provider and from a judge, and nothing more.
// The OpenAI-compatible clients (embedder.ts, judge.ts) are one implementation each; another provider (a local
// model, a test double, a worker's proxy of the host's client) implements these and the cascade does not change.
//
// Both reject on any failure (timeout, HTTP error, malformed answer, open breaker): a provider never blocks a
// decision, the cascade falls back to its built-in tiers and says so in the reasons ('embedder-fallback',
// 'judge-fallback'). Their breaker state is what engine.status() reports and what the sweep waits on.

/** A provider breaker's state: open while the provider is refused without a request; halfOpen while one trial is out. */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** A provider vector: L2-normalised, tagged with the configured model id. */
export interface DenseVector { vector: Float32Array; model: string }

export interface Embedder {
  /** The configured model id. A stored vector is reused only when it was made by this model (a model change re-embeds). */
  readonly model: string;
  readonly state: BreakerState;
  /** One vector per text, in input order, each L2-normalised and tagged with `model`. */
  embed(texts: string[]): Promise<DenseVector[]>;
}

/** The judge's reading of a pair: same fact, a refinement, a replacement, or different facts. */
export type JudgeLabel = 'duplicate' | 'update' | 'conflict' | 'distinct';

export interface JudgeVerdict {
  label: JudgeLabel;
  /** A short why, recorded in the decision's reasons (`judge: …`); may be empty. */
  reason: string;
}

export interface Judge {
  readonly state: BreakerState;
  /**
   * Reads one grey-band pair: a stored memory's text and the candidate's. Pairwise on purpose: the cascade asks
   * neighbour by neighbour, best first, and its hard guards (numbers, negation, possessor) may veto one neighbour's
   * merge and go on to the next (src/dedup/semantic.ts).
   */
  judge(memory: string, candidate: string): Promise<JudgeVerdict>;
}
