// `memdedup eval`: the real engine, in-process, over labelled pairs (--pairs) or a fact stream (--stream).
import { writeFileSync } from 'node:fs';
import { DEFAULT_THRESHOLDS } from '../dedup/policy.js';
import { prCurve, scorePairs, type PairReport } from '../eval/metrics.js';
import { prPlotSvg } from '../eval/plot.js';
import { evalEngine, readFacts, readPairs, runPairs, runStream, type Progress, type StreamReport } from '../eval/run.js';
import type { EngineOptions } from '../options.js';
import { parseCommand, usageError, type CommandSpec } from './args.js';
import { isMemdedupError } from '../errors.js';
import { policyThresholds } from './evalPolicy.js';
import { providersFromEnv } from './providerEnv.js';

export const EVAL_USAGE = `usage: memdedup eval (--pairs FILE... | --stream FILE) [options]

  --pairs FILE          JSONL {a, b, label[, kind]}; label duplicate|update|conflict|distinct or 1|0.
                        Repeat it to evaluate several sets: each is reported on its own (with --json, one
                        object {reports: [{file, ...report}]}; with one file, the report itself)
  --stream FILE         JSONL {conv, speaker, fact}; each (conv, speaker) is one user
  --json                one JSON object on stdout
  --plot OUT.svg        duplicate precision/recall across the similarity threshold (pairs only; with several
                        files, OUT-1.svg, OUT-2.svg, ... in --pairs order)
  --embedder-url URL    OpenAI-compatible base URL incl. /v1 (env MEMDEDUP_EMBEDDER_URL)
  --embedder-model M    (env MEMDEDUP_EMBEDDER_MODEL)      key: env MEMDEDUP_EMBEDDER_API_KEY or OPENAI_API_KEY
  --judge-url URL       OpenAI-compatible base URL incl. /v1 (env MEMDEDUP_JUDGE_URL)
  --judge-model M       (env MEMDEDUP_JUDGE_MODEL)         key: env MEMDEDUP_JUDGE_API_KEY or OPENAI_API_KEY
  --policy NAME         the thresholds of a configured dedup policy (engine.dedup.policies of the config file)
  --config FILE         the config file holding it (default MEMDEDUP_CONFIG, as \`serve\` reads)
  --duplicate-threshold X, --conflict-threshold X, --update-threshold X   override the policy thresholds
  --errors N            print N misclassified pairs on stderr (pairs only)
  -h, --help            this text
`;

const EVAL_SPEC: CommandSpec = { name: 'eval', usage: EVAL_USAGE, options: {
  pairs: { type: 'string', multiple: true }, stream: { type: 'string' }, json: { type: 'boolean' }, plot: { type: 'string' },
  'embedder-url': { type: 'string' }, 'embedder-model': { type: 'string' }, 'judge-url': { type: 'string' }, 'judge-model': { type: 'string' },
  'duplicate-threshold': { type: 'string' }, 'conflict-threshold': { type: 'string' }, 'update-threshold': { type: 'string' }, errors: { type: 'string' },
  policy: { type: 'string' }, config: { type: 'string' },
} };

export function evalOptions(v: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): EngineOptions {
  const o: EngineOptions = providersFromEnv(env, { embedderUrl: v['embedder-url'] as string | undefined,
    embedderModel: v['embedder-model'] as string | undefined, judgeUrl: v['judge-url'] as string | undefined,
    judgeModel: v['judge-model'] as string | undefined });
  const t: Record<string, number> = {};
  for (const k of ['duplicate', 'conflict', 'update'] as const) {
    const raw = v[`${k}-threshold`];
    if (typeof raw === 'string') {
      const x = Number(raw);
      if (!(x >= 0 && x <= 1)) throw new Error(`--${k}-threshold must be a number in [0, 1]`);
      t[k] = x;
    }
  }
  if (Object.keys(t).length) o.dedup = { thresholds: t };
  return o;
}

