// `memdedup rules [--alerts <file.json>]`: prints the Prometheus alerting rules for the alert
// thresholds (the seed's, or those of an AlertsOptions JSON file). config/alerts.yml is its output.
import { readFileSync } from 'node:fs';
import { resolveAlerts, type AlertsOptions } from '../alerts/definitions.js';
import { rulesYaml } from '../alerts/rules.js';
import { invalidInput } from '../errors.js';
import { parseCommand, type CommandSpec } from './args.js';

const RULES_SPEC: CommandSpec = { name: 'rules', options: { alerts: { type: 'string' } },
  usage: `usage: memdedup rules [--alerts <file.json>]
  prints the Prometheus alerting rules (config/alerts.yml is its output)
  --alerts FILE   AlertsOptions JSON with other thresholds
` };

export function rules(args: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  const parsed = parseCommand(RULES_SPEC, args, { out, err });
  if (typeof parsed === 'number') return parsed;
  let options: AlertsOptions = {};
  const file = parsed.values.alerts;
  if (typeof file === 'string') {
    try {
      options = JSON.parse(readFileSync(file, 'utf8')) as AlertsOptions;
    } catch (e) {
      throw invalidInput('--alerts', `${file} cannot be read as JSON: ${(e as Error).message}`);
    }
  }
  out.write(rulesYaml(resolveAlerts(options)));
  return 0;
}
