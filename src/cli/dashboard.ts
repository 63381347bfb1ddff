// `memdedup dashboard`: prints the Grafana dashboard JSON; dashboards/memdedup.json is its output.
import { dashboardJson } from '../metrics/dashboard.js';

export function dashboard(out: NodeJS.WritableStream = process.stdout): number {
  out.write(dashboardJson());
  return 0;
}
