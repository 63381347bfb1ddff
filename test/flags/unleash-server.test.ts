// Server mode against a real Unleash (installed from npm into .cache/, on a PostgreSQL cluster made
// here): a flexibleRollout set through the Admin API reaches the right share of users, and turning
// the flag off and on in Unleash applies within the refresh interval, without a restart.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlags, type Flags } from '../../src/flags/index.js';
import { hasPostgres, type RunningPostgres, startPostgres } from '../helpers/postgres.js';
import { CLIENT_TOKEN, type RunningUnleash, startUnleashServer } from './unleash-server-process.js';
import { eventually, share } from './helpers.js';

const { normalizedStrategyValue } = createRequire(import.meta.url)('unleash-client/lib/strategy/util.js') as {
  normalizedStrategyValue(id: string, groupId: string): number;
};

const FLAG = 'memory.enabled';
const PERCENT = 30;
const REFRESH_MS = 1000;
const PROJECT_FLAG = `/api/admin/projects/default/features/${FLAG}`;

const skip = !hasPostgres();
if (skip) console.warn('unleash-server test skipped: PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install -y postgresql)');

describe.skipIf(skip)('server mode on a real Unleash', () => {
  let pg: RunningPostgres | undefined;
  let unleash: RunningUnleash | undefined;
  let flags: Flags | undefined;

  beforeAll(async () => {
    pg = await startPostgres();
    unleash = await startUnleashServer(pg.url);
    await unleash.admin('POST', '/api/admin/projects/default/features', { name: FLAG });
    await unleash.admin('POST', `${PROJECT_FLAG}/environments/development/strategies`, {
      name: 'flexibleRollout',
      parameters: { rollout: String(PERCENT), stickiness: 'default', groupId: FLAG },
      constraints: [],
    });
    await unleash.admin('POST', `${PROJECT_FLAG}/environments/development/on`);
    flags = await createFlags({ kind: 'unleash', url: `${unleash.base}/api`, token: CLIENT_TOKEN, appName: 'memdedup-test',
      refreshIntervalMs: REFRESH_MS, timeoutMs: 20_000 });
  }, 600_000);

  afterAll(async () => {
    await flags?.close();
    await unleash?.stop();
    pg?.stop();
  }, 60_000);

  it('synchronizes and enables the rollout share of 10,000 users, as Unleash hashes them', () => {
    const f = flags!;
    expect(f.mode).toBe('unleash');
    expect(f.synchronized).toBe(true);
    expect(f.list().find((s) => s.name === FLAG)).toMatchObject({ enabled: true, rollout: PERCENT });
    const s = share((userId) => f.isEnabled(FLAG, { userId }));
    console.log(`unleash-server rollout ${PERCENT}: ${(s * 100).toFixed(2)}% of 10,000 users enabled`);
    expect(Math.abs(s - PERCENT / 100)).toBeLessThan(0.02);
    for (let i = 0; i < 1000; i++) {
      const userId = `user-${i}`;
      expect(f.isEnabled(FLAG, { userId })).toBe(normalizedStrategyValue(userId, FLAG) <= PERCENT);
    }
  });

  it('applies a flag turned off, then on, in Unleash without a restart', async () => {
    const f = flags!;
    const onUsers = Array.from({ length: 500 }, (_, i) => `user-${i}`).filter((userId) => f.isEnabled(FLAG, { userId }));
    expect(onUsers.length).toBeGreaterThan(0);
    const anyOn = (): boolean => onUsers.some((userId) => f.isEnabled(FLAG, { userId }));

    let t = Date.now();
    await unleash!.admin('POST', `${PROJECT_FLAG}/environments/development/off`);
    // One refresh interval, plus the server's own short delay before a change reaches the client API.
    expect(await eventually(() => !anyOn(), REFRESH_MS * 3 + 2000)).toBe(true);
    console.log(`off in Unleash -> off here after ${Date.now() - t} ms (refresh ${REFRESH_MS} ms)`);

    t = Date.now();
    await unleash!.admin('POST', `${PROJECT_FLAG}/environments/development/on`);
    expect(await eventually(() => onUsers.every((userId) => f.isEnabled(FLAG, { userId })), REFRESH_MS * 3 + 2000)).toBe(true);
    console.log(`on in Unleash -> on here after ${Date.now() - t} ms`);
  });

  it('checks a flag in microseconds in server mode too', () => {
    const f = flags!;
    const samples: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const ctx = { userId: `bench-${i % 1000}` };
      const t0 = process.hrtime.bigint();
      f.isEnabled(FLAG, ctx);
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    samples.sort((a, b) => a - b);
    const p50 = samples[10_000]!;
    console.log(`isEnabled cost (server mode): p50 ${p50.toFixed(2)} µs, p99 ${samples[19_800]!.toFixed(2)} µs`);
    expect(p50).toBeLessThan(50);
  });
});
