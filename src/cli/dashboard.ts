// `memdedup dashboard`: prints the Grafana dashboard JSON; dashboards/memdedup.json is its output.
import { dashboardJson } from '../metrics/dashboard.js';
import { parseCommand, type CommandSpec } from './args.js';

const DASHBOARD_SPEC: CommandSpec = { name: 'dashboard', options: {},
  usage: 'usage: memdedup dashboard\n  prints the Grafana dashboard JSON (dashboards/memdedup.json is its output)\n' };

export function dashboard(args: string[] = [], out: NodeJS.WritableStream = process.stdout): number {
  const parsed = parseCommand(DASHBOARD_SPEC, args);
  if (typeof parsed === 'number') return parsed;
  out.write(dashboardJson());
  return 0;
}
