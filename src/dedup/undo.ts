// Undo: every kind of event can be reversed; nothing is deleted, the reversal is itself an event.
import { newId } from '../ids.js';
import { MemdedupError } from '../errors.js';
import { commitPlan, type BatchCommit } from '../store/commitPlan.js';
import type { Store } from '../store/types.js';
import type { MemdedupEvent, Memory } from '../types.js';
import { SWEEP_CANDIDATE_PREFIX } from './recheck.js';

async function mustMemory(store: Store, id: string | null): Promise<Memory> {
  const m = id ? await store.memory(id) : undefined;
  if (!m) throw new MemdedupError('NOT_FOUND', `memory ${id} not found`);
  return m;
}

/** Builds the commit that reverses `e` (without the version, which the caller fills). */
export async function planUndo(store: Store, e: MemdedupEvent, now: number): Promise<Omit<BatchCommit, 'expectedVersion'>> {
  if (e.action === 'undo') throw new MemdedupError('CONFLICT', 'an undo event cannot be undone; undo the original again is not possible either');
  if (e.undoneBy) throw new MemdedupError('CONFLICT', `event ${e.id} was already undone by ${e.undoneBy}`);
  const undo: MemdedupEvent = {
    id: newId(), userId: e.userId, candidateId: null, action: 'undo', memoryId: e.memoryId, comparedMemoryId: e.comparedMemoryId,
    comparedText: null, candidateText: e.candidateText, previousText: null, method: null, score: null, reasons: [`undo-${e.action}`],
    undoes: e.id, undoneBy: null, policy: e.policy, at: now,
  };
  const memories: Memory[] = [];
  const bump = (m: Memory, patch: Partial<Memory>): Memory => ({ ...m, ...patch, version: m.version + 1, updatedAt: now });
  const reinforced = e.action === 'duplicate' || (e.action === 'fallback' && e.comparedMemoryId !== null && e.comparedMemoryId === e.memoryId);

  if (e.action === 'duplicate' && e.candidateId?.startsWith(SWEEP_CANDIDATE_PREFIX)) {
    // A sweep merged an existing memory into another: the merged one comes back, and stays out of the sweep.
    const kept = await mustMemory(store, e.memoryId);
    const merged = await mustMemory(store, e.comparedMemoryId);
    memories.push(bump(kept, { seenCount: Math.max(1, kept.seenCount - merged.seenCount) }));
    memories.push(bump(merged, { status: 'active', needsRecheck: false }));
    undo.memoryId = merged.id;
  } else if (reinforced) {
    // The candidate was merged into a memory: give it back its own memory.
    const m = await mustMemory(store, e.memoryId);
    memories.push(bump(m, { seenCount: Math.max(1, m.seenCount - 1) }));
    const own: Memory = { id: newId(), userId: e.userId, text: e.candidateText ?? m.text, status: 'active', version: 1, seenCount: 1,
      needsRecheck: false, sources: [], createdAt: now, updatedAt: now };
    memories.push(own);
    undo.memoryId = own.id;
  } else if (e.action === 'updated') {
    const m = await mustMemory(store, e.memoryId);
    memories.push(bump(m, { text: e.previousText ?? m.text, seenCount: Math.max(1, m.seenCount - 1) }));
  } else if (e.action === 'superseded') {
    // The two facts were not in conflict after all: both stay active.
    const old = await mustMemory(store, e.comparedMemoryId);
    memories.push(bump(old, { status: 'active' }));
  } else if (e.action === 'added' || e.action === 'fallback') {
    const m = await mustMemory(store, e.memoryId);
    memories.push(bump(m, { status: 'forgotten' }));
  } else if (e.action === 'forget') {
    const m = await mustMemory(store, e.memoryId);
    memories.push(bump(m, { status: 'active' }));
  }
  return { userId: e.userId, memories, events: [undo], undone: [{ eventId: e.id, undoneBy: undo.id }], journalIds: [] };
}

/** Builds the commit that forgets a memory (an operator action, recorded as an event). */
export async function planForget(store: Store, userId: string, memoryId: string, now: number, policy = 'default'): Promise<Omit<BatchCommit, 'expectedVersion'>> {
  const m = await store.memory(memoryId);
  if (!m || m.userId !== userId) throw new MemdedupError('NOT_FOUND', `memory ${memoryId} not found for this user`);
  const ev: MemdedupEvent = {
    id: newId(), userId, candidateId: null, action: 'forget', memoryId, comparedMemoryId: null, comparedText: null,
    candidateText: null, previousText: null, method: null, score: null, reasons: ['operator-forget'], undoes: null, undoneBy: null, policy, at: now,
  };
  const memories = m.status === 'forgotten' ? [] : [{ ...m, status: 'forgotten' as const, version: m.version + 1, updatedAt: now }];
  return { userId, memories, events: [ev], journalIds: [] };
}

/** Commits tried when other writers keep moving the user version (an operator can simply try again after). */
const OPERATOR_ATTEMPTS = 10;

/**
 * Commits an operator's plan (undo, forget) under the user version, re-planning on a fresh version when another
 * writer moved it or an erasure refused it (src/store/commitPlan.ts); after an erasure the plan usually finds its
 * memory or event gone (NOT_FOUND).
 */
export async function commitOperator(store: Store, cache: { invalidate(userId: string): void }, userId: string,
  plan: () => Promise<Omit<BatchCommit, 'expectedVersion'>>): Promise<MemdedupEvent> {
  const out = await commitPlan(store, async () => {
    // Read before planning, so the plan is never older than what the version guards.
    const readAt = Date.now();
    const expectedVersion = await store.userVersion(userId);
    const p = await plan();
    return { commit: { ...p, expectedVersion, readAt }, result: p.events[0]! };
  }, { maxAttempts: OPERATOR_ATTEMPTS });
  if (!out.ok) throw new MemdedupError('VERSION_CONFLICT', `user ${userId} kept changing; try again`);
  cache.invalidate(userId);
  return out.result;
}
