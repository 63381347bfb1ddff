// Top self-time entries of a .cpuprofile (node --cpu-prof): node test/bench/summariseProfile.mjs FILE [N]
import { readFileSync } from 'node:fs';

const [file, n = '25'] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
const self = new Map();
// Samples are node ids; each interval is the time until the next sample.
for (let i = 0; i < prof.samples.length; i++) {
  const node = byId.get(prof.samples[i]);
  const cf = node.callFrame;
  const key = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) {
  process.stdout.write(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}\n`);
}

// Inclusive time of the functions named after the file and N (or of a default list): the samples whose stack holds them.
const names = process.argv.slice(4).length ? process.argv.slice(4)
  : ['createIndex', 'indexSnapshot', 'prepare', 'decide', 'prepareLexical', 'frameOf', 'shapeOf', 'search', 'cosine', 'signals', 'commit'];
const parent = new Map();
for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const incl = new Map(names.map((k) => [k, 0]));
for (let i = 0; i < prof.samples.length; i++) {
  const seen = new Set();
  for (let id = prof.samples[i]; id !== undefined; id = parent.get(id)) {
    const fn = byId.get(id).callFrame.functionName;
    if (incl.has(fn) && !seen.has(fn)) { seen.add(fn); incl.set(fn, incl.get(fn) + (prof.timeDeltas[i] ?? 0)); }
  }
}
process.stdout.write('inclusive:\n');
for (const [k, us] of incl) process.stdout.write(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}\n`);
