// `memdedup <command>`: one file per command; this one only dispatches.
import { dashboard } from './dashboard.js';
import { rules } from './rules.js';
import { serve } from './serve.js';

const USAGE = `usage: memdedup <command> [options]

commands:
  serve     run the HTTP API on the embedded defaults (HOST, PORT, MEMDEDUP_DB, MEMDEDUP_FLAGS_FILE)
  dashboard print the Grafana dashboard JSON
  rules     print the Prometheus alerting rules (--alerts <file.json> for other thresholds)
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve': await serve(); return -1;
    case 'rules': return rules(rest);
    case 'dashboard': return dashboard();
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(USAGE); return 0;
    default:
      process.stderr.write(`memdedup: unknown command '${cmd}' ${rest.length ? '' : ''}\n${USAGE}`);
      return 2;
  }
}
