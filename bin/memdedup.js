#!/usr/bin/env node
// The CLI entry: the compiled code lives in dist/ (npm run build).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exitCode = code; },
  (e) => { process.stderr.write(`memdedup: ${e?.message ?? e}\n`); process.exit(1); },
);
