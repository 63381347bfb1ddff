// `memdedup rules [--alerts <file.json>]`: prints the Prometheus alerting rules for the alert
// thresholds (the seed's, or those of an AlertsOptions JSON file). config/alerts.yml is its output.
import { readFileSync } from 'node:fs';
import { resolveAlerts, type AlertsOptions } from '../alerts/definitions.js';
import { rulesYaml } from '../alerts/rules.js';
import { invalidInput } from '../errors.js';

export function rules(args: string[], out: NodeJS.WritableStream = process.stdout): number {
  let options: AlertsOptions = {};
  if (args.length > 0) {
    if (args[0] !== '--alerts' || !args[1] || args.length > 2) throw invalidInput('rules', 'takes only --alerts <file.json>');
    options = JSON.parse(readFileSync(args[1], 'utf8')) as AlertsOptions;
  }
  out.write(rulesYaml(resolveAlerts(options)));
  return 0;
}
