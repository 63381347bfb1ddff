// Alert thresholds are config. One definition per alert serves both renderings: the Prometheus
// alerting rule (src/alerts/rules.ts) and the in-process state behind /readyz (src/alerts/evaluator.ts).
import { invalidInput } from '../errors.js';
import { parseDuration } from './duration.js';

export type Severity = 'warning' | 'critical';

/** The seed's five thresholds, by the key used in options. */
export type AlertKey = 'processingTime' | 'chatImpact' | 'queueSize' | 'errorRate' | 'breakerOpen';

export interface AlertSetting {
  /** The value the alert fires above. */
  threshold: number;
  /** How long the condition must hold before the alert fires (Prometheus duration: 30s, 5m, 1h). */
  for: string;
  severity: Severity;
}

export interface AlertsOptions {
  /** Range that rates and quantiles look back over. @default '5m' */
  window?: string;
  /** How often the in-process state is evaluated. @default 15000 */
  evaluationIntervalMs?: number;
  /** Where runbook annotations point; the alert's heading anchor is appended. @default 'docs/operations.md' */
  runbookUrl?: string;
  processingTime?: Partial<AlertSetting>;
  chatImpact?: Partial<AlertSetting>;
  queueSize?: Partial<AlertSetting>;
  errorRate?: Partial<AlertSetting>;
  breakerOpen?: Partial<AlertSetting>;
}

export interface AlertDefinition extends AlertSetting {
  key: AlertKey;
  alertname: string;
  summary: string;
  description: string;
  /** docs/operations.md heading anchor of the runbook (the heading is the alert name). */
  anchor: string;
}

export interface ResolvedAlerts {
  window: string;
  windowMs: number;
  evaluationIntervalMs: number;
  runbookUrl: string;
  definitions: AlertDefinition[];
}

interface Seed { alertname: string; setting: AlertSetting; summary: (t: number) => string; description: string }

/** The seed's numbers. Critical ones take the instance out of rotation (/readyz 503). */
const SEED: Record<AlertKey, Seed> = {
  processingTime: {
    alertname: 'MemdedupProcessingSlow', setting: { threshold: 0.1, for: '10m', severity: 'warning' },
    summary: (t) => `memdedup batch processing p95 above ${t * 1000} ms`,
    description: 'The 95th percentile of lane batch duration is above the threshold.',
  },
  chatImpact: {
    alertname: 'MemdedupChatImpact', setting: { threshold: 0.1, for: '5m', severity: 'critical' },
    summary: (t) => `memdedup work delays the host event loop more than ${t * 100} % of the time`,
    description: 'Event-loop delay suffered while the engine works, per second of wall time: chat requests wait this share of the time.',
  },
  queueSize: {
    alertname: 'MemdedupQueueBacklog', setting: { threshold: 1000, for: '5m', severity: 'critical' },
    summary: (t) => `more than ${t} memdedup candidates accepted and undecided`,
    description: 'The journal depth (accepted, not yet decided candidates) stays above the threshold.',
  },
  errorRate: {
    alertname: 'MemdedupErrorRate', setting: { threshold: 0.01, for: '5m', severity: 'warning' },
    summary: (t) => `more than ${t * 100} % of memdedup decision attempts fail`,
    description: 'Failed attempts (retried or dead-lettered) per attempt, over the window.',
  },
  breakerOpen: {
    alertname: 'MemdedupBreakerOpen', setting: { threshold: 0, for: '1m', severity: 'warning' },
    summary: () => 'a memdedup circuit breaker opened',
    description: 'A per-user or provider circuit breaker is open, or opened within the window.',
  },
};

export const ALERT_KEYS = Object.keys(SEED) as AlertKey[];

export const ALERT_DEFAULTS = Object.freeze({ window: '5m', evaluationIntervalMs: 15_000, runbookUrl: 'docs/operations.md' });

export function resolveAlerts(o: AlertsOptions = {}): ResolvedAlerts {
  if (o === null || typeof o !== 'object') throw invalidInput('alerts', 'must be an object');
  const window = o.window ?? ALERT_DEFAULTS.window;
  const windowMs = parseDuration('alerts.window', window);
  if (windowMs <= 0) throw invalidInput('alerts.window', 'must be longer than 0s');
  const evaluationIntervalMs = o.evaluationIntervalMs ?? ALERT_DEFAULTS.evaluationIntervalMs;
  if (!Number.isInteger(evaluationIntervalMs) || evaluationIntervalMs < 1) throw invalidInput('alerts.evaluationIntervalMs', 'must be a positive integer');
  const definitions = ALERT_KEYS.map((key): AlertDefinition => {
    const seed = SEED[key];
    const given = o[key] ?? {};
    const setting = { ...seed.setting, ...given };
    if (typeof setting.threshold !== 'number' || !Number.isFinite(setting.threshold) || setting.threshold < 0) {
      throw invalidInput(`alerts.${key}.threshold`, 'must be a finite number >= 0');
    }
    parseDuration(`alerts.${key}.for`, setting.for);
    if (setting.severity !== 'warning' && setting.severity !== 'critical') throw invalidInput(`alerts.${key}.severity`, "must be 'warning' or 'critical'");
    return {
      key, alertname: seed.alertname, ...setting, summary: seed.summary(setting.threshold), description: seed.description,
      anchor: seed.alertname.toLowerCase(),
    };
  });
  return { window, windowMs, evaluationIntervalMs, runbookUrl: o.runbookUrl ?? ALERT_DEFAULTS.runbookUrl, definitions };
}
