// The glossary of DESIGN.md as types. Every other file uses these words.

export type Priority = 'high' | 'normal' | 'low';
export const PRIORITIES: readonly Priority[] = ['high', 'normal', 'low'];
/** p-queue runs higher numbers first. */
export const PRIORITY_RANK: Record<Priority, number> = { high: 2, normal: 1, low: 0 };

/** What the chat server hands to `submit()`. */
export interface CandidateInput {
  userId: string;
  text: string;
  id?: string;
  priority?: Priority;
  source?: string;
}

/** A proposed memory once validated: `id` is the idempotency key. */
export interface Candidate {
  id: string;
  userId: string;
  text: string;
  priority: Priority;
  source?: string;
  /** Epoch ms when the engine accepted it. */
  acceptedAt: number;
  /** Processing attempts so far (retries, dead letters). */
  attempts: number;
  lastError?: string;
}

export type MemoryStatus = 'active' | 'superseded' | 'forgotten';

export interface Memory {
  id: string;
  userId: string;
  text: string;
  status: MemoryStatus;
  version: number;
  seenCount: number;
  needsRecheck: boolean;
  sources: string[];
  createdAt: number;
  updatedAt: number;
  /** The dedup engine's analysed form of `text` (versioned JSON), persisted so a cold load need not re-analyse. */
  analysis?: string;
}

/** Final outcomes the cascade can reach. */
export type DedupAction = 'added' | 'duplicate' | 'updated' | 'superseded';
/** Every outcome a candidate can get. */
export type DecisionAction = DedupAction | 'fallback' | 'deferred' | 'dead-letter' | 'disabled' | 'rejected';
/** Event actions: decisions, plus operator actions on memories. */
export type EventAction = DedupAction | 'fallback' | 'undo' | 'forget';

export type Method = 'exact' | 'lexical' | 'semantic' | 'judge' | 'replay' | 'none';

export interface Decision {
  candidateId: string;
  userId: string;
  action: DecisionAction;
  memoryId?: string;
  eventId?: string;
  method?: Method;
  score?: number;
  reasons?: string[];
  /** The text of the memory the candidate was compared with, if any. */
  comparedText?: string;
  /** The dedup policy that decided it (a configured name, `default` for the built-in one). */
  policy?: string;
  error?: string;
}

/** The durable record of a decision or an operator action: enough to explain and to undo it. */
export interface MemdedupEvent {
  id: string;
  userId: string;
  candidateId: string | null;
  action: EventAction;
  /** The memory the event is about (added, reinforced, refined, superseding, forgotten). */
  memoryId: string | null;
  /** The memory compared with (for duplicate/updated/superseded: the existing one). */
  comparedMemoryId: string | null;
  comparedText: string | null;
  candidateText: string | null;
  /** For `updated`: the memory's text before the update, so undo can restore it. */
  previousText: string | null;
  method: Method | null;
  score: number | null;
  reasons: string[];
  /** For `undo` events: the event undone. */
  undoes: string | null;
  undoneBy: string | null;
  /**
   * The dedup policy in force: for decisions the one that decided; for an `undo` the undone event's
   * (a reversal belongs to the policy it reverses); for a `forget` the user's policy at the time.
   */
  policy: string;
  at: number;
}

export type SubmissionStatus = 'accepted' | 'disabled' | 'overloaded';

/** What `Submission.accepted` resolves with. */
export interface Acceptance {
  /** True once the candidate is in the journal: it will be decided, across restarts too. */
  durable: boolean;
  /**
   * Set when the store refused this candidate on its own (STORE_REJECTED): it never became durable and is not
   * retried; `decided` resolves with action `rejected` and the same message.
   */
  error?: { code: 'STORE_REJECTED'; message: string };
}

export interface Submission {
  id: string;
  status: SubmissionStatus;
  /**
   * Resolves once the candidate is durable (in the journal), `{durable: true}`; or with `{durable: false, error}`
   * when the store refused it. For `disabled` and `overloaded` submissions: at once, `{durable: false}`. Never rejects.
   */
  accepted: Promise<Acceptance>;
  /** Resolves with the decision. Never rejects. */
  decided: Promise<Decision>;
}
