// Each invalid option is refused with INVALID_INPUT and a message naming the option.
import { expect, it } from 'vitest';
import { isMemdedupError } from '../../src/errors.js';
import { createFlags } from '../../src/flags/index.js';

const cases: Array<[unknown, string]> = [
  [null, 'flags must be an object'],
  [{ kind: 'file' }, "flags.kind must be 'embedded' or 'unleash'"],
  [{ kind: 'embedded', file: '' }, 'flags.file must be a non-empty string'], // no file at all is valid: the shipped flags (test/flags/defaults.test.ts)
  [{ kind: 'embedded', file: 'x.json', watch: 'yes' }, 'flags.watch must be a boolean'],
  [{ kind: 'unleash', token: 't' }, 'flags.url must be a non-empty string'],
  [{ kind: 'unleash', url: 'ftp://unleash', token: 't' }, 'flags.url must be an http(s) URL'],
  [{ kind: 'unleash', url: 'http://127.0.0.1:1/api' }, 'flags.token must be a non-empty string'],
  [{ kind: 'unleash', url: 'http://127.0.0.1:1/api', token: 't', refreshIntervalMs: 0 }, 'flags.refreshIntervalMs must be a positive integer'],
  [{ kind: 'unleash', url: 'http://127.0.0.1:1/api', token: 't', timeoutMs: 1.5 }, 'flags.timeoutMs must be a positive integer'],
  [{ kind: 'unleash', url: 'http://127.0.0.1:1/api', token: 't', appName: '' }, 'flags.appName must be a non-empty string'],
];

it.each(cases)('refuses %j', async (options, message) => {
  const err = await createFlags(options as never, { env: {} }).catch((e: unknown) => e);
  expect(isMemdedupError(err, 'INVALID_INPUT')).toBe(true);
  expect((err as Error).message).toBe(message);
});
