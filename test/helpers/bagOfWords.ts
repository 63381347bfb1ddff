// Deterministic embeddings for the loopback embeddings servers of the tests.

/** A bag-of-words vector: equal word sets give equal vectors, so the fake is deterministic and meaningful. */
export function bagOfWords(text: string, dims = 1024): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const w of text.toLowerCase().split(/\W+/).filter(Boolean)) {
    let h = 2166136261;
    for (const c of w) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    v[(h >>> 0) % dims]! += 1;
  }
  return v;
}
