// The flags seam: one evaluator (unleash-client) behind a small interface the engine calls on the chat path.

/** The seed's flags, by their Unleash names. */
export const FLAG_NAMES = {
  enabled: 'memory.enabled',
  realtimeDedup: 'memory.realtime-dedup',
  enhancedPrompts: 'memory.enhanced-prompts',
  batchProcessing: 'memory.batch-processing',
  circuitBreakers: 'memory.circuit-breakers',
} as const;

export type FlagName = (typeof FLAG_NAMES)[keyof typeof FLAG_NAMES];

/**
 * Not an on/off flag: its Unleash variants name dedup policies (`dedup.policies`), so a share of users
 * can get another policy (see src/policies/select.ts). Missing, off, no variant: the `default` policy.
 */
export const POLICY_FLAG = 'memory.dedup-policy';

/**
 * What a flag answers when the definitions do not name it and the caller gave no fallback.
 * The seed's flags default to on, like the shipped config/flags.json: deleting one from the file
 * or from Unleash must not silently switch memory off for everyone. Any other name answers false.
 */
export const FLAG_DEFAULTS: ReadonlyMap<string, boolean> = new Map<string, boolean>(
  Object.values(FLAG_NAMES).map((name) => [name, true]),
);

/** Events every Flags emits. A listener that throws is ignored. */
export interface FlagsEventMap {
  /** The definitions were replaced: file reload, `set`, or a server fetch that brought changes. */
  changed: [];
  /** Something evaluation survives: an unreadable flags file, a failed fetch. */
  warn: [error: Error];
}

export interface FlagContext {
  userId?: string;
  sessionId?: string;
  remoteAddress?: string;
  environment?: string;
  appName?: string;
  currentTime?: Date | string;
  properties?: Record<string, string | undefined>;
  [key: string]: unknown;
}

export interface FlagSummary {
  name: string;
  enabled: boolean;
  strategies: unknown[];
  /** The flexibleRollout percentage, when the flag has one. */
  rollout?: number;
}

/** A variant payload as Unleash defines it. */
export interface VariantPayload { type: 'string' | 'json' | 'csv' | 'number'; value: string }

/** What `getVariant` falls back to: Unleash's own default is `{name: 'disabled', enabled: false}`. */
export interface FallbackVariant { name: string; enabled: boolean; payload?: VariantPayload }

/** A variant answer, in the shape unleash-client gives (both spellings of the flag's own state). */
export interface FlagVariant extends FallbackVariant {
  /** Whether the flag itself is on for the context (a flag can be on with no variant). */
  feature_enabled: boolean;
  featureEnabled: boolean;
}

export interface Flags {
  readonly mode: 'embedded' | 'unleash';
  /** The flags file (embedded) or the Unleash URL (server), for logs and `GET /api/memory/flags`. */
  readonly source: string;
  /** True once the definitions were loaded (file read, or first server fetch / bootstrap). */
  readonly synchronized: boolean;
  /**
   * Never throws. A flag missing from the definitions (or any evaluation error) answers
   * `fallback ?? FLAG_DEFAULTS.get(name) ?? false`. Server mode answers the same until the
   * first definitions (bootstrap or fetch) arrive.
   */
  isEnabled(name: string, context?: FlagContext, fallback?: boolean): boolean;
  /**
   * Never throws. The variant unleash-client selects for the context (variant stickiness, overrides,
   * strategy variants), or `fallback` (default `{name: 'disabled', enabled: false}`) when the flag is
   * missing, off, has no variants, or evaluation fails; `feature_enabled` says whether the flag is on.
   */
  getVariant(name: string, context?: FlagContext, fallback?: FallbackVariant): FlagVariant;
  list(): FlagSummary[];
  /**
   * The definitions evaluation uses now (environment overrides applied), for replicas in worker threads
   * (src/flags/replica.ts): they evaluate the same state without polling or watching anything themselves.
   */
  definitions?(): FlagDefinitions;
  /**
   * Embedded mode: rewrite the flags file atomically and answer the effective flag (environment
   * overrides still win). Server mode rejects with FLAGS_READ_ONLY.
   */
  set(name: string, change: FlagChange): Promise<FlagSummary>;
  /** Stops watchers, timers and the Unleash client. Idempotent. */
  close(): Promise<void>;
  on<E extends keyof FlagsEventMap>(event: E, listener: (...args: FlagsEventMap[E]) => void): this;
  off<E extends keyof FlagsEventMap>(event: E, listener: (...args: FlagsEventMap[E]) => void): this;
}

/** Features and segments in unleash-client's client-features shape, plain data (structured-clonable). */
export interface FlagDefinitions { features: unknown[]; segments: unknown[]; synchronized: boolean; source: string; mode: 'embedded' | 'unleash' }

export interface FlagChange {
  enabled?: boolean;
  /** Percentage of users, an integer 0..100: sets (or creates) the flag's flexibleRollout strategy. */
  rollout?: number;
}