function progressBar(label: string): Progress {
  if (!process.stderr.isTTY && !process.env.MEMDEDUP_PROGRESS) return () => {};
  let last = -1;
  return (done, total) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    if (pct === last && done !== total) return;
    last = pct;
    const width = 30, fill = Math.round((pct / 100) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const num = (x: number) => x.toFixed(3);

export function pairsTable(r: PairReport): string {
  const lines = [`pairs ${r.pairs}  accuracy ${num(r.accuracy)}  falseMergeRate ${num(r.falseMergeRate)}`, '',
    `${pad('label', 11)}${pad('precision', 11)}${pad('recall', 9)}${pad('f1', 8)}support`];
  for (const [l, m] of Object.entries(r.perLabel)) lines.push(`${pad(l, 11)}${pad(num(m.precision), 11)}${pad(num(m.recall), 9)}${pad(num(m.f1), 8)}${m.support}`);
  const predicted = ['duplicate', 'update', 'conflict', 'distinct', 'error'];
  lines.push('', `confusion (gold \\ predicted)`, `${pad('', 11)}${predicted.map((p) => pad(p, 11)).join('')}`);
  for (const [g, row] of Object.entries(r.confusion)) lines.push(`${pad(g, 11)}${predicted.map((p) => pad(row[p] ?? 0, 11)).join('')}`);
  if (Object.keys(r.byKind).length) {
    lines.push('', `${pad('kind', 32)}${pad('label', 11)}${pad('correct', 9)}${pad('support', 9)}recall`);
    for (const [k, m] of Object.entries(r.byKind).sort()) lines.push(`${pad(k, 32)}${pad(m.label, 11)}${pad(m.correct, 9)}${pad(m.support, 9)}${num(m.recall)}`);
  }
  return lines.join('\n') + '\n';
}

export function streamTable(r: StreamReport): string {
  return `facts ${r.facts}  users ${r.users}  merged ${r.merged}  mergeRate ${r.mergeRate.toFixed(4)}\n`;
}

export async function evalCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommand(EVAL_SPEC, argv);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  // `multiple: true`: every --pairs given, in order.
  const pairFiles = (v.pairs as unknown as string[] | undefined) ?? [];
  if (!pairFiles.length === !v.stream) return usageError(EVAL_SPEC, 'give exactly one of --pairs or --stream');
  const options = evalOptions(v, env);
  if (typeof v.policy === 'string') {
    try {
      // Explicit --*-threshold flags still win over the policy's, to try a variation of it.
      options.dedup = { thresholds: { ...policyThresholds(v.policy, v.config as string | undefined, env), ...options.dedup?.thresholds } };
    } catch (e) {
      if (!isMemdedupError(e)) throw e;
      process.stderr.write(`memdedup eval: ${e.message}\n`);
      return 2;
    }
  }
  // With --policy the output names it and the thresholds it resolved to, so two runs can be told apart.
  const policy = typeof v.policy === 'string' ? { policy: v.policy, thresholds: options.dedup?.thresholds ?? {} } : undefined;
  const print = (report: object, table: string) => process.stdout.write(v.json ? `${JSON.stringify({ ...policy, ...report })}\n`
    : `${policy ? `policy ${policy.policy} ${JSON.stringify(policy.thresholds)}\n` : ''}${table}`);
  const { engine, done } = await evalEngine(options);
  try {
    if (pairFiles.length) {
      const reports: (PairReport & { file: string })[] = [];
      for (const [k, file] of pairFiles.entries()) {
        const pairs = readPairs(file);
        const outcomes = await runPairs(engine, pairs, v.json ? undefined : progressBar(pairFiles.length > 1 ? file.split('/').pop()! : 'pairs'), k);
        const report = scorePairs(outcomes);
        if (typeof v.plot === 'string') {
          const configured = options.dedup?.thresholds?.duplicate ?? DEFAULT_THRESHOLDS.duplicate;
          const out = pairFiles.length > 1 ? v.plot.replace(/(\.svg)?$/i, `-${k + 1}$1`) : v.plot;
          writeFileSync(out, prPlotSvg(prCurve(outcomes), configured, `duplicate precision / recall: ${file.split('/').pop()}`));
        }
        const nErr = Number(v.errors ?? 0);
        for (const o of outcomes.filter((x) => x.gold !== x.predicted).slice(0, nErr)) {
          process.stderr.write(`${o.gold}->${o.predicted} [${o.kind ?? ''}] ${o.decision.method} ${o.score} ${o.decision.reasons?.join(',')}\n  a: ${o.pair.a}\n  b: ${o.pair.b}\n`);
        }
        reports.push({ file, ...report });
        if (!v.json) print({}, `${pairFiles.length > 1 ? `# ${file}\n` : ''}${pairsTable(report)}${k < pairFiles.length - 1 ? '\n' : ''}`);
      }
      if (v.json) {
        // One file: the report itself (the shape scripts read); several: each with its file name.
        const { file: _file, ...only } = reports[0]!;
        print(reports.length === 1 ? only : { reports }, '');
      }
    } else {
      const facts = readFacts(v.stream as string);
      const { report, decisions } = await runStream(engine, facts, v.json ? undefined : progressBar('facts'));
      const nErr = Number(v.errors ?? 0);
      for (const d of decisions.filter((x) => x.action !== 'added').slice(0, nErr)) {
        process.stderr.write(`${d.action} ${d.method} ${d.score} ${d.reasons?.join(',')}\n  memory: ${d.comparedText}\n  fact:   ${facts[Number(d.candidateId.slice(10))]?.fact}\n`);
      }
      print(report, streamTable(report));
    }
    return 0;
  } finally {
    await done();
  }
}
