// Every PromQL expression of the dashboard and of the alerting rules parses (promtool is the parser)
// and names only metrics a real engine exports.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { resolveAlerts } from '../../src/alerts/definitions.js';
import { renderRules } from '../../src/alerts/rules.js';
import type { Engine } from '../../src/engine.js';
import { tempDir, testEngine } from '../helpers/engine.js';
import { hasPromtool, promtool } from '../helpers/prometheus.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Series Prometheus makes itself. */
const BUILTIN = new Set(['ALERTS', 'ALERTS_FOR_STATE']);
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

function dashboardExprs(): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === 'expr' && typeof x === 'string' ? out.push(x) : walk(x));
  };
  for (const f of readdirSync(join(ROOT, 'dashboards')).filter((n) => n.endsWith('.json'))) walk(JSON.parse(readFileSync(join(ROOT, 'dashboards', f), 'utf8')));
  return out;
}

/** Grafana's variables, replaced by what Prometheus would see. */
const concrete = (expr: string) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$instance', '.*');

/** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or strings. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = stripped.slice(m.index! + m[0].length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(m[0].toLowerCase())) continue;
    if (/^\d/.test(stripped.slice(Math.max(0, m.index! - 1), m.index!))) continue; // "5m", "1e3"
    names.add(m[0]);
  }
  return [...names];
}

let engine: Engine;
let exported: Map<string, string>;
beforeAll(async () => {
  ({ engine } = await testEngine());
  const subs = Array.from({ length: 60 }, (_, i) => engine.submit({ userId: `dq-${i % 4}`, text: `Plays chess opening ${i % 9}` }));
  await Promise.all(subs.map((s) => s.decided));
  exported = new Map((await engine.registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]));
});
afterAll(async () => { await engine.close(); });

describe('dashboard and rule queries', () => {
  const dash = dashboardExprs();
  const ruleExprs = renderRules(resolveAlerts()).groups[0]!.rules.map((r) => r.expr);

  it('finds the dashboard panels the issue lists', () => {
    expect(dash.length).toBeGreaterThanOrEqual(20);
    const all = dash.join('\n');
    for (const m of ['memdedup_candidates_total', 'memdedup_decisions_total', 'memdedup_decision_latency_seconds_bucket',
      'memdedup_batch_duration_seconds_bucket', 'memdedup_journal_depth', 'memdedup_lanes', 'memdedup_breakers',
      'memdedup_breaker_transitions_total', 'memdedup_index_cache_hits_total', 'memdedup_flag_evaluations_total',
      'memdedup_provider_calls_total', 'memdedup_errors_total', 'memdedup_event_loop_delay_seconds', 'ALERTS']) {
      expect(all).toContain(m);
    }
  });

  it('names only metrics the engine exports', () => {
    const missing: string[] = [];
    for (const expr of [...dash, ...ruleExprs]) {
      for (const name of metricNames(concrete(expr))) {
        if (BUILTIN.has(name) || exported.has(name)) continue;
        const base = name.replace(/_(bucket|sum|count)$/, '');
        if (base !== name && exported.get(base) === 'histogram') continue;
        missing.push(`${name} (in ${expr})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('recognises metric names and nothing else', () => {
    expect(metricNames('sum by (le) (rate(memdedup_x_bucket{a="b c"}[5m])) / on (job) group_left up > 0.1 or vector(0)'))
      .toEqual(['memdedup_x_bucket', 'up']);
  });

  it.skipIf(!hasPromtool())('parses every expression with promtool', () => {
    const dir = tempDir();
    const file = join(dir, 'exprs.yml');
    const rules = [...dash, ...ruleExprs].map((expr, i) => ({ record: `memdedup:check_${i}`, expr: concrete(expr) }));
    writeFileSync(file, stringify({ groups: [{ name: 'parse', rules }] }));
    const r = promtool(['check', 'rules', file]);
    expect(r.out).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.code).toBe(0);
  });
});

if (!hasPromtool()) console.log('skipping the PromQL parse check: promtool is not installed (apt-get install -y prometheus)');
