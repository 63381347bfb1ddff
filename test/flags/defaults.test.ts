// No flags file configured: the package's shipped flags, toggles written beside the database (never
// into the package), read back on the next start. A configured file that is missing is an error.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { SHIPPED_FLAGS_FILE } from '../../src/flags/defaults.js';
import { tempDir } from '../helpers/engine.js';

describe('flags with no file configured', () => {
  it('start from the shipped flags; a toggle writes flags.json beside the database; the next start reads it', async () => {
    const shipped = readFileSync(SHIPPED_FLAGS_FILE, 'utf8');
    const dir = tempDir();
    const db = join(dir, 'nested', 'm.db');
    const e1 = await createEngine({ store: { kind: 'sqlite', path: db }, logLevel: 'silent' });
    expect(e1.flags.source).toBe(SHIPPED_FLAGS_FILE);
    expect(e1.flags.isEnabled('memory.enabled', { userId: 'a' })).toBe(true);
    expect((await e1.submit({ userId: 'a', text: 'Likes tea' }).decided).action).toBe('added');
    await e1.flags.set('memory.enhanced-prompts', { enabled: false });
    const beside = join(dir, 'nested', 'flags.json');
    expect(e1.flags.source).toBe(beside);
    expect(JSON.parse(readFileSync(beside, 'utf8')).features.find((f: { name: string }) => f.name === 'memory.enhanced-prompts').enabled).toBe(false);
    expect(readFileSync(SHIPPED_FLAGS_FILE, 'utf8')).toBe(shipped);
    expect(await e1.recall('a')).toEqual([]);
    await e1.close();

    const e2 = await createEngine({ store: { kind: 'sqlite', path: db }, logLevel: 'silent' });
    expect(e2.flags.source).toBe(beside);
    expect(e2.flags.isEnabled('memory.enhanced-prompts', { userId: 'a' })).toBe(false);
    expect(e2.flags.isEnabled('memory.enabled', { userId: 'a' })).toBe(true);
    await e2.close();
  });

  it('with no database file to sit beside (:memory:), a toggle lasts for the process and writes nothing', async () => {
    const shipped = readFileSync(SHIPPED_FLAGS_FILE, 'utf8');
    const e = await createEngine({ store: { kind: 'sqlite', path: ':memory:' }, logLevel: 'silent' });
    const flag = await e.flags.set('memory.batch-processing', { rollout: 40 });
    expect(flag.rollout).toBe(40);
    expect(e.flags.source).toBe(SHIPPED_FLAGS_FILE);
    expect(readFileSync(SHIPPED_FLAGS_FILE, 'utf8')).toBe(shipped);
    await e.close();
  });

  it('a configured flags file that is missing is INVALID_INPUT naming the path, before any data folder is made', async () => {
    const dir = tempDir();
    const missing = join(dir, 'nope', 'flags.json');
    await expect(createEngine({ store: { kind: 'sqlite', path: join(dir, 'data', 'm.db') }, flags: { kind: 'embedded', file: missing }, logLevel: 'silent' }))
      .rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(missing) });
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});
