// The Grafana dashboard, generated so its queries can only name families defined in families.ts
// (test/metrics/dashboard.test.ts checks every name against a real scrape). `memdedup dashboard`
// prints it; dashboards/memdedup.json is its output.
import { resolveAlerts, type ResolvedAlerts } from '../alerts/definitions.js';

const DS = { type: 'prometheus', uid: '${datasource}' };
const SEL = 'instance=~"$instance"';
const RI = '$__rate_interval';

/** `right`: a count plotted on a right-hand axis next to seconds. */
interface Target { expr: string; legendFormat: string; right?: true }
interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  targets: Target[];
  type?: 'timeseries' | 'stat' | 'table';
  w?: number;
  thresholds?: number;
}

const rate = (metric: string, by = '') => `sum${by ? ` by (${by})` : ''} (rate(${metric}{${SEL}}[${RI}]))`;
const MERGES = 'action=~"duplicate|updated"';
const increase = (metric: string, range: string, by: string, match = '') =>
  `sum by (${by}) (increase(${metric}{${SEL}${match ? `, ${match}` : ''}}[${range}]))`;
const quantile = (q: number, metric: string, by = '') =>
  `histogram_quantile(${q}, sum by (${by ? `${by}, ` : ''}le) (rate(${metric}_bucket{${SEL}}[${RI}])))`;

function panels(a: ResolvedAlerts): PanelSpec[] {
  const threshold = (key: string) => a.definitions.find((d) => d.key === key)!.threshold;
  return [
    { title: 'Firing alerts', type: 'stat', w: 6, unit: 'none', description: 'memdedup alerts firing in Prometheus.', thresholds: 1,
      targets: [{ expr: 'count(ALERTS{alertstate="firing", alertname=~"Memdedup.*"}) or vector(0)', legendFormat: 'firing' }] },
    { title: 'Journal depth', type: 'stat', w: 6, unit: 'none', description: 'Accepted, undecided candidates.', thresholds: threshold('queueSize'),
      targets: [{ expr: `sum(memdedup_journal_depth{${SEL}})`, legendFormat: 'depth' }] },
    { title: 'Chat response impact', type: 'stat', w: 6, unit: 'percentunit', thresholds: threshold('chatImpact'),
      description: 'Share of wall time the host event loop was delayed while the engine worked.',
      targets: [{ expr: rate('memdedup_event_loop_delay_seconds_sum'), legendFormat: 'impact' }] },
    { title: 'Error ratio', type: 'stat', w: 6, unit: 'percentunit', thresholds: threshold('errorRate'),
      description: 'Failed attempts per attempt.',
      targets: [{ expr: `${rate('memdedup_errors_total')} / (${rate('memdedup_decisions_total')} + ${rate('memdedup_errors_total')})`, legendFormat: 'errors' }] },
    { title: 'Candidates/s by outcome', unit: 'ops', description: 'Submissions: accepted, disabled by flag, refused as overloaded.',
      targets: [{ expr: rate('memdedup_candidates_total', 'outcome'), legendFormat: '{{outcome}}' },
        { expr: rate('memdedup_candidates_total', 'priority'), legendFormat: 'priority {{priority}}' }] },
    { title: 'Decisions/s by action and method', unit: 'ops', description: 'What the cascade decided, and which stage decided it.',
      targets: [{ expr: rate('memdedup_decisions_total', 'action, method'), legendFormat: '{{action}} ({{method}})' },
        { expr: rate('memdedup_decisions_total', 'policy'), legendFormat: 'policy {{policy}}' }] },
    { title: 'Reversal rate by action and policy', unit: 'percentunit', thresholds: threshold('reversalRate'),
      description: 'Decisions undone per decision, by the undone decision\'s action and policy (1 h), and the share of duplicate/updated '
        + 'decisions undone over 24 h that MemdedupReversalRate watches. Compare the policies of an experiment here.',
      targets: [{ expr: `${increase('memdedup_reversals_total', '1h', 'action, policy')} / (${increase('memdedup_decisions_total', '1h', 'action, policy')} > 0)`,
        legendFormat: '{{policy}} {{action}} (1h)' },
      { expr: `${increase('memdedup_reversals_total', '24h', 'policy', MERGES)} / (${increase('memdedup_decisions_total', '24h', 'policy', MERGES)} > 0)`,
        legendFormat: '{{policy}} duplicate+updated (24h, alerted)' }] },
    { title: 'Decision latency (submit to decision)', unit: 's', description: 'p50/p95/p99 from acceptance to decision.',
      targets: [0.5, 0.95, 0.99].map((q) => ({ expr: quantile(q, 'memdedup_decision_latency_seconds'), legendFormat: `p${q * 100}` })) },
    { title: 'Batch duration', unit: 's', thresholds: threshold('processingTime'), description: 'Time to decide one lane batch; the alert watches p95.',
      targets: [...[0.5, 0.95].map((q) => ({ expr: quantile(q, 'memdedup_batch_duration_seconds'), legendFormat: `p${q * 100}` })),
        { expr: `${rate('memdedup_batch_size_sum')} / ${rate('memdedup_batch_size_count')}`, legendFormat: 'mean batch size', right: true }] },
    { title: 'Journal depth and lanes', unit: 'none', description: 'The queue: undecided candidates, retries waiting, lanes queued and running.',
      targets: [{ expr: `sum(memdedup_journal_depth{${SEL}})`, legendFormat: 'journal depth' },
        { expr: `sum(memdedup_journal_retrying{${SEL}})`, legendFormat: 'retrying' },
        { expr: `sum(memdedup_lane_candidates{${SEL}})`, legendFormat: 'in lanes' },
        { expr: `sum by (state) (memdedup_lanes{${SEL}})`, legendFormat: 'lanes {{state}}' }] },
    { title: 'Circuit breakers', unit: 'none', description: 'Breakers not closed, and state changes, by scope.',
      targets: [{ expr: `sum by (scope, state) (memdedup_breakers{${SEL}})`, legendFormat: '{{scope}} {{state}}' },
        { expr: `sum by (scope, to) (increase(memdedup_breaker_transitions_total{${SEL}}[${RI}]))`, legendFormat: '{{scope}} to {{to}}' }] },
    { title: 'Index cache hit rate', unit: 'percentunit', description: 'User index loads served from memory.',
      targets: [{ expr: `${rate('memdedup_index_cache_hits_total')} / (${rate('memdedup_index_cache_hits_total')} + ${rate('memdedup_index_cache_misses_total')})`, legendFormat: 'hit rate' },
        { expr: `sum(memdedup_index_cache_users{${SEL}})`, legendFormat: 'users cached' }] },
    { title: 'Flag evaluations', unit: 'ops', description: 'Feature flag checks by the engine, by flag and result.',
      targets: [{ expr: rate('memdedup_flag_evaluations_total', 'flag, result'), legendFormat: '{{flag}} {{result}}' }] },
    { title: 'Provider calls and errors', unit: 'ops', description: 'Embedder and judge calls by outcome, and failures by stage.',
      targets: [{ expr: rate('memdedup_provider_calls_total', 'provider, outcome'), legendFormat: '{{provider}} {{outcome}}' },
        { expr: rate('memdedup_errors_total', 'stage'), legendFormat: 'errors {{stage}}' },
        { expr: rate('memdedup_fallbacks_total', 'fallback'), legendFormat: 'fallback {{fallback}}' },
        { expr: rate('memdedup_dead_letters_total'), legendFormat: 'dead letters' }] },
    { title: 'Provider latency', unit: 's', description: 'p95 provider call latency.',
      targets: [{ expr: quantile(0.95, 'memdedup_provider_duration_seconds', 'provider'), legendFormat: '{{provider}} p95' }] },
    { title: 'Event-loop delay', unit: 's', description: 'Delay the host loop suffers while the engine works (p99), and Node\'s own lag.',
      targets: [{ expr: quantile(0.99, 'memdedup_event_loop_delay_seconds'), legendFormat: 'while engine works p99' },
        { expr: `max(nodejs_eventloop_lag_p99_seconds{${SEL}})`, legendFormat: 'node lag p99' }] },
    { title: 'Alerts (Prometheus and in-process)', type: 'table', w: 24, unit: 'none', description: 'Firing alerts by name and severity.',
      targets: [{ expr: 'ALERTS{alertstate="firing", alertname=~"Memdedup.*"}', legendFormat: '{{alertname}}' },
        { expr: `memdedup_alerts_firing{${SEL}} == 1`, legendFormat: 'in-process {{alertname}}' }] },
  ];
}

