// Deterministic randomness for reproducible workloads: a seeded PRNG and a Zipf sampler.

/** mulberry32: small, fast, good enough for workload generation. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = (r, list) => list[Math.floor(r() * list.length)];

/** Samples ranks 0..n-1 with P(k) proportional to 1/(k+1)^s. */
export function zipf(n, s, r) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) { sum += 1 / Math.pow(k + 1, s); cdf[k] = sum; }
  for (let k = 0; k < n; k++) cdf[k] /= sum;
  return () => {
    const x = r();
    let lo = 0, hi = n - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  };
}

/** Priorities in the mix: 10 % high, 70 % normal, 20 % low. */
export function priority(r) {
  const x = r();
  return x < 0.1 ? 'high' : x < 0.8 ? 'normal' : 'low';
}
