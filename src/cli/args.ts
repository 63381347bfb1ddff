// The one argument parser every command uses (node:util parseArgs, strict): `--help`/`-h` on each,
// and an unknown option or a missing value exits 2 with the message and the command's usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type ArgValues = Record<string, string | boolean | undefined>;

export interface CommandSpec {
  /** As typed after `memdedup`. */
  name: string;
  usage: string;
  options: OptionSpecs;
  /** Arguments that are not options; refused unless allowed. @default false */
  positionals?: boolean;
}

export interface Parsed { values: ArgValues; positionals: string[] }

export interface CliStreams { out: NodeJS.WritableStream; err: NodeJS.WritableStream }
const STD: CliStreams = { out: process.stdout, err: process.stderr };

/** Parses strictly, throwing parseArgs' TypeError (ERR_PARSE_ARGS_UNKNOWN_OPTION, ...) on bad usage. */
export function parseStrict(spec: CommandSpec, argv: string[]): Parsed {
  const r = parseArgs({ args: argv, strict: true, allowPositionals: spec.positionals ?? false,
    options: { ...spec.options, help: { type: 'boolean', short: 'h' } } });
  return { values: r.values as ArgValues, positionals: r.positionals };
}

/** The parsed arguments, or the exit code when the command must stop here (0 after --help, 2 on bad usage). */
export function parseCommand(spec: CommandSpec, argv: string[], io: CliStreams = STD): Parsed | number {
  let parsed: Parsed;
  try {
    parsed = parseStrict(spec, argv);
  } catch (e) {
    io.err.write(`memdedup ${spec.name}: ${(e as Error).message}\n${spec.usage}`);
    return 2;
  }
  if (parsed.values.help) { io.out.write(spec.usage); return 0; }
  return parsed;
}

/** For a check after parsing (a required option missing, two that exclude each other). */
export function usageError(spec: CommandSpec, message: string, io: CliStreams = STD): number {
  io.err.write(`memdedup ${spec.name}: ${message}\n${spec.usage}`);
  return 2;
}
