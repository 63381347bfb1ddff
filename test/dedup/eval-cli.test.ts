// `memdedup eval` end to end through the built bin (build first): pairs (4-way and binary), stream, plot.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelOfDecision, prCurve, scorePairs } from '../../src/eval/metrics.js';
import { tempDir } from '../helpers/engine.js';

const BIN = join(__dirname, '..', '..', 'bin', 'memdedup.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'eval', ...args], { encoding: 'utf8' });
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('metrics', () => {
  it('maps decisions to labels and scores a confusion matrix', () => {
    expect(['duplicate', 'updated', 'superseded', 'added', 'fallback'].map((a) => labelOfDecision(a as never)))
      .toEqual(['duplicate', 'update', 'conflict', 'distinct', 'error']);
    const r = scorePairs([
      { gold: 'duplicate', predicted: 'duplicate', kind: 'k1', score: 1, mergeable: true },
      { gold: 'duplicate', predicted: 'distinct', kind: 'k1', score: 0.3, mergeable: true },
      { gold: 'distinct', predicted: 'duplicate', kind: 'k2', score: 0.9, mergeable: true },
      { gold: 'distinct', predicted: 'distinct', kind: 'k2', score: 0.1, mergeable: true },
    ]);
    expect(r.perLabel.duplicate).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(r.byKind.k1).toEqual({ label: 'duplicate', support: 2, correct: 1, recall: 0.5 });
    expect(r.falseMergeRate).toBe(0.5);
    expect(r.accuracy).toBe(0.5);
    expect(r.confusion).toEqual({ duplicate: { duplicate: 1, distinct: 1 }, distinct: { duplicate: 1, distinct: 1 } });
    const curve = prCurve([{ gold: 'duplicate', predicted: 'duplicate', score: 0.9, mergeable: true },
      { gold: 'distinct', predicted: 'distinct', score: 0.5, mergeable: true }], 10);
    expect(curve.find((p) => p.threshold === 0.5)).toMatchObject({ precision: 0.5, recall: 1 });
    expect(curve.find((p) => p.threshold === 0.6)).toMatchObject({ precision: 1, recall: 1 });
  });
});

describe('memdedup eval', () => {
  const dir = tempDir();
  const pairs = join(dir, 'pairs.jsonl');
  writeFileSync(pairs, jsonl([
    { a: 'Keeps two goldfish', b: 'I keep two goldfish', label: 'duplicate', kind: 'prefix' },
    { a: 'Speaks Welsh', b: 'Speaks Welsh at home with their grandmother', label: 'update', kind: 'more' },
    { a: 'Owns a blue bicycle', b: 'Owns a green bicycle', label: 'distinct', kind: 'entity' },
    { a: 'Sleeps 7 hours a night', b: 'Sleeps 5 hours a night', label: 'conflict', kind: 'number' },
  ]));

  it('--pairs --json prints the issue\'s shape, and --plot writes an SVG', () => {
    const svg = join(dir, 'pr.svg');
    const r = run(['--pairs', pairs, '--json', '--plot', svg]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(j.pairs).toBe(4);
    expect(Object.keys(j)).toEqual(['pairs', 'confusion', 'perLabel', 'byKind', 'accuracy', 'falseMergeRate']);
    expect(j.byKind.prefix).toEqual({ label: 'duplicate', support: 1, correct: 1, recall: 1 });
    expect(j.byKind.number.correct).toBe(1);
    expect(readFileSync(svg, 'utf8')).toContain('<svg');
  });

  it('reports each of several --pairs files on its own, users kept apart', () => {
    const other = join(dir, 'other.jsonl');
    // The same texts as the first file's first pair: were users shared, b would meet two memories.
    writeFileSync(other, jsonl([
      { a: 'Keeps two goldfish', b: "Her flatmate keeps two goldfish", label: 'distinct', kind: 'subject' },
    ]));
    const r = run(['--pairs', pairs, '--pairs', other, '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(j.reports.map((x: { file: string; pairs: number }) => [x.file, x.pairs])).toEqual([[pairs, 4], [other, 1]]);
    expect(j.reports[1].byKind.subject).toEqual({ label: 'distinct', support: 1, correct: 1, recall: 1 });
    const text = run(['--pairs', pairs, '--pairs', other]);
    expect(text.stdout).toContain(`# ${other}`);
  });

  it('accepts binary labels and prints a readable table without --json', () => {
    const bin = join(dir, 'bin.jsonl');
    writeFileSync(bin, jsonl([{ a: 'Likes tea', b: 'likes tea.', label: 1 }, { a: 'Likes tea', b: 'Grows tomatoes', label: 0 }]));
    const r = run(['--pairs', bin]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/duplicate\s+1\.000\s+1\.000/);
  });

  it('--stream reports merges per (conv, speaker) user', () => {
    const facts = join(dir, 'facts.jsonl');
    writeFileSync(facts, jsonl([
      { conv: '1', speaker: 'A', fact: 'Ana adopted a puppy.' }, { conv: '1', speaker: 'A', fact: 'Ana adopted a puppy' },
      { conv: '1', speaker: 'B', fact: 'Ana adopted a puppy.' }, { conv: '2', speaker: 'A', fact: 'Ben plays the oboe.' },
    ]));
    const r = run(['--stream', facts, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ facts: 4, users: 3, merged: 1, mergeRate: 0.25 });
  });

  it('refuses bad input with a clear message', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"a":"x","b":"y","label":"maybe"}\n');
    const r = run(['--pairs', bad, '--json']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/label/);
    expect(run([]).status).toBe(2);
  });
});

describe('--policy', () => {
  const dir = tempDir();
  const pairs = join(dir, 'pairs.jsonl');
  const config = join(dir, 'config.json');
  writeFileSync(pairs, jsonl([{ a: 'Owns a red bicycle', b: 'Owns a bicycle', label: 'duplicate' }, { a: 'Likes tea', b: 'Likes coffee', label: 'distinct' }]));
  writeFileSync(config, JSON.stringify({ engine: { dedup: { policies: { strict: { thresholds: { duplicate: 0.95 } } } } } }));

  it('evaluates a configured policy with its thresholds, and names it in the output', () => {
    const strict = run(['--pairs', pairs, '--policy', 'strict', '--config', config, '--json']);
    expect(strict.status, strict.stderr).toBe(0);
    const s = JSON.parse(strict.stdout);
    expect(s).toMatchObject({ policy: 'strict', thresholds: { duplicate: 0.95 }, pairs: 2 });
    const dflt = JSON.parse(run(['--pairs', pairs, '--policy', 'default', '--config', config, '--json']).stdout);
    expect(dflt).toMatchObject({ policy: 'default', thresholds: {} });
    // The strict profile keeps the near duplicate apart; the built-in one merges it.
    expect(s.confusion.duplicate.distinct).toBe(1);
    expect(dflt.confusion.duplicate.duplicate).toBe(1);
  });

  it('refuses a policy the config does not define, naming the ones it does', () => {
    const r = run(['--pairs', pairs, '--policy', 'lenient', '--config', config]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--policy names no policy configured in .*config\.json; configured: default, strict/);
  });
});
