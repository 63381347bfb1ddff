// Odd texts against every store: what the text rules (src/intake/textRules.ts) let through, every store keeps
// exactly, in the journal and as a memory; what they refuse never reaches a store. Part of the Store contract.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { MemdedupError } from '../../src/errors.js';
import { TEXT_MAX, TEXT_MAX_BYTES } from '../../src/intake/textRules.js';
import { validateCandidate } from '../../src/intake/validate.js';
import type { Store } from '../../src/store/types.js';

/** [name, text, field the rules refuse (undefined: accepted)]. */
export const ODD_TEXTS: [string, string, 'text' | undefined][] = [
  ['NUL', 'Has a \u0000 inside', 'text'],
  ['bell and escape', 'Likes \u0007 and \u001b[31m red', 'text'],
  ['vertical tab inside', 'Owns a\u000bboat', 'text'],
  ['DEL', 'Deletes \u007f things', 'text'],
  ['C1 control (NEL)', 'Next\u0085line', 'text'],
  ['lone high surrogate', 'Broken \ud83d emoji', 'text'],
  ['lone low surrogate', 'Broken \ude00 emoji', 'text'],
  ['reversed surrogate pair', 'Reversed \ude00\ud83d pair', 'text'],
  ['tab, newline, carriage return', 'Likes\ttabs\nand\r\nCRLF lines', undefined],
  ['4-byte emoji', 'Loves 🐕‍🦺 and 😀 and 𝄞', undefined],
  ['combining marks', 'Cafe\u0301 and n\u0303 and Z\u0335\u0321a\u0336lgo', undefined],
  ['right-to-left', 'שלום, اسمي محمد ‏and mixed‎ text', undefined],
  ['zero-width and BOM', 'Zero\u200bwidth\u200djoiner\ufeff', undefined],
  ['max length in UTF-16 units', 'a'.repeat(TEXT_MAX), undefined],
  ['max length in bytes (3-byte units)', '€'.repeat(TEXT_MAX), undefined],
  ['max length in emoji (surrogate pairs)', '😀'.repeat(TEXT_MAX / 2), undefined],
  ['one unit over the max', `${'😀'.repeat(TEXT_MAX / 2)}a`, 'text'],
];

export function textContract(store: () => Store): void {
  it('refuses control characters and lone surrogates at submit, keeps every other odd text exactly', async () => {
    expect(Buffer.byteLength('€'.repeat(TEXT_MAX))).toBe(TEXT_MAX_BYTES);
    const kept: { id: string; text: string }[] = [];
    for (const [name, text, refused] of ODD_TEXTS) {
      let err: unknown;
      let c;
      try { c = validateCandidate({ userId: 'odd', text, id: `odd-${randomUUID()}` }); } catch (e) { err = e; }
      if (refused) {
        expect(err, name).toBeInstanceOf(MemdedupError);
        expect((err as MemdedupError).code, name).toBe('INVALID_INPUT');
        expect((err as MemdedupError).details, name).toEqual([expect.objectContaining({ field: refused })]);
        continue;
      }
      expect(err, name).toBeUndefined();
      await store().appendJournal([c!], { owner: 'odd', until: 0 });
      kept.push({ id: c!.id, text: c!.text });
    }
    const claimed = await store().claimJournal('odd', 100, 60_000);
    expect(claimed.map((c) => ({ id: c.id, text: c.text }))).toEqual(kept);
    // As memories and events too (what a decision writes).
    const now = Date.now();
    const ok = await store().commit({ userId: 'odd', expectedVersion: 0, journalIds: kept.map((k) => k.id),
      memories: kept.map((k) => ({ id: `m-${k.id}`, userId: 'odd', text: k.text, status: 'active', version: 1, seenCount: 1, needsRecheck: false,
        sources: [k.text.slice(0, 50)], createdAt: now, updatedAt: now })),
      events: kept.map((k) => ({ id: `e-${k.id}`, userId: 'odd', candidateId: k.id, action: 'added', memoryId: `m-${k.id}`, comparedMemoryId: null,
        comparedText: null, candidateText: k.text, previousText: null, method: 'none', score: null, reasons: [], undoes: null, undoneBy: null, at: now })) });
    expect(ok).toBe(true);
    const { memories } = await store().loadUser('odd');
    expect(memories.map((m) => m.text)).toEqual(kept.map((k) => k.text));
    const events = await store().eventsForCandidates(kept.map((k) => k.id));
    expect(events.map((e) => e.candidateText).sort()).toEqual(kept.map((k) => k.text).sort());
    expect(await store().journalDepth()).toBe(0);
  });
}
