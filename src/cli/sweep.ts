// `memdedup sweep [--user U] [--json]`: one full pass of the sweep over the database `serve` uses
// (MEMDEDUP_DB, MEMDEDUP_FLAGS_FILE), with a progress bar on stderr. It does not poll the journal, so it
// can run next to a live server; its merges are ordinary, undoable events.
import { Engine } from '../engine.js';
import type { SweepProgress } from '../resilience/sweeper.js';
import { parseCommand, type CommandSpec } from './args.js';
import { serveOptionsFromEnv } from './serve.js';

const SWEEP_SPEC: CommandSpec = { name: 'sweep', options: { user: { type: 'string' }, json: { type: 'boolean' } },
  usage: `usage: memdedup sweep [--user <userId>] [--json]
  re-decides memories flagged needsRecheck, over the database serve uses (MEMDEDUP_DB, DATABASE_URL)
  --user U    only this user
  --json      one JSON object on stdout
`,
};

export async function sweepCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommand(SWEEP_SPEC, args);
  if (typeof parsed === 'number') return parsed;
  const userId = parsed.values.user as string | undefined;
  const json = parsed.values.json === true;
  // A one-off tool with no chat to protect, and its progress callback must run where the sweep does: inline.
  const engine = await Engine.create({ ...serveOptionsFromEnv(env), thread: 'inline' }, { background: false });
  try {
    const t0 = Date.now();
    const bar = process.stderr.isTTY ? (p: SweepProgress) => process.stderr.write(`\r${progressBar(p)}`) : undefined;
    const res = await engine.sweep({ userId, onProgress: (p) => (bar ? bar(p) : process.stderr.write(`${progressBar(p)}\n`)) });
    if (bar) process.stderr.write('\n');
    const out = { ...res, userId: userId ?? null, durationMs: Date.now() - t0 };
    process.stdout.write(json ? `${JSON.stringify(out)}\n`
      : `swept: ${res.checked} checked, ${res.merged} merged, ${res.superseded} superseded, ${res.skipped} left for later\n`);
    return 0;
  } finally {
    await engine.close();
  }
}

/** `[#########-----------]  45% 450/1000 checked, 12 merged` */
export function progressBar(p: SweepProgress, width = 30): string {
  const total = Math.max(p.total ?? 0, p.checked + p.skipped);
  const done = p.checked + p.skipped;
  const frac = total === 0 ? 1 : done / total;
  const fill = Math.round(frac * width);
  return `[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${String(Math.round(frac * 100)).padStart(3)}% ${done}/${total} checked, ${p.merged} merged`;
}
