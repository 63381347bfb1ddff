// `memdedup <command>`: one file per command; this one only dispatches.
import { dashboard } from './dashboard.js';
import { rules } from './rules.js';
import { evalCommand } from './eval.js';
import { serve } from './serve.js';
import { migrateStoreCommand } from './migrateStore.js';
import { reportCommand } from './report.js';
import { sweepCommand } from './sweep.js';

const USAGE = `usage: memdedup <command> [options]

commands:
  serve     run the HTTP API on the embedded defaults (HOST, PORT, MEMDEDUP_DB, MEMDEDUP_FLAGS_FILE)
            DATABASE_URL switches to the PostgreSQL store (MEMDEDUP_PG_SCHEMA, MEMDEDUP_PG_POOL_MAX)
  migrate-store --from sqlite:PATH --to postgres:URL [--schema NAME]
            copy a SQLite store into PostgreSQL
            also MEMDEDUP_API_TOKEN (bearer auth on /api/), MEMDEDUP_CONFIG or NODE_ENV=production (config file)
  dashboard print the Grafana dashboard JSON
  rules     print the Prometheus alerting rules (--alerts <file.json> for other thresholds)
  sweep     re-dedup memories flagged needsRecheck: sweep [--user U] [--json]
  eval      measure dedup decisions on labelled pairs or a fact stream (memdedup eval --help)
  report    dedup quality from the store: decisions, reversals, policies side by side
            report [--since 7d] [--json] [--html FILE] [--db FILE] (memdedup report --help)
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve': await serve(); return -1;
    case 'migrate-store': return migrateStoreCommand(rest);
    case 'rules': return rules(rest);
    case 'dashboard': return dashboard();
    case 'sweep': return sweepCommand(rest);
    case 'eval': return evalCommand(rest);
    case 'report': return reportCommand(rest);
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(USAGE); return 0;
    default:
      process.stderr.write(`memdedup: unknown command '${cmd}' ${rest.length ? '' : ''}\n${USAGE}`);
      return 2;
  }
}
