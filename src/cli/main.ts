// `memdedup <command>`: one file per command; this one only dispatches.
import { evalCommand } from './eval.js';
import { serve } from './serve.js';
import { sweepCommand } from './sweep.js';

const USAGE = `usage: memdedup <command> [options]

commands:
  serve     run the HTTP API on the embedded defaults (HOST, PORT, MEMDEDUP_DB, MEMDEDUP_FLAGS_FILE)
  sweep     re-dedup memories flagged needsRecheck: sweep [--user U] [--json]
  eval      measure dedup decisions on labelled pairs or a fact stream (memdedup eval --help)
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve': await serve(); return -1;
    case 'sweep': return sweepCommand(rest);
    case 'eval': return evalCommand(rest);
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(USAGE); return 0;
    default:
      process.stderr.write(`memdedup: unknown command '${cmd}' ${rest.length ? '' : ''}\n${USAGE}`);
      return 2;
  }
}
