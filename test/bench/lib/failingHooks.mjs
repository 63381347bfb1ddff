// Worker hooks for users_1m (EngineInternals.workerHooks, loaded by every core, inline or in a worker): the
// deduper rejects the candidates marked as failing, as a poison candidate would, so they take the engine's real
// path: retries, the user's breaker, dead letters.
export const MARK = ' [bench: fails]';

export function deduper(base) {
  return new Proxy(base, {
    get(target, key) {
      if (key === 'prepare') {
        return async (texts) => {
          if (texts.some((t) => t.endsWith(MARK))) throw new Error('injected candidate failure');
          return target.prepare(texts);
        };
      }
      const v = target[key];
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
