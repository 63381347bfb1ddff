// An OpenAI-compatible embeddings client (OpenAI, Ollama, vLLM, TEI): POST {baseURL}/embeddings, one request per batch.
import type { ProviderBreaker } from './breaker.js';
import { postJson, ProviderError, type Endpoint } from './http.js';
import type { BreakerState, DenseVector, Embedder } from './types.js';

export type { DenseVector } from './types.js';

/** Texts per request at most (a batch of 100 candidates is one request; a cold index load is a few). */
const MAX_INPUTS = 256;

export class OpenAIEmbedder implements Embedder {
  constructor(private readonly ep: Endpoint & { model: string }, private readonly breaker: ProviderBreaker) {}

  get model(): string { return this.ep.model; }

  get state(): BreakerState { return this.breaker.state; }

  /** L2-normalized vectors, in input order. Rejects on any failure (the caller falls back). */
  async embed(texts: string[]): Promise<DenseVector[]> {
    const out: DenseVector[] = [];
    for (let i = 0; i < texts.length; i += MAX_INPUTS) {
      const chunk = texts.slice(i, i + MAX_INPUTS);
      const body = await this.breaker.fire(() => postJson(this.ep, '/embeddings', { model: this.ep.model, input: chunk }));
      out.push(...parse(body, chunk.length, this.ep.model));
    }
    return out;
  }
}

function parse(body: unknown, n: number, configured: string): DenseVector[] {
  const b = body as { data?: { index?: number; embedding?: unknown }[] };
  if (!Array.isArray(b?.data) || b.data.length !== n) throw new ProviderError(`embeddings answer has ${Array.isArray(b?.data) ? b.data.length : 'no'} vectors for ${n} inputs`);
  // Vectors carry the configured model id, not the answer's `model` field: servers report aliases and dated names
  // ("nomic-embed-text:latest"), and a stored vector is reused only when its model is the configured one.
  const out: DenseVector[] = new Array(n);
  b.data.forEach((d, k) => {
    const idx = typeof d.index === 'number' ? d.index : k;
    if (!Array.isArray(d.embedding) || !d.embedding.every((x) => typeof x === 'number') || idx < 0 || idx >= n) {
      throw new ProviderError('embeddings answer has a malformed vector');
    }
    const v = Float32Array.from(d.embedding as number[]);
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < v.length; j++) v[j]! /= norm;
    out[idx] = { vector: v, model: configured };
  });
  if (out.some((x) => !x)) throw new ProviderError('embeddings answer skipped an index');
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
