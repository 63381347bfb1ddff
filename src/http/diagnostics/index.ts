// The seed's diagnostic endpoints: each a real check against the running engine in a scratch namespace.
// Mounted only when diagnostics are on (config `diagnostics`); otherwise their paths answer 404.
import { Router } from 'express';
import type { Engine } from '../../engine.js';
import { route } from '../asyncRoute.js';
import type { MetricsSource } from '../opsRoutes.js';
import { circuitBreakerTest } from './breaker.js';
import { featureFlagsTest, featureToggleTest, rolloutTest } from './flagProbes.js';
import { monitoringDashboardTest, monitoringSetup, performanceMonitoringTest, productionReadinessTest } from './monitoring.js';
import { backgroundProcessingTest, batchProcessingTest, queueManagementTest } from './processing.js';
import type { DiagnosticResult } from './scratch.js';

type Probe = (engine: Engine, registry?: MetricsSource) => Promise<DiagnosticResult>;

export const DIAGNOSTICS: { method: 'post' | 'get'; name: string; probe: Probe }[] = [
  { method: 'post', name: 'background-processing-test', probe: backgroundProcessingTest },
  { method: 'post', name: 'batch-processing-test', probe: batchProcessingTest },
  { method: 'post', name: 'circuit-breaker-test', probe: circuitBreakerTest },
  { method: 'post', name: 'queue-management-test', probe: queueManagementTest },
  { method: 'post', name: 'feature-flags-test', probe: featureFlagsTest },
  { method: 'post', name: 'rollout-test', probe: rolloutTest },
  { method: 'post', name: 'monitoring-setup', probe: monitoringSetup },
  { method: 'post', name: 'feature-toggle-test', probe: featureToggleTest },
  { method: 'get', name: 'performance-monitoring-test', probe: performanceMonitoringTest },
  { method: 'get', name: 'production-readiness-test', probe: productionReadinessTest },
  { method: 'get', name: 'monitoring-dashboard-test', probe: monitoringDashboardTest },
];

export function diagnosticRoutes(engine: Engine, o: { registry?: MetricsSource } = {}): Router {
  const r = Router();
  for (const d of DIAGNOSTICS) {
    // A failed check is still a 200 with ok:false: the endpoint worked, the engine did not pass.
    r[d.method](`/${d.name}`, route(async (_req, res) => { res.json(await d.probe(engine, o.registry)); }));
  }
  return r;
}
