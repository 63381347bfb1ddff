// The public API: explicit named exports only.
export { createEngine, Engine } from './engine.js';
export type { EngineStatus } from './engine.js';
export { createRouter, metricsHandler } from './http/router.js';
export type { RouterOptions } from './http/router.js';
export type { MetricsSource } from './http/opsRoutes.js';
export { MemdedupError, ERROR_CODES, isMemdedupError } from './errors.js';
export type { ErrorCode } from './errors.js';
export { createFlags } from './flags/index.js';
export { FLAG_NAMES } from './flags/types.js';
export type { Flags, FlagContext, FlagSummary, FlagVariant, FallbackVariant, VariantPayload } from './flags/types.js';
export { DEFAULT_OPTIONS, resolveOptions } from './options.js';
export type { EngineOptions, ResolvedOptions, StoreOptions, FlagsOptions, EmbedderOptions, JudgeOptions, DedupThresholds } from './options.js';
export type { Store } from './store/types.js';
export type { BreakerState, DenseVector, Embedder, Judge, JudgeLabel, JudgeVerdict } from './dedup/providers/types.js';
export type {
  Acceptance, Candidate, CandidateInput, Decision, DecisionAction, DedupAction, MemdedupEvent, Memory, MemoryStatus, Method, Priority,
  Submission, SubmissionStatus,
} from './types.js';
export { ALERT_DEFAULTS, resolveAlerts } from './alerts/definitions.js';
export type { AlertsOptions, AlertSetting, ResolvedAlerts, Severity } from './alerts/definitions.js';
export type { AlertState } from './alerts/evaluator.js';
export { renderRules, rulesYaml } from './alerts/rules.js';
export type { SweepOptions, SweepResult, SweepProgress } from './resilience/sweeper.js';
