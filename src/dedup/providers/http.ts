// One JSON POST to an OpenAI-compatible endpoint, with a hard timeout. Errors carry the HTTP status.
export class ProviderError extends Error {
  constructor(message: string, readonly status?: number) { super(message); this.name = 'ProviderError'; }
}

export interface Endpoint { baseURL: string; apiKey?: string; timeoutMs: number }

export async function postJson(ep: Endpoint, path: string, body: unknown): Promise<unknown> {
  const url = ep.baseURL.replace(/\/+$/, '') + path;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(ep.apiKey ? { authorization: `Bearer ${ep.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ep.timeoutMs),
    });
  } catch (e) {
    const err = e as Error;
    throw new ProviderError(err.name === 'TimeoutError' ? `timeout after ${ep.timeoutMs} ms: ${url}` : `${url}: ${err.message}`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new ProviderError(`${url} answered ${res.status}: ${text.slice(0, 200)}`, res.status);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderError(`${url} answered non-JSON: ${text.slice(0, 200)}`, res.status);
  }
}
