// Which worker decides a user: a stable hash of the userId, so a user's lane, index cache and breaker live in
// one worker, and a restarted worker gets the same users back.

/** The users one core decides: those whose partitionOf(userId, count) is `index`. */
export interface Partition { index: number; count: number }

/** FNV-1a (32-bit) of the userId's UTF-16 code units, modulo `count`. Stable across processes and versions. */
export function partitionOf(userId: string, count: number): number {
  if (count <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % count;
}