function panel(p: PanelSpec, id: number, x: number, y: number): Record<string, unknown> {
  const w = p.w ?? 12;
  const h = p.type === 'stat' ? 4 : 8;
  const steps: Array<{ color: string; value: number | null }> = [{ color: 'green', value: null }];
  if (p.thresholds !== undefined) steps.push({ color: 'red', value: p.thresholds });
  return {
    id, type: p.type ?? 'timeseries', title: p.title, description: p.description, datasource: DS,
    gridPos: { h, w, x, y },
    fieldConfig: {
      defaults: { unit: p.unit, thresholds: { mode: 'absolute', steps } },
      overrides: p.targets.flatMap((t, i) => (t.right ? [{ matcher: { id: 'byFrameRefID', options: String.fromCharCode(65 + i) },
        properties: [{ id: 'unit', value: 'none' }, { id: 'custom.axisPlacement', value: 'right' }] }] : [])),
    },
    options: p.type === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'] }, colorMode: 'background' } : {},
    targets: p.targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource: DS, expr: t.expr, legendFormat: t.legendFormat,
      ...(p.type === 'table' ? { format: 'table', instant: true } : {}) })),
  };
}

export function buildDashboard(alerts: ResolvedAlerts = resolveAlerts()): Record<string, unknown> {
  let x = 0;
  let y = 0;
  let rowH = 0;
  const out = panels(alerts).map((p, i) => {
    const w = p.w ?? 12;
    if (x + w > 24) { x = 0; y += rowH; rowH = 0; }
    const built = panel(p, i + 1, x, y);
    x += w;
    rowH = Math.max(rowH, (built.gridPos as { h: number }).h);
    return built;
  });
  return {
    uid: 'memdedup', title: 'memdedup', tags: ['memdedup'], schemaVersion: 39, version: 1, editable: true,
    time: { from: 'now-1h', to: 'now' }, refresh: '30s',
    templating: { list: [
      { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' },
      { name: 'instance', type: 'query', datasource: DS, query: 'label_values(memdedup_journal_depth, instance)',
        includeAll: true, multi: true, current: { text: 'All', value: '$__all' }, allValue: '.*', refresh: 2, label: 'Instance' },
    ] },
    panels: out,
  };
}

export function dashboardJson(alerts?: ResolvedAlerts): string {
  return JSON.stringify(buildDashboard(alerts), null, 2) + '\n';
}
