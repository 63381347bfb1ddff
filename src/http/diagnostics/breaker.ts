// Diagnostic: a scratch opossum breaker opens after failures, fails fast while open, recovers half-open.
import CircuitBreaker from 'opossum';
import type { Engine } from '../../engine.js';
import { FLAG_NAMES } from '../../flags/types.js';
import { percentile, round, runDiagnostic, type DiagnosticResult } from './scratch.js';

const FAILURES = 5;
const FAST_FAIL_CALLS = 1000;
const RESET_MS = 50;

export function circuitBreakerTest(engine: Engine): Promise<DiagnosticResult> {
  return runDiagnostic(engine, async (s) => {
    let failing = true;
    // A scratch breaker with the engine's per-user thresholds, only the reset shortened so the test is quick.
    const breaker = new CircuitBreaker(async () => {
      await new Promise((r) => setTimeout(r, 2));
      if (failing) throw new Error('scratch failure');
      return 'ok';
    }, { timeout: false, volumeThreshold: FAILURES, errorThresholdPercentage: 50, resetTimeout: RESET_MS });
    try {
      const slow: number[] = [];
      await s.time('openMs', async () => {
        for (let i = 0; i < FAILURES && !breaker.opened; i++) {
          const t0 = performance.now();
          await breaker.fire().catch(() => undefined);
          slow.push(performance.now() - t0);
        }
      });
      const opened = breaker.opened;
      const fast: number[] = [];
      let rejectedOpen = 0;
      for (let i = 0; i < FAST_FAIL_CALLS; i++) {
        const t0 = performance.now();
        try { await breaker.fire(); } catch (e) { if ((e as { code?: string }).code === 'EOPENBREAKER') rejectedOpen++; }
        fast.push(performance.now() - t0);
      }
      s.timings.failingCallP50Ms = round(percentile(slow, 50));
      s.timings.fastFailP50Ms = round(percentile(fast, 50));
      s.timings.fastFailP99Ms = round(percentile(fast, 99));
      failing = false;
      const recovered = await s.time('recoverMs', async () => {
        await new Promise((r) => setTimeout(r, RESET_MS + 10));
        const halfOpen = breaker.halfOpen;
        const answer = await breaker.fire().catch(() => undefined);
        return halfOpen && answer === 'ok' && breaker.closed;
      });
      const status = engine.status() as Record<string, unknown>;
      return {
        ok: opened && rejectedOpen === FAST_FAIL_CALLS && recovered,
        details: {
          opened, fastFailCalls: FAST_FAIL_CALLS, rejectedWhileOpen: rejectedOpen, recoveredThroughHalfOpen: recovered,
          engineBreakers: status.breakers ?? null,
          circuitBreakersFlag: engine.flags.isEnabled(FLAG_NAMES.circuitBreakers, { userId: s.user('flag') }, true),
          configured: engine.options.breakers.user,
        },
      };
    } finally {
      breaker.shutdown();
    }
  });
}
