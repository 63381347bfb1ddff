// Provider settings from the environment, shared by `serve` and `eval`. API keys only ever come from env.
import type { EngineOptions } from '../options.js';

export interface ProviderFlags { embedderUrl?: string; embedderModel?: string; judgeUrl?: string; judgeModel?: string }

/** MEMDEDUP_EMBEDDER_URL (base URL incl. /v1), _MODEL, _API_KEY (or OPENAI_API_KEY); the same for MEMDEDUP_JUDGE_*. */
export function providersFromEnv(env: NodeJS.ProcessEnv, flags: ProviderFlags = {}): Pick<EngineOptions, 'embedder' | 'judge'> {
  const o: Pick<EngineOptions, 'embedder' | 'judge'> = {};
  const timeout = (v: string | undefined) => (v && Number(v) > 0 ? { timeoutMs: Number(v) } : {});
  const eu = flags.embedderUrl ?? env.MEMDEDUP_EMBEDDER_URL;
  if (eu) {
    const apiKey = env.MEMDEDUP_EMBEDDER_API_KEY ?? env.OPENAI_API_KEY;
    o.embedder = { kind: 'openai', baseURL: eu, model: flags.embedderModel ?? env.MEMDEDUP_EMBEDDER_MODEL ?? 'text-embedding-3-small',
      ...(apiKey ? { apiKey } : {}), ...timeout(env.MEMDEDUP_EMBEDDER_TIMEOUT_MS) };
  }
  const ju = flags.judgeUrl ?? env.MEMDEDUP_JUDGE_URL;
  if (ju) {
    const apiKey = env.MEMDEDUP_JUDGE_API_KEY ?? env.OPENAI_API_KEY;
    o.judge = { kind: 'openai', baseURL: ju, model: flags.judgeModel ?? env.MEMDEDUP_JUDGE_MODEL ?? 'gpt-4o-mini',
      ...(apiKey ? { apiKey } : {}), ...timeout(env.MEMDEDUP_JUDGE_TIMEOUT_MS) };
  }
  return o;
}
