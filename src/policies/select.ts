// A user's dedup policy: the `memory.dedup-policy` flag's Unleash variant names a configured profile.
// Variants are sticky on userId (context {userId}), so a user keeps a policy while the split stays.
// Flag missing or off for the user, no variant, or a variant naming no configured profile: `default`.
import { DEFAULT_THRESHOLDS, type PolicyThresholds } from '../dedup/policy.js';
import { POLICY_FLAG, type Flags } from '../flags/types.js';
import type { ResolvedOptions } from '../options.js';
import { DEFAULT_POLICY } from './options.js';

export interface Policy {
  readonly name: string;
  /** Fully resolved: the policy's own over `dedup.thresholds` over the calibrated defaults. */
  readonly thresholds: Readonly<PolicyThresholds>;
}

/** The label value for a policy name that is not configured (an old event, another process's config). */
export const OTHER_POLICY_LABEL = 'other';
/** Unknown variant names reported at most once each, and at most this many names. */
const MAX_REPORTED = 32;

export class Policies {
  readonly default: Policy;
  private readonly byName = new Map<string, Policy>();
  private readonly reported = new Set<string>();

  constructor(dedup: ResolvedOptions['dedup'], private readonly flags: Pick<Flags, 'getVariant'>,
    private readonly onUnknown?: (variant: string) => void) {
    const base = { ...DEFAULT_THRESHOLDS, ...dedup.thresholds };
    this.default = Object.freeze({ name: DEFAULT_POLICY, thresholds: Object.freeze(base) });
    this.byName.set(DEFAULT_POLICY, this.default);
    for (const [name, p] of Object.entries(dedup.policies)) {
      this.byName.set(name, Object.freeze({ name, thresholds: Object.freeze({ ...base, ...p.thresholds }) }));
    }
  }

  /** Configured names, `default` first. */
  get names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): Policy | undefined {
    return this.byName.get(name);
  }

  /** Never throws: flag evaluation does not, and every other outcome is `default`. */
  forUser(userId: string): Policy {
    const v = this.flags.getVariant(POLICY_FLAG, { userId });
    if (!v.feature_enabled || !v.enabled) return this.default;
    const p = this.byName.get(v.name);
    if (p) return p;
    if (this.onUnknown && this.reported.size < MAX_REPORTED && !this.reported.has(v.name)) {
      this.reported.add(v.name);
      this.onUnknown(v.name);
    }
    return this.default;
  }

  /** A metric label value: configured names only, never a value read from data. */
  label(name: string | undefined): string {
    if (name === undefined) return DEFAULT_POLICY;
    return this.byName.has(name) ? name : OTHER_POLICY_LABEL;
  }
}
