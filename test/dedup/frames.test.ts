// Frames and the guards read from them (issue 13's five classes), on sentences written for these tests only.
import { describe, expect, it } from 'vitest';
import { FRAME_VERSION, frameOf, parseFrame } from '../../src/dedup/frame.js';
import { normalize } from '../../src/dedup/normalize.js';
import { decide } from './decide.js';
import { parseNumberWords } from '../../src/dedup/numbers.js';


describe('frame', () => {
  it('takes the subject from syntax: the implicit user, or an explicit noun phrase', () => {
    expect(frameOf('Bakes sourdough on weekends').subject).toEqual([]);
    expect(frameOf('The user bakes sourdough on weekends').subject).toEqual([]);
    expect(frameOf('I bake sourdough on weekends').subject).toEqual([]);
    expect(frameOf('Her uncle bakes sourdough on weekends').subject).toEqual(['uncle']);
    expect(frameOf('Stepfather bakes sourdough on weekends').subject).toEqual(['stepfather']);
    expect(frameOf("The user's lodger bakes sourdough").subject).toEqual(['lodger']);
    expect(frameOf('Their flatmate Priya bakes sourdough').subject).toEqual(['flatmate', 'priya']);
  });

  it('records the predicate with its particle, and the role of each argument', () => {
    const f = frameOf('Lends out a van to friends');
    expect(f.predicate).toBe('lend');
    expect(f.particle).toBe('out');
    expect(f.roles).toContainEqual(['friend', 'to']);
    expect(frameOf('Is interpreting from Polish into Czech').roles).toEqual([['polish', 'from'], ['czech', 'into']]);
  });

  it('round-trips through its persisted JSON, and refuses another version', () => {
    const f = frameOf('Her cousin coaches a hockey team');
    expect(parseFrame(JSON.stringify(f))).toEqual(f);
    expect(parseFrame(JSON.stringify({ ...f, v: FRAME_VERSION + 1 }))).toBeUndefined();
    expect(parseFrame('not json')).toBeUndefined();
  });
});

describe('class 1: someone else\'s fact is never merged into the user\'s', () => {
  it.each([
    ['Coaches a hockey team', 'Her cousin coaches a hockey team'],
    ['Coaches a hockey team', 'Stepfather coaches a hockey team.'],
    ['Is allergic to shellfish', "The user's lodger is allergic to shellfish"],
    ['Speaks fluent Welsh', 'My godmother speaks fluent Welsh'],
    ['Their nephew is training to be a pilot', 'Is training to be a pilot'],
    ['Does not drink coffee', "User's housemate doesn't drink coffee"],
    ['The hamster sleeps all day', 'Sleeps all day'],
  ])('%s / %s -> added (subject-change)', async (memory, candidate) => {
    const v = await decide(memory, candidate);
    expect(v.action).toBe('added');
    expect(v.reasons).toContain('subject-change');
  });

  it('still merges the same person written differently', async () => {
    expect((await decide('My parrot is called Kiwi', "The user's parrot is called Kiwi")).action).toBe('duplicate');
    expect((await decide("My parrot's name is Kiwi", "The user's parrot is named Kiwi")).action).toBe('duplicate');
    expect((await decide('I cycle to the office', 'User cycles to the office')).action).toBe('duplicate');
  });
});

describe('class 2: symbols that make a different name', () => {
  it('keeps them as part of the token', () => {
    expect(normalize('Codes in C++')).not.toBe(normalize('Codes in C'));
    expect(normalize('Codes in C#')).not.toBe(normalize('Codes in C'));
    expect(normalize('Learning F#')).not.toBe(normalize('Learning F'));
    expect(normalize('Got an A+ in statistics')).not.toBe(normalize('Got an A in statistics'));
    expect(normalize('Builds apps on .NET')).not.toBe(normalize('Builds apps on net'));
    expect(normalize('Practises a prelude in C# minor')).toBe(normalize('Practises a prelude in C sharp minor'));
  });

  it.each([
    ['Writes firmware in C', 'Writes firmware in C++'],
    ['Got a B in chemistry', 'Got a B+ in chemistry'],
  ])('%s / %s is not a duplicate', async (memory, candidate) => {
    expect(['duplicate', 'updated']).not.toContain((await decide(memory, candidate)).action);
  });
});

describe('class 3: same words, another relation', () => {
  it.each([
    ['Lends a van to neighbours', 'Lends out a van to neighbours', 'relation-change'],
    ['Interprets from Polish into Czech', 'Interprets from Czech into Polish', 'role-change'],
    ['Has a personal trainer at the gym', 'Is a personal trainer at the gym', 'relation-change'],
  ])('%s / %s -> added (%s)', async (memory, candidate, reason) => {
    const v = await decide(memory, candidate);
    expect(v.action).toBe('added');
    expect(v.reasons).toContain(reason);
  });
});

describe('class 4: a longer name is a different thing', () => {
  it.each([
    ['Grew up in Hampshire', 'Grew up in New Hampshire'],
    ['Supports Dundee', 'Supports Dundee United'],
  ])('%s / %s -> added (name-change)', async (memory, candidate) => {
    const v = await decide(memory, candidate);
    expect(v.action).toBe('added');
    expect(v.reasons).toContain('name-change');
  });
});

describe('class 5: surface variants', () => {
  it('reads number words up to years and thousands', () => {
    expect(parseNumberWords('twenty-seven')).toBe(27);
    expect(parseNumberWords('four hundred and six')).toBe(406);
    expect(parseNumberWords('sixty thousand')).toBe(60000);
    expect(parseNumberWords('two thousand and eleven')).toBe(2011);
    expect(parseNumberWords('nineteen eighty-four')).toBe(1984);
    expect(parseNumberWords('twenty twelve')).toBe(2012);
    expect(normalize('Saves $1,500 a month')).toBe(normalize('Saves $1.5k a month'));
    expect(normalize('Moved here in nineteen ninety-nine')).toBe(normalize('Moved here in 1999'));
  });

  it('folds dotted initialisms, dates, weekdays and &', () => {
    expect(normalize('Has an M.B.A. from Leeds')).toBe(normalize('Has an MBA from Leeds'));
    expect(normalize('Dentist appointment on 14 March')).toBe(normalize('Dentist appointment on March 14th'));
    expect(normalize('Swims on Wed')).toBe(normalize('Swims on Wednesday'));
    expect(normalize('Likes salt & vinegar crisps')).toBe(normalize('Likes salt and vinegar crisps'));
    // A capitalised initialism that reads as a function word stays content: "OR" is not "or".
    expect(normalize('Works in the OR at night')).not.toBe(normalize('Works in the at night'));
  });

  it.each([
    ['Rents a desk in a co-working hub', 'Rents a desk in a coworking hub'],
    ['Has a daily stand-up at 9', 'Has a daily standup at 9'],
    ['Volunteers for the Royal National Lifeboat Institution', 'Volunteers for the RNLI'],
    ['Flew to Buenos Aires in March', 'Flew to BA in March'],
    ['Eats a hot dog at every match', 'Eats a frankfurter at every match'],
  ])('%s / %s -> duplicate', async (memory, candidate) => {
    expect((await decide(memory, candidate)).action).toBe('duplicate');
  });

  it('keeps another entity in the same slot apart', async () => {
    expect(['duplicate', 'updated']).not.toContain((await decide('Emails the IT desk daily', 'Emails the HR desk daily')).action);
  });
});
