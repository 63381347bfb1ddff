// `memdedup <command>`: one file per command; this one only dispatches. Every command parses its
// arguments with the same parser (./args.ts): `--help` on each, exit 2 on an unknown option.
// Commands are imported when run: `--help` and usage errors answer without loading the engine.
import { parseCommand, type CommandSpec } from './args.js';

const USAGE = `usage: memdedup <command> [options]     (memdedup <command> --help for each)

commands:
  serve     run the HTTP API (HOST, PORT, MEMDEDUP_DB, MEMDEDUP_FLAGS_FILE, LOG_LEVEL)
            DATABASE_URL switches to the PostgreSQL store (MEMDEDUP_PG_SCHEMA, MEMDEDUP_PG_POOL_MAX)
            also MEMDEDUP_API_TOKEN (bearer auth on /api/), MEMDEDUP_CONFIG or NODE_ENV=production (config file)
  migrate-store --from sqlite:PATH --to postgres:URL [--schema NAME]
            copy a SQLite store into PostgreSQL
  dashboard print the Grafana dashboard JSON
  rules     print the Prometheus alerting rules (--alerts <file.json> for other thresholds)
  sweep     re-dedup memories flagged needsRecheck: sweep [--user U] [--json]
  eval      measure dedup decisions on labelled pairs or a fact stream
`;

const SERVE_SPEC: CommandSpec = { name: 'serve', options: {},
  usage: `usage: memdedup serve
  runs the engine behind the HTTP API until SIGTERM/SIGINT (drains, then exits 0). Configured by environment:
  HOST (127.0.0.1), PORT (8080), MEMDEDUP_DB (./data/memdedup.db), DATABASE_URL (PostgreSQL instead),
  MEMDEDUP_FLAGS_FILE (default: the shipped flags; toggles write flags.json beside the database),
  UNLEASH_URL / UNLEASH_API_TOKEN (server-mode flags), MEMDEDUP_API_TOKEN, MEMDEDUP_CONFIG, LOG_LEVEL (info)
` };

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve': {
      const parsed = parseCommand(SERVE_SPEC, rest);
      if (typeof parsed === 'number') return parsed;
      await (await import('./serve.js')).serve();
      return -1;
    }
    case 'migrate-store': return (await import('./migrateStore.js')).migrateStoreCommand(rest);
    case 'rules': return (await import('./rules.js')).rules(rest);
    case 'dashboard': return (await import('./dashboard.js')).dashboard(rest);
    case 'sweep': return (await import('./sweep.js')).sweepCommand(rest);
    case 'eval': return (await import('./eval.js')).evalCommand(rest);
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(USAGE); return 0;
    default:
      process.stderr.write(`memdedup: unknown command '${cmd}'\n${USAGE}`);
      return 2;
  }
}
