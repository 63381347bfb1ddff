// config/alerts.yml and dashboards/memdedup.json are generated; they must match their generators,
// pass Prometheus's own checks, and point their runbooks at sections that exist.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAlerts } from '../../src/alerts/definitions.js';
import { renderRules, rulesYaml } from '../../src/alerts/rules.js';
import { rules } from '../../src/cli/rules.js';
import { dashboardJson } from '../../src/metrics/dashboard.js';
import { hasPromtool, promtool } from '../helpers/prometheus.js';
import { tempDir } from '../helpers/engine.js';
import { writeFileSync } from 'node:fs';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  return new Set(markdown.split('\n').filter((l) => /^#{1,6} /.test(l))
    .map((l) => l.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
}

describe('generated operator files', () => {
  it('config/alerts.yml is what `memdedup rules` prints', () => {
    let printed = '';
    const code = rules([], { write: (s: string) => { printed += s; return true; } } as NodeJS.WritableStream);
    expect(code).toBe(0);
    expect(read('config/alerts.yml')).toBe(printed);
    expect(printed).toBe(rulesYaml(resolveAlerts()));
  });

  it('dashboards/memdedup.json is what `memdedup dashboard` prints', () => {
    expect(read('dashboards/memdedup.json')).toBe(dashboardJson());
  });

  it('gives every rule a for, a severity, a summary and a runbook pointing at a docs/operations.md section', () => {
    const runbooks = anchors(read('docs/operations.md'));
    const { groups } = renderRules(resolveAlerts());
    expect(groups[0]!.rules.map((r) => r.alert)).toEqual(
      ['MemdedupProcessingSlow', 'MemdedupChatImpact', 'MemdedupQueueBacklog', 'MemdedupErrorRate', 'MemdedupBreakerOpen']);
    for (const r of groups[0]!.rules) {
      expect(r.for).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical']).toContain(r.labels.severity);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      const [file, anchor] = r.annotations.runbook_url.split('#');
      expect(file).toBe('docs/operations.md');
      expect(runbooks.has(anchor!), `docs/operations.md has no section #${anchor}`).toBe(true);
    }
  });

  it('renders other thresholds from an alerts file given to `memdedup rules`', () => {
    const file = join(tempDir(), 'alerts.json');
    writeFileSync(file, JSON.stringify({ window: '10m', queueSize: { threshold: 5000, for: '15m', severity: 'warning' } }));
    let printed = '';
    rules(['--alerts', file], { write: (s: string) => { printed += s; return true; } } as NodeJS.WritableStream);
    expect(printed).toContain('max by (job, instance) (memdedup_journal_depth) > 5000');
    expect(printed).toContain('[10m]');
    expect(printed).toContain('for: 15m');
  });

  it('rejects a malformed threshold with a stable code', () => {
    expect(() => resolveAlerts({ queueSize: { threshold: -1 } })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => resolveAlerts({ breakerOpen: { for: 'soon' } })).toThrow(/alerts.breakerOpen.for must be a Prometheus duration/);
    expect(() => resolveAlerts({ errorRate: { severity: 'page' as 'critical' } })).toThrow(/alerts.errorRate.severity/);
    expect(() => resolveAlerts({ window: '0s' })).toThrow(/alerts.window/);
  });

  it.skipIf(!hasPromtool())('passes `promtool check rules` and the rule unit tests in test/rules', () => {
    const check = promtool(['check', 'rules', join(ROOT, 'config', 'alerts.yml')]);
    expect(check.out).toContain('SUCCESS: 5 rules found');
    expect(check.code).toBe(0);
    const unit = promtool(['test', 'rules', join(ROOT, 'test', 'rules', 'alerts.test.yml')]);
    expect(unit.out).toContain('SUCCESS');
    expect(unit.code).toBe(0);
  });
});

if (!hasPromtool()) console.log('skipping promtool checks: promtool is not installed (apt-get install -y prometheus)');
