// `memdedup report [--since 7d] [--json] [--html FILE]`: dedup quality from the store's own record —
// decisions by action, method, reason and policy, how many were undone, and the policies side by side.
// Read-only (SQLite opened readonly, PostgreSQL through a pool of two), so it runs next to a live server.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../alerts/duration.js';
import { invalidInput, isMemdedupError } from '../errors.js';
import { FORGET_AFTER_MERGE_MS, ReportBuilder, type Report } from '../report/aggregate.js';
import { reportHtml } from '../report/html.js';
import { progressBar, type ProgressFn } from '../report/progress.js';
import { PostgresReportSource, SqliteReportSource, type ReportSource } from '../report/source.js';
import { reportText } from '../report/text.js';

export const REPORT_USAGE = `usage: memdedup report [--since 7d] [--json] [--html FILE] [--db FILE]

  --since D      decisions made in the last D (a duration: 24h, 7d, 4w) or since an ISO date   (default 7d)
  --json         one JSON object on stdout (keys: decisions, reversals, policies, daily)
  --html FILE    also write a self-contained HTML page with SVG charts
  --db FILE      the SQLite store (default MEMDEDUP_DB, else ./data/memdedup.db)
                 without --db, DATABASE_URL reads the PostgreSQL store (schema MEMDEDUP_PG_SCHEMA)
  --progress     always draw the progress bar on stderr (default: for stores of ${'>'}= 20000 events in range)
  --no-progress  never draw it
`;

/** Events per page: one short read each, so a live writer is never held up. */
const PAGE = 5000;
/** Below this many events the report is quick: no progress bar unless asked. */
const PROGRESS_FROM = 20_000;
/** Forgets looked up per query. */
const FORGET_CHUNK = 1000;

export interface ReportOptions { since: number; until: number; progress?: ProgressFn }

/** Streams every event in range through the builder. */
export async function buildReport(source: ReportSource, o: ReportOptions): Promise<Report> {
  const b = new ReportBuilder(o.since, o.until, source.kind);
  const total = o.progress ? await source.count(o.since) : 0;
  let done = 0;
  let after = await source.startSeq(o.since);
  o.progress?.(0, total);
  for (;;) {
    const rows = await source.page(o.since, after, PAGE);
    if (rows.length === 0) break;
    for (const r of rows) b.add(r);
    after = rows[rows.length - 1]!.seq;
    done += rows.length;
    // Events written while the report runs make `done` pass the first count.
    o.progress?.(Math.min(done, total), Math.max(total, done));
  }
  if (o.progress && done < total) o.progress(total, total);
  for (let i = 0; i < b.forgets.length; i += FORGET_CHUNK) {
    b.addForgetMatches(await source.mergedBefore(b.forgets.slice(i, i + FORGET_CHUNK), FORGET_AFTER_MERGE_MS));
  }
  return b.build();
}

/** `7d` back from now, or an ISO date. */
export function parseSince(v: string, now: number): number {
  if (/^\d+(ms|s|m|h|d|w|y)/.test(v)) return now - parseDuration('--since', v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalidInput('--since', 'must be a duration (24h, 7d) or an ISO date (2026-11-01)');
  return t;
}

export function reportSource(v: { db?: string }, env: NodeJS.ProcessEnv): ReportSource {
  if (v.db === undefined && env.DATABASE_URL) return new PostgresReportSource(env.DATABASE_URL, env.MEMDEDUP_PG_SCHEMA || undefined);
  return new SqliteReportSource(resolve(v.db ?? (env.MEMDEDUP_DB || './data/memdedup.db')));
}

export async function reportCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let v;
  try {
    v = parseArgs({ args: argv, strict: true, allowNegative: true, options: {
      since: { type: 'string', default: '7d' }, json: { type: 'boolean' }, html: { type: 'string' }, db: { type: 'string' },
      progress: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    } }).values;
  } catch (e) {
    process.stderr.write(`memdedup report: ${(e as Error).message}\n${REPORT_USAGE}`);
    return 2;
  }
  if (v.help) { process.stdout.write(REPORT_USAGE); return 0; }
  const now = Date.now();
  let source: ReportSource;
  let since: number;
  try {
    since = parseSince(v.since, now);
    source = reportSource(v, env);
  } catch (e) {
    if (!isMemdedupError(e)) throw e;
    process.stderr.write(`memdedup report: ${e.message}\n`);
    return 2;
  }
  try {
    let progress: ProgressFn | undefined;
    if (v.progress !== false) {
      const bar = progressBar('events');
      const forced = v.progress === true;
      progress = (done, total) => { if (forced || total >= PROGRESS_FROM) bar(done, total); };
    }
    const report = await buildReport(source, { since, until: now, progress });
    if (typeof v.html === 'string') {
      writeFileSync(v.html, reportHtml(report));
      process.stderr.write(`memdedup report: wrote ${v.html}\n`);
    }
    process.stdout.write(v.json ? `${JSON.stringify(report)}\n` : reportText(report));
    return 0;
  } finally {
    await source.close();
  }
}
