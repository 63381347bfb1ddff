// A diagnostic run: a scratch namespace of users (erased afterwards, whatever happens) and named timings.
import { randomUUID } from 'node:crypto';
import type { Engine } from '../../engine.js';
import type { Decision, Submission } from '../../types.js';

export interface DiagnosticResult { ok: boolean; timings: Record<string, number>; details: Record<string, unknown> }

export class Scratch {
  /** Scratch users share a prefix no client id is likely to use, and a fresh run id. */
  readonly prefix = `__memdedup-diagnostic__:${randomUUID().slice(0, 8)}`;
  readonly timings: Record<string, number> = {};
  private readonly users = new Set<string>();

  constructor(readonly engine: Engine) {}

  user(n: number | string): string {
    const u = `${this.prefix}:${n}`;
    this.users.add(u);
    return u;
  }

  /** Runs fn and records its duration in ms under `name`. */
  async time<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const t0 = performance.now();
    try { return await fn(); } finally { this.timings[name] = round(performance.now() - t0); }
  }

  /** Submits and waits for every decision; fails loudly if a candidate was not accepted. */
  async decideAll(inputs: { userId: string; text: string; priority?: 'high' | 'normal' | 'low' }[]): Promise<{ subs: Submission[]; decisions: Decision[] }> {
    const subs = inputs.map((c) => this.engine.submit({ ...c, source: 'diagnostic' }));
    const decisions = await Promise.all(subs.map((s) => s.decided));
    return { subs, decisions };
  }

  /** Erases every scratch user; returns the rows removed. */
  async cleanup(): Promise<number> {
    let removed = 0;
    for (const u of this.users) removed += (await this.engine.erase(u)).removed;
    return removed;
  }
}

export const round = (ms: number) => Math.round(ms * 1000) / 1000;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) { const k = key(i); out[k] = (out[k] ?? 0) + 1; }
  return out;
}

/** Runs a diagnostic in a fresh scratch namespace and always cleans it up (a throw still erases, then propagates). */
export async function runDiagnostic(engine: Engine, fn: (s: Scratch) => Promise<{ ok: boolean; details: Record<string, unknown> }>): Promise<DiagnosticResult> {
  const s = new Scratch(engine);
  const t0 = performance.now();
  let rowsRemoved = 0;
  let result: { ok: boolean; details: Record<string, unknown> };
  try {
    result = await fn(s);
  } finally {
    rowsRemoved = await s.time('cleanupMs', () => s.cleanup());
    s.timings.totalMs = round(performance.now() - t0);
  }
  return { ok: result.ok, timings: s.timings, details: { ...result.details, scratch: { prefix: s.prefix, rowsRemoved } } };
}

/** Words to build scratch facts that share no content with each other. */
const WORDS = ['kayaking', 'origami', 'sourdough', 'telescopes', 'mandolin', 'bonsai', 'fencing', 'pottery', 'chess', 'beekeeping',
  'salsa', 'archery', 'calligraphy', 'falconry', 'juggling', 'knitting', 'parkour', 'rowing', 'sailing', 'woodcarving'];
const OBJECTS = ['a red bicycle', 'a vintage camera', 'an old piano', 'a green parrot', 'a small boat', 'a stone cottage',
  'a jade necklace', 'a leather satchel', 'a brass compass', 'a wool blanket'];

/** A distinct, plausible fact for index i (unique for i < 200). */
export function scratchFact(i: number): string {
  const w = WORDS[i % WORDS.length]!;
  const o = OBJECTS[Math.floor(i / WORDS.length) % OBJECTS.length]!;
  return `Enjoys ${w} and keeps ${o}`;
}
