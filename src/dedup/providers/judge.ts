// An OpenAI-compatible chat judge for grey-band pairs only: POST {baseURL}/chat/completions, JSON answer.
import type { ProviderBreaker } from './breaker.js';
import { postJson, ProviderError, type Endpoint } from './http.js';
import type { BreakerState, Judge, JudgeLabel, JudgeVerdict } from './types.js';

export type { JudgeLabel } from './types.js';
const LABELS: JudgeLabel[] = ['duplicate', 'update', 'conflict', 'distinct'];

const SYSTEM = `You compare two facts a chat assistant remembers about the same user.
Answer with a JSON object {"label": L, "reason": short text}, where L is one of:
"duplicate" (same fact, nothing new), "update" (the new fact refines or extends the old one, both stay true),
"conflict" (the new fact replaces the old one: a changed value, a negation, or the old state ended),
"distinct" (different facts). Prefer "distinct" when unsure: a wrong merge loses information.`;

export class OpenAIJudge implements Judge {
  constructor(private readonly ep: Endpoint & { model: string }, private readonly breaker: ProviderBreaker) {}

  get state(): BreakerState { return this.breaker.state; }

  async judge(memory: string, candidate: string): Promise<JudgeVerdict> {
    const body = await this.breaker.fire(() => postJson(this.ep, '/chat/completions', {
      model: this.ep.model,
      temperature: 0,
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: JSON.stringify({ old: memory, new: candidate }) },
      ],
    }));
    const content = (body as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new ProviderError('judge answer has no message content');
    let parsed: { label?: unknown; reason?: unknown };
    try { parsed = JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, '')) as typeof parsed; } catch {
      throw new ProviderError(`judge answer is not JSON: ${content.slice(0, 120)}`);
    }
    const label = String(parsed.label ?? '').toLowerCase() as JudgeLabel;
    if (!LABELS.includes(label)) throw new ProviderError(`judge answered an unknown label: ${String(parsed.label)}`);
    return { label, reason: typeof parsed.reason === 'string' ? parsed.reason.slice(0, 200) : '' };
  }
}
