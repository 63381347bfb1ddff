// A user's dedup policy comes from the memory.dedup-policy flag's variant: the split is by userId and sticky,
// the policy's thresholds decide, and every event and decision records it. Anything else means `default`.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { createFlags } from '../../src/flags/index.js';
import { POLICY_FLAG } from '../../src/flags/types.js';
import { policySplit, testEngine } from '../helpers/engine.js';

const open: Engine[] = [];
afterEach(async () => { for (const e of open.splice(0)) await e.close(); });
const STRICT = { strict: { thresholds: { duplicate: 0.95 } } };

async function engineWith(flagOverrides: Record<string, unknown>, policies: Record<string, { thresholds: Record<string, number> }> = STRICT,
  extra: Parameters<typeof testEngine>[0] = {}) {
  const t = await testEngine({ file: false, dedup: { policies }, flagOverrides, ...extra });
  open.push(t.engine);
  return t;
}

describe('policy by variant', () => {
  it('splits users by the variant weights, sticky on userId, and the events and metrics record it', async () => {
    const { engine, flagsFile } = await engineWith(policySplit({ strict: 300, default: 700 }));
    const flags = await createFlags({ kind: 'embedded', file: flagsFile, watch: false }, { env: {} });
    const counts: Record<string, number> = {};
    for (let u = 0; u < 400; u++) {
      const userId = `split-${u}`;
      const d = await engine.submit({ userId, text: 'Keeps bees on the roof' }).decided;
      counts[d.policy!] = (counts[d.policy!] ?? 0) + 1;
      // The engine's policy is the variant unleash-client gives this user.
      expect(d.policy).toBe(flags.getVariant(POLICY_FLAG, { userId }).name);
      // Sticky: the same user gets the same policy on every batch.
      expect(engine.policies.forUser(userId).name).toBe(d.policy);
    }
    await flags.close();
    expect(Math.abs(counts.strict! / 400 - 0.3)).toBeLessThan(0.08);
    expect(counts.strict! + counts.default!).toBe(400);
    const [e] = await engine.events('split-0');
    expect(e!.policy).toBe(engine.policies.forUser('split-0').name);
    const text = await engine.registry.metrics();
    expect(text).toContain(`memdedup_decisions_total{action="added",method="lexical",policy="strict"} ${counts.strict}`);
    expect(text).toContain(`memdedup_decisions_total{action="added",method="lexical",policy="default"} ${counts.default}`);
  });

  it('decides with the policy\'s thresholds: a near duplicate merged by default is kept apart by a strict policy', async () => {
    const strict = await engineWith(policySplit({ strict: 1000 }));
    const dflt = await engineWith(policySplit({ default: 1000 }));
    const pair = async (engine: Engine) => {
      await engine.submit({ userId: 'p', text: 'Owns a red bicycle' }).decided;
      return engine.submit({ userId: 'p', text: 'Owns a bicycle' }).decided;
    };
    const [s, d] = [await pair(strict.engine), await pair(dflt.engine)];
    expect(d).toMatchObject({ action: 'duplicate', policy: 'default' });
    expect(s).toMatchObject({ action: 'added', policy: 'strict' });
    expect(s.score).toBe(d.score);
  });

  it('falls back to default: flag off, no variants, a variant naming no configured policy (logged once), no flag at all', async () => {
    const logs: string[] = [];
    // A real pino logger writing into the array: the engine logs through the host's logger as it would in production.
    const logger = pino({ level: 'warn' }, { write: (line: string) => { logs.push(line); } });
    const cases = [policySplit({ strict: 1000 }, false), { [POLICY_FLAG]: { name: POLICY_FLAG, enabled: true, strategies: [{ name: 'default' }] } },
      policySplit({ lenient: 1000 }), {}];
    for (const flags of cases) {
      const { engine } = await engineWith(flags, STRICT, { logger });
      for (const u of ['a', 'b', 'c']) expect((await engine.submit({ userId: u, text: 'Speaks Basque' }).decided).policy).toBe('default');
      expect((await engine.events('a'))[0]!.policy).toBe('default');
    }
    expect(logs.filter((l) => l.includes('"variant":"lenient"'))).toHaveLength(1);
  });

  it('records the undone decision\'s policy on an undo, the user\'s on a forget', async () => {
    const { engine } = await engineWith(policySplit({ strict: 1000 }));
    await engine.submit({ userId: 'u', text: 'Collects vinyl records' }).decided;
    const d = await engine.submit({ userId: 'u', text: 'collects vinyl records' }).decided;
    const undo = await engine.undo(d.eventId!);
    expect(undo.policy).toBe('strict');
    const forget = await engine.forget('u', d.memoryId!);
    expect(forget.policy).toBe('strict');
  });
});

describe('dedup.policies options', () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ default: { thresholds: { duplicate: 0.9 } } }, /options\.dedup\.policies\.default 'default' is the built-in policy: set options\.dedup\.thresholds instead/],
    [{ 'no spaces': {} }, /policy name 'no spaces' must match/],
    [{ strict: { thresholds: { duplicate: 2 } } }, /options\.dedup\.policies\.strict\.thresholds\.duplicate must be a number in \[0, 1\]/],
    [{ strict: { duplicate: 0.9 } }, /options\.dedup\.policies\.strict has unknown key\(s\) duplicate \(a policy holds thresholds\)/],
    [{ strict: 0.9 }, /options\.dedup\.policies\.strict must be an object \{thresholds\}/],
    [[], /options\.dedup\.policies must be an object/],
    [Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`p${i}`, {}])), /must name at most 16 policies/],
  ];
  it.each(bad)('rejects %j with INVALID_INPUT', async (policies, message) => {
    const { resolveOptions } = await import('../../src/options.js');
    let err: unknown;
    try { resolveOptions({ dedup: { policies: policies as never } }); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: 'INVALID_INPUT' });
    expect(String((err as Error).message)).toMatch(message);
  });

  it('resolves a policy over dedup.thresholds over the defaults, without keeping the caller\'s objects', async () => {
    const { resolveOptions } = await import('../../src/options.js');
    const { Policies } = await import('../../src/policies/select.js');
    const input = { thresholds: { conflict: 0.7 }, policies: { strict: { thresholds: { duplicate: 0.9 } } } };
    const o = resolveOptions({ dedup: input });
    input.policies.strict.thresholds.duplicate = 0.1;
    const p = new Policies(o.dedup, { getVariant: () => ({ name: 'strict', enabled: true, feature_enabled: true, featureEnabled: true }) });
    expect(p.names).toEqual(['default', 'strict']);
    const { DEFAULT_THRESHOLDS } = await import('../../src/dedup/policy.js');
    expect(p.forUser('x').thresholds).toEqual({ ...DEFAULT_THRESHOLDS, conflict: 0.7, duplicate: 0.9 });
    expect(p.default.thresholds).toEqual({ ...DEFAULT_THRESHOLDS, conflict: 0.7 });
    expect(p.label('strict')).toBe('strict');
    expect(p.label('someone-else')).toBe('other');
  });
});
