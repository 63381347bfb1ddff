// `dedup.policies`: named threshold profiles, validated once. A name becomes a metric label value and is
// stored with every event, so names are short identifiers and there are few of them (bounded series).
import { invalidInput } from '../errors.js';
import type { DedupThresholds, PolicyProfile } from '../options.js';

/** The built-in policy: `dedup.thresholds` (over the calibrated defaults). */
export const DEFAULT_POLICY = 'default';
/** Policies configured at most, besides `default`: each multiplies the policy-labelled series. */
export const MAX_POLICIES = 16;
const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/;

type ThresholdsValidator = (t: Partial<DedupThresholds> | undefined, field: string) => Partial<DedupThresholds>;

/**
 * Validates `dedup.policies` into fresh objects (the caller's are never kept). Thresholds are validated by
 * the same function as `dedup.thresholds`, so a policy accepts exactly the thresholds the engine has.
 */
export function resolvePolicies(p: Record<string, PolicyProfile> | undefined, validate: ThresholdsValidator):
Record<string, { thresholds: Partial<DedupThresholds> }> {
  const out: Record<string, { thresholds: Partial<DedupThresholds> }> = {};
  if (p === undefined) return out;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw invalidInput('options.dedup.policies', 'must be an object {NAME: {thresholds}}');
  const names = Object.keys(p);
  if (names.length > MAX_POLICIES) throw invalidInput('options.dedup.policies', `must name at most ${MAX_POLICIES} policies`);
  for (const name of names) {
    const field = `options.dedup.policies.${name}`;
    if (name === DEFAULT_POLICY) throw invalidInput(field, `'${DEFAULT_POLICY}' is the built-in policy: set options.dedup.thresholds instead`);
    if (!NAME.test(name)) throw invalidInput('options.dedup.policies', `policy name '${name}' must match ${NAME.source}`);
    const profile = p[name];
    if (profile === null || typeof profile !== 'object' || Array.isArray(profile)) throw invalidInput(field, 'must be an object {thresholds}');
    const unknown = Object.keys(profile).filter((k) => k !== 'thresholds');
    if (unknown.length) throw invalidInput(field, `has unknown key(s) ${unknown.join(', ')} (a policy holds thresholds)`);
    if (profile.thresholds !== undefined && (profile.thresholds === null || typeof profile.thresholds !== 'object')) {
      throw invalidInput(`${field}.thresholds`, 'must be an object');
    }
    out[name] = { thresholds: validate(profile.thresholds, `${field}.thresholds`) };
  }
  return out;
}
