/**
 * What every `trace` command shares: argument parsing with `--help`, and
 * the exit codes — 0 done, 1 the trace is bad (the TraceError in one
 * paragraph), 2 the command line is wrong.
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { TraceError } from "../../src/trace_error.ts";
import type { PartialMode } from "../../src/wire/generation.ts";

/** A command line that does not make sense; exits 2. */
export class UsageError extends Error {}

/**
 * An output that cannot be written (a directory, a missing parent, the
 * input itself...): one line on stderr, never a stack trace.
 */
export class OutputError extends Error {
  /**
   * @param message what is wrong, e.g. "cannot write out/: is a directory"
   * @param status the exit status: 2 when the command line names a bad
   *   output, 1 when writing failed on the way
   */
  constructor(message: string, readonly status: 1 | 2 = 2) {
    super(message);
  }
}

/** One subcommand of `trace`. */
export interface Command {
  /** Name, e.g. "summary". */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Runs with the arguments after the command name; returns the exit status. */
  run(args: string[]): Promise<number>;
}

/** Parsed options and positionals (a `--help` has been dealt with). */
export interface Parsed {
  /** Option values by name. */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** Positional arguments. */
  positionals: string[];
}

/**
 * Parses `args` with node:util's parseArgs plus `-h/--help`; returns null
 * after printing the help. Unknown options and missing values are
 * UsageErrors.
 */
export function parse(
  args: string[],
  options: ParseArgsOptionsConfig,
  help: string,
): Parsed | null {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.values.help) {
    console.log(help.trimEnd());
    return null;
  }
  return parsed as Parsed;
}

/** The single FILE argument of a command, or a UsageError. */
export function oneFile(p: Parsed): string {
  if (p.positionals.length !== 1) {
    throw new UsageError(`expected one FILE (a path, or - for stdin), got ${p.positionals.length}`);
  }
  return p.positionals[0];
}

/** A string option that must be an integer (a goroutine or P id, a count). */
export function intOption(p: Parsed, name: string): number | undefined {
  const v = p.values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isInteger(n)) {
    throw new UsageError(`--${name} wants an integer, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** What `--partial` accepts: the Reader's ways of reading a truncated trace. */
export const PARTIAL_MODES: readonly PartialMode[] = [
  "reference",
  "complete-generations",
  "orderable",
];

/** The `--partial` help lines, shared by every reading command. */
export const PARTIAL_HELP = `  --partial MODE     what to read of a truncated trace: reference (Go's
                     reader's events, the default), complete-generations
                     (only generations known to be whole) or orderable (also
                     what can still be ordered of the cut one); the output
                     then covers what was read and the exit status is 1`;

/** The `--partial` option (parseArgs config), for spreading into a command's options. */
export const PARTIAL_OPTION: ParseArgsOptionsConfig = { partial: { type: "string" } };

/** The `--partial` mode asked for, or undefined; anything else is a UsageError. */
export function partialOption(p: Parsed): PartialMode | undefined {
  const v = p.values.partial;
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !PARTIAL_MODES.includes(v as PartialMode)) {
    throw new UsageError(
      `--partial must be one of ${PARTIAL_MODES.join(", ")}, got ${JSON.stringify(v)}`,
    );
  }
  return v as PartialMode;
}

/** Words of `text` re-flowed into lines of at most `width` columns. */
export function paragraph(text: string, width = 80): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join("\n");
}

/**
 * Runs a command and maps failures to exit codes: a UsageError prints the
 * problem and where to find help (2); an OutputError prints its one line
 * (its status); a TraceError prints itself as one paragraph (1); anything
 * else is a bug and propagates.
 */
export async function runCommand(cmd: Command, args: string[]): Promise<number> {
  try {
    return await cmd.run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`trace ${cmd.name}: ${e.message}\nRun "deno task trace ${cmd.name} --help".`);
      return 2;
    }
    if (e instanceof OutputError) {
      console.error(`trace ${cmd.name}: ${e.message}`);
      return e.status;
    }
    if (e instanceof TraceError) {
      console.error(paragraph(`trace ${cmd.name}: ${e.toString()}`));
      return 1;
    }
    throw e;
  }
}
