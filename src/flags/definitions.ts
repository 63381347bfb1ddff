// Flag definitions in Unleash's client-features format ({version, features, segments?}): parsing a
// flags file, summarising a flag, and the edits `set` and the environment overrides make.
import type { FeatureInterface, Segment, StrategyTransportInterface } from './sdk.js';
import type { FlagChange, FlagSummary } from './types.js';

export interface Definitions {
  /** The whole parsed document, so a rewrite keeps fields we do not interpret (`query`, `meta`...). */
  doc: Record<string, unknown>;
  features: FeatureInterface[];
  segments: Segment[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Throws an Error saying what is wrong. Checks only what would make evaluation silently wrong
 * (a nameless flag, `"enabled": "false"`), and leaves strategy details to unleash-client.
 */
export function parseDefinitions(text: string): Definitions {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new Error('must be an object {version, features, segments?}');
  if (!Array.isArray(doc.features)) throw new Error('features must be an array');
  const seen = new Set<string>();
  doc.features.forEach((f: unknown, i) => {
    if (!isObject(f) || typeof f.name !== 'string' || f.name === '') throw new Error(`features[${i}].name must be a non-empty string`);
    if (typeof f.enabled !== 'boolean') throw new Error(`features[${i}] (${f.name}).enabled must be true or false`);
    if (f.strategies !== undefined && !Array.isArray(f.strategies)) throw new Error(`features[${i}] (${f.name}).strategies must be an array`);
    if (seen.has(f.name)) throw new Error(`features[${i}]: ${f.name} is defined twice`);
    seen.add(f.name);
  });
  if (doc.segments !== undefined && !Array.isArray(doc.segments)) throw new Error('segments must be an array');
  return { doc, features: doc.features as FeatureInterface[], segments: (doc.segments ?? []) as Segment[] };
}

export function serializeDefinitions(defs: Definitions): string {
  return `${JSON.stringify({ ...defs.doc, features: defs.features }, null, 2)}\n`;
}

export function rolloutStrategy(name: string, percent: number): StrategyTransportInterface {
  return { name: 'flexibleRollout', parameters: { rollout: String(percent), stickiness: 'default', groupId: name }, constraints: [] };
}

export function defaultStrategy(): StrategyTransportInterface {
  return { name: 'default', parameters: {}, constraints: [] };
}

function rolloutOf(strategies: readonly StrategyTransportInterface[] | undefined): number | undefined {
  const flexible = strategies?.find((s) => s?.name === 'flexibleRollout');
  if (!flexible) return undefined;
  const n = Number(flexible.parameters?.rollout);
  return Number.isFinite(n) ? n : undefined;
}

export function summarize(feature: FeatureInterface | { name: string; enabled: boolean; strategies?: unknown[] }): FlagSummary {
  const strategies = (feature.strategies ?? []) as StrategyTransportInterface[];
  const rollout = rolloutOf(strategies);
  return rollout === undefined
    ? { name: feature.name, enabled: feature.enabled, strategies }
    : { name: feature.name, enabled: feature.enabled, strategies, rollout };
}

/** A new flag created by `set` or an override: on for everyone unless told otherwise. */
export function newFeature(name: string): FeatureInterface {
  return { name, enabled: true, strategies: [defaultStrategy()] };
}

/**
 * Returns a changed copy. A rollout updates the flag's first flexibleRollout strategy, keeping its
 * stickiness, groupId and constraints; without one it replaces the `default` strategies (which
 * would otherwise keep everyone on, strategies being OR-ed) by a flexibleRollout on userId.
 */
export function applyChange(feature: FeatureInterface, change: FlagChange): FeatureInterface {
  const next: FeatureInterface = structuredClone(feature);
  if (change.enabled !== undefined) next.enabled = change.enabled;
  if (change.rollout !== undefined) {
    const strategies = next.strategies ?? [];
    const flexible = strategies.find((s) => s?.name === 'flexibleRollout');
    if (flexible) flexible.parameters = { ...flexible.parameters, rollout: String(change.rollout) };
    else next.strategies = [...strategies.filter((s) => s?.name !== 'default'), rolloutStrategy(next.name, change.rollout)];
  }
  return next;
}
