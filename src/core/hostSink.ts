// The host's end of a CoreSink: answers the Submissions' promises and emits the per-candidate events on the
// engine's emitter, for a Core in this thread and for the messages of a worker's Core alike.
import type { EngineEvents } from '../engineEvents.js';
import { storeRejection, type Submissions } from '../intake/submissions.js';
import type { CoreSink } from './core.js';

/** Answers the host's promises and emits the per-candidate events. */
export function hostSink(s: Submissions, emitter: EngineEvents): CoreSink {
  return {
    accepted: (rows) => { for (const c of rows) if (s.accepted(c.id)) emitter.safeEmit('submitted', { candidate: c, status: 'accepted' }); },
    rejected: (c, message) => {
      const r = storeRejection(c, message);
      s.decided(c.id, r.decision, r.acceptance);
      emitter.safeEmit('submitted', { candidate: c, status: 'rejected', error: message });
    },
    decided: (c, d, event) => {
      s.decided(c.id, d);
      if (event) emitter.safeEmit('decided', { candidate: c, decision: d, latencyMs: Date.now() - c.acceptedAt });
    },
  };
}

