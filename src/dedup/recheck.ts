// Re-dedup of memories flagged `needsRecheck` (stored with exact dedup only: a fallback, or
// `memory.realtime-dedup` off), against the user's other active memories, with the full cascade.
// One user's slice is one commit guarded by the user version, like a batch, retried by src/store/commitPlan.ts.
//
// What a recheck can find, and how it is recorded (ordinary events, undoable by engine.undo):
//   duplicate           -> the flagged memory is merged into the one it duplicates: that one is reinforced
//                          (seenCount += the flagged one's), the flagged one becomes `superseded`.
//                          Event: action `duplicate`, candidateId `sweep:<flagged id>`, memoryId = the kept
//                          memory, comparedMemoryId = the merged one. Undo re-activates the merged memory.
//   superseded/updated  -> of the two contradicting (or refining) memories the older is marked `superseded`,
//                          the newer stays. Event: action `superseded`, memoryId = newer, comparedMemoryId = older.
//   added               -> nothing to merge: only the flag is cleared (no event).
import { newId } from '../ids.js';
import { commitPlan, type Plan } from '../store/commitPlan.js';
import type { Store } from '../store/types.js';
import { indexSnapshot } from './indexCache.js';
import type { MemdedupEvent, Memory } from '../types.js';
import type { BatchPolicy } from './decideBatch.js';
import type { Deduper } from './types.js';

export const SWEEP_CANDIDATE_PREFIX = 'sweep:';

export interface RecheckCounts { checked: number; merged: number; superseded: number }

export interface RecheckDeps {
  store: Store;
  deduper: Deduper;
  now?: () => number;
  policyFor?: (userId: string) => BatchPolicy;
  /** After each commit tried: the flagged memories it decided, and whether it landed (the `recheck` event). */
  onChecked?: (ids: string[], committed: boolean) => void;
}

/** Commits tried when other writers keep moving the user version; then the slice is left for a later pass. */
const RECHECK_ATTEMPTS = 5;

/** What a recheck plan decided: the counts it reports, and the flagged memories it decided. */
export interface Rechecked { counts: RecheckCounts; decided: string[] }

/**
 * Rechecks `ids` of one user, re-reading and re-deciding when another writer moved the user version or an erasure
 * refused the commit (src/store/commitPlan.ts); resolves null (nothing written) when the version kept moving.
 */
export async function recheckUser(deps: RecheckDeps, userId: string, ids: string[]): Promise<RecheckCounts | null> {
  const out = await commitPlan(deps.store, () => planRecheck(deps, userId, ids), {
    maxAttempts: RECHECK_ATTEMPTS,
    onRefused: (p) => deps.onChecked?.(p.result.decided, false),
  });
  if (!out.ok) return null;
  if (out.written) deps.onChecked?.(out.result.decided, true);
  return out.result.counts;
}

/** Decides `ids` of one user against a fresh snapshot: the commit that records it (none when nothing changes). */
export async function planRecheck(deps: RecheckDeps, userId: string, ids: string[]): Promise<Plan<Rechecked>> {
  const { store, deduper } = deps;
  const policy = deps.policyFor?.(userId);
  const now = (deps.now ?? Date.now)();
  const readAt = Date.now();
  const snap = await store.loadUser(userId);
  const memories = new Map(snap.memories.map((m) => [m.id, m]));
  const index = await indexSnapshot(store, deduper, snap);
  const changed = new Map<string, Memory>();
  const events: MemdedupEvent[] = [];
  const counts: RecheckCounts = { checked: 0, merged: 0, superseded: 0 };
  const put = (m: Memory) => { changed.set(m.id, m); if (m.status === 'active') memories.set(m.id, m); else memories.delete(m.id); };
  const bump = (m: Memory, patch: Partial<Memory>): Memory => ({ ...m, ...patch, version: m.version + 1, updatedAt: now });

  // Insertion order decides which of two contradicting facts is the newer one (createdAt may tie in a batch).
  const order = new Map(snap.memories.map((m, i) => [m.id, i]));
  // A flagged memory resolved by another one's recheck (superseded by it) counts as checked too.
  counts.checked = ids.filter((id) => memories.get(id)?.needsRecheck).length;
  const decided: string[] = [];
  for (const id of ids) {
    const m = memories.get(id);
    if (!m || !m.needsRecheck) continue;
    decided.push(id);
    const p = index.get(m.id) ?? (await deduper.prepare([m.text]))[0]!;
    index.remove(m.id);
    const v = await deduper.decide(p, index, policy ? { thresholds: policy.thresholds } : {});
    const target = v.memoryId ? memories.get(v.memoryId) : undefined;
    const event = (action: MemdedupEvent['action'], memoryId: string, comparedMemoryId: string, reasons: string[]): MemdedupEvent => ({
      id: newId(), userId, candidateId: `${SWEEP_CANDIDATE_PREFIX}${m.id}`, action, memoryId, comparedMemoryId,
      comparedText: target?.text ?? null, candidateText: m.text, previousText: null, method: v.method, score: v.score,
      reasons: ['sweep', ...reasons, ...v.reasons], undoes: null, undoneBy: null, policy: policy?.name ?? 'default', at: now,
    });
    if (v.action === 'duplicate' && target) {
      put(bump(target, { seenCount: target.seenCount + m.seenCount, sources: [...new Set([...target.sources, ...m.sources])] }));
      put(bump(m, { status: 'superseded', needsRecheck: false }));
      events.push(event('duplicate', target.id, m.id, []));
      counts.merged++;
    } else if ((v.action === 'superseded' || v.action === 'updated') && target) {
      // The newer fact wins, whichever of the two is being rechecked.
      const mIsNewer = order.get(m.id)! > order.get(target.id)!;
      const [newer, older] = mIsNewer ? [m, target] : [target, m];
      put(bump(older, { status: 'superseded', needsRecheck: false }));
      if (mIsNewer) { index.remove(target.id); put(bump(m, { needsRecheck: false })); index.add(m.id, p); }
      events.push(event('superseded', newer.id, older.id, v.action === 'updated' ? ['more-specific'] : []));
      counts.superseded++;
    } else {
      put(bump(m, { needsRecheck: false }));
      index.add(m.id, p);
    }
  }
  if (changed.size === 0) return { result: { counts, decided } };
  // Refused when the user was erased since the snapshot (in any process): nothing of it may be written back, and
  // the re-plan's reload finds what is left.
  return { commit: { userId, expectedVersion: snap.version, memories: [...changed.values()], events, journalIds: [], readAt },
    result: { counts, decided } };
}
