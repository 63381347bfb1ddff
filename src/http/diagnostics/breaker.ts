// Diagnostic: a scratch per-user breaker registry (the engine's own UserBreakers class, its configured
// failure count and cap) opens after failures, fails fast while open, recovers through half-open,
// and stays bounded when many users pass through it. The engine's live breakers are never touched.
import type { Engine } from '../../engine.js';
import { FLAG_NAMES } from '../../flags/types.js';
import { UserBreakerOpenError, UserBreakers } from '../../resilience/userBreakers.js';
import { percentile, round, runDiagnostic, type DiagnosticResult } from './scratch.js';

const FAST_FAIL_CALLS = 1000;
/** Shortened from the configured reset so the diagnostic is quick. */
const RESET_MS = 50;
const BOUND_USERS = 1000;
const BOUND_CAP = 100;

export function circuitBreakerTest(engine: Engine): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    const { failures } = engine.options.breakers.user;
    const breakers = new UserBreakers({ failures, resetTimeoutMs: RESET_MS, maxLive: BOUND_CAP, countsAsFailure: () => true });
    const userId = s.user('breaker');
    let runs = 0;
    let failing = true;
    const action = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 1));
      if (failing) throw new Error('scratch failure');
      return 'ok';
    };
    try {
      const slow: number[] = [];
      await s.time('openMs', async () => {
        for (let i = 0; i < failures && breakers.state(userId) !== 'open'; i++) {
          const t0 = performance.now();
          await breakers.guard(userId, action).catch(() => undefined);
          slow.push(performance.now() - t0);
        }
      });
      const opened = breakers.state(userId) === 'open';
      const runsBefore = runs;
      const fast: number[] = [];
      let rejectedOpen = 0;
      for (let i = 0; i < FAST_FAIL_CALLS; i++) {
        const t0 = performance.now();
        try { await breakers.guard(userId, action); } catch (e) { if (e instanceof UserBreakerOpenError) rejectedOpen++; }
        fast.push(performance.now() - t0);
      }
      const ranWhileOpen = runs - runsBefore;
      s.timings.failingCallP50Ms = round(percentile(slow, 50));
      s.timings.fastFailP50Ms = round(percentile(fast, 50));
      s.timings.fastFailP99Ms = round(percentile(fast, 99));
      failing = false;
      const recovered = await s.time('recoverMs', async () => {
        await new Promise((r) => setTimeout(r, RESET_MS + 10));
        const halfOpen = breakers.state(userId) === 'halfOpen';
        const answer = await breakers.guard(userId, action).catch(() => undefined);
        return halfOpen && answer === 'ok' && breakers.state(userId) === 'closed';
      });
      // Many distinct users: the registry keeps at most its cap alive.
      await s.time('boundMs', async () => {
        for (let i = 0; i < BOUND_USERS; i++) await breakers.guard(`${s.prefix}:bound-${i}`, async () => 'ok');
      });
      const live = breakers.live;
      return {
        ok: opened && rejectedOpen === FAST_FAIL_CALLS && ranWhileOpen === 0 && recovered && live <= BOUND_CAP,
        details: {
          opened, openedAfterFailures: slow.length, fastFailCalls: FAST_FAIL_CALLS, rejectedWhileOpen: rejectedOpen, ranWhileOpen,
          recoveredThroughHalfOpen: recovered, bound: { users: BOUND_USERS, cap: BOUND_CAP, live },
          engineBreakers: engine.status().breakers,
          circuitBreakersFlag: engine.flags.isEnabled(FLAG_NAMES.circuitBreakers, { userId }, true),
          configured: engine.options.breakers.user,
        },
      };
    } finally {
      breakers.shutdown();
    }
  });
}
