// Runs the real engine in-process over labelled pairs or a fact stream: SQLite :memory:, every flag on.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../engine.js';
import { MemdedupError } from '../errors.js';
import { FLAG_NAMES } from '../flags/types.js';
import type { EngineOptions } from '../options.js';
import type { Decision } from '../types.js';
import { labelOfDecision, parseLabel, type Label, type PairOutcome } from './metrics.js';

/** Reasons after which the duplicate threshold alone decided (the pair was mergeable had it scored higher). */
const THRESHOLD_ONLY = new Set(['below-threshold', 'same-content', 'contained-in', 'more-general', 'exact-match', 'semantic-similar']);

export interface PairRow { a: string; b: string; label: Label; kind?: string }
export interface FactRow { conv: string; speaker: string; fact: string }
export type Progress = (done: number, total: number) => void;

function readJsonl(file: string): unknown[] {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    throw new MemdedupError('INVALID_INPUT', `cannot read ${file}: ${(e as Error).message}`);
  }
  return text.split('\n').map((l, i) => [l.trim(), i + 1] as const).filter(([l]) => l).map(([l, n]) => {
    try { return JSON.parse(l) as unknown; } catch { throw new MemdedupError('INVALID_INPUT', `${file}:${n}: not JSON`); }
  });
}

export function readPairs(file: string): PairRow[] {
  return readJsonl(file).map((r, i) => {
    const o = r as Record<string, unknown>;
    const label = parseLabel(o.label);
    if (typeof o.a !== 'string' || typeof o.b !== 'string' || !label) {
      throw new MemdedupError('INVALID_INPUT', `${file}: row ${i + 1} needs string a, b and a label duplicate|update|conflict|distinct|1|0`);
    }
    return { a: o.a, b: o.b, label, ...(typeof o.kind === 'string' ? { kind: o.kind } : {}) };
  });
}

export function readFacts(file: string): FactRow[] {
  return readJsonl(file).map((r, i) => {
    const o = r as Record<string, unknown>;
    if (typeof o.fact !== 'string' || o.conv === undefined || o.speaker === undefined) {
      throw new MemdedupError('INVALID_INPUT', `${file}: row ${i + 1} needs conv, speaker and fact`);
    }
    return { conv: String(o.conv), speaker: String(o.speaker), fact: o.fact };
  });
}

/** An engine on :memory: with every flag on (a temp flags file), removed again by `done()`. */
export async function evalEngine(o: EngineOptions): Promise<{ engine: Engine; done: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'memdedup-eval-'));
  const file = join(dir, 'flags.json');
  const features = Object.values(FLAG_NAMES).map((name) => ({ name, enabled: true, strategies: [{ name: 'default', parameters: {} }] }));
  writeFileSync(file, JSON.stringify({ version: 1, features }));
  const engine = await createEngine({ concurrency: 32, logLevel: 'silent', ...o, store: { kind: 'sqlite', path: ':memory:' }, flags: { kind: 'embedded', file } });
  return { engine, done: async () => { await engine.close(); rmSync(dir, { recursive: true, force: true }); } };
}

async function tracked<T>(ps: Promise<T>[], progress?: Progress): Promise<T[]> {
  let done = 0;
  progress?.(0, ps.length);
  return Promise.all(ps.map((p) => p.then((v) => { progress?.(++done, ps.length); return v; })));
}

/** Each pair gets a fresh user: submit a, then b, and read b's decision. */
export type PairResult = PairOutcome & { decision: Decision; pair: PairRow };

/** `set` keeps users of several pair files in one engine apart. */
export async function runPairs(engine: Engine, pairs: PairRow[], progress?: Progress, set = 0): Promise<PairResult[]> {
  const decided: Promise<Decision>[] = pairs.map((p, i) => {
    const userId = set ? `eval-pair-${set}-${i}` : `eval-pair-${i}`;
    try {
      engine.submit({ userId, id: `${userId}-a`, text: p.a });
      return engine.submit({ userId, id: `${userId}-b`, text: p.b }).decided;
    } catch (e) {
      // A text the engine refuses (empty, too long) is scored as an error, not a crash of the whole run.
      return Promise.resolve({ candidateId: `${userId}-b`, userId, action: 'dead-letter', error: (e as Error).message } as Decision);
    }
  });
  const ds = await tracked(decided, progress);
  return ds.map((d, i) => {
    const p = pairs[i]!;
    const predicted = labelOfDecision(d.action);
    const mergeable = predicted === 'duplicate' || (d.reasons ?? []).some((r) => THRESHOLD_ONLY.has(r));
    return { gold: p.label, predicted, ...(p.kind ? { kind: p.kind } : {}), score: d.score ?? 0, mergeable, decision: d, pair: p };
  });
}

export interface StreamReport { facts: number; users: number; merged: number; mergeRate: number }

/** Each (conv, speaker) is one user; its facts go in in file order. */
export async function runStream(engine: Engine, facts: FactRow[], progress?: Progress): Promise<{ report: StreamReport; decisions: Decision[] }> {
  const users = new Set<string>();
  const decided = facts.map((f, i) => {
    const userId = `eval-${f.conv}-${f.speaker}`;
    users.add(userId);
    try {
      return engine.submit({ userId, id: `eval-fact-${i}`, text: f.fact }).decided;
    } catch (e) {
      return Promise.resolve({ candidateId: `eval-fact-${i}`, userId, action: 'dead-letter', error: (e as Error).message } as Decision);
    }
  });
  const decisions = await tracked(decided, progress);
  const merged = decisions.filter((d) => d.action === 'duplicate' || d.action === 'updated' || d.action === 'superseded').length;
  return {
    report: { facts: facts.length, users: users.size, merged, mergeRate: Math.round((facts.length ? merged / facts.length : 0) * 1e4) / 1e4 },
    decisions,
  };
}
