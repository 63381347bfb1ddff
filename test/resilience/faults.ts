// Fault injection through the engine's internal deduper seam (Engine.create(options, {deduper})).
// The faults are real throws inside the real cascade, on the texts a test chooses.
import type { Deduper } from '../../src/dedup/types.js';

export interface Faults {
  /** Called with the texts of every full-cascade prepare; throw to fail the batch. */
  prepare?: (texts: string[]) => void;
  /** Called with each candidate text before it is decided (every mode); throw to fail it. */
  decide?: (text: string) => void;
}

export function faulty(faults: Faults): (base: Deduper) => Deduper {
  return (base) => ({
    prepare: async (texts) => { faults.prepare?.(texts); return base.prepare(texts); },
    createIndex: (memories) => base.createIndex(memories),
    decide: async (p, index, opts) => { faults.decide?.(p.text); return base.decide(p, index, opts); },
  });
}

/** An error like a bug tripped by bad data: not retryable, not a provider's. */
export function poison(text: string): Error {
  return new TypeError(`cannot featurize ${JSON.stringify(text.slice(0, 40))}`);
}
