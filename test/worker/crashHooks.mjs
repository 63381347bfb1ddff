// Worker hooks (EngineInternals.workerHooks) that crash the worker deciding a marked candidate.
// Configured by the module URL's query: ?dir=<dir>&mode=once|always
//   once:   the first worker to decide a '[crash]' text exits (a marker file in dir says it happened);
//           the restarted worker decides it normally.
//   always: every worker that decides a '[crash]' text exits: a crash loop.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const q = new URL(import.meta.url).searchParams;
const dir = q.get('dir');
const mode = q.get('mode') ?? 'once';

export function deduper(base) {
  return {
    prepare: (texts) => base.prepare(texts),
    createIndex: (memories) => base.createIndex(memories),
    decide: async (p, index, opts) => {
      if (p.text.includes('[crash]')) {
        const marker = join(dir, 'crashed');
        if (mode === 'always' || !existsSync(marker)) {
          writeFileSync(marker, String(Date.now()));
          // Uncaught, from a timer: what a bug in the deciding looks like.
          setImmediate(() => { throw new Error('injected worker crash'); });
          await new Promise(() => {});
        }
      }
      return base.decide(p, index, opts);
    },
    providerStates: () => base.providerStates?.() ?? {},
    close: () => base.close?.(),
  };
}
