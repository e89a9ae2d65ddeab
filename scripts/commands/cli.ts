/**
 * What every `trace` command shares: argument parsing with `--help`, and
 * the exit codes — 0 done, 1 the trace is bad (the TraceError in one
 * paragraph), 2 the command line is wrong.
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { TraceError } from "../../src/trace_error.ts";
import { parseDuration } from "../../src/display/duration.ts";
import type { TimeBound } from "../../src/export/chrome_writer.ts";
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
    const msg = (e as Error).message;
    // node:util's message leaves a quote open ('-- "--bogus"); say it plainly.
    const unknown = /^Unknown option '([^']*)'/.exec(msg);
    throw new UsageError(
      unknown
        ? `unknown option ${unknown[1]} (a FILE starting with "-" goes after "--": -- ${
          unknown[1]
        })`
        : msg,
    );
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

/**
 * Checks that `value` of option `name` is one of `accepted` (ignoring case),
 * and returns the accepted spelling; otherwise a UsageError that lists them.
 *
 * @example
 * ```ts
 * import { oneOf } from "./cli.ts";
 * console.assert(oneOf("--state", "waiting", ["Running", "Waiting"]) === "Waiting");
 * try {
 *   oneOf("--state", "Bogus", ["Running", "Waiting"]);
 * } catch (e) {
 *   console.assert((e as Error).message.includes("Running, Waiting"));
 * }
 * ```
 */
export function oneOf(name: string, value: string, accepted: readonly string[]): string {
  const hit = accepted.find((a) => a.toLowerCase() === value.toLowerCase());
  if (hit === undefined) {
    throw new UsageError(
      `${name} must be one of ${accepted.join(", ")}; got ${JSON.stringify(value)}`,
    );
  }
  return hit;
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

/** The `--workers` help lines, shared by the commands that read in parallel. */
export const WORKERS_HELP =
  `  --workers N        order the trace's generations on N threads (this one
                     and N-1 Web Workers) and merge them: the same output,
                     sooner on a trace of several generations, but the whole
                     trace is held in memory (default 1: read as it streams)`;

/** The help line of `--workers` for the commands that analyze every event. */
export const ANALYSIS_WORKERS_HELP =
  `  --workers N        use N threads: N-1 Web Workers order the trace
                     while this one analyzes its events as they come: the
                     same output, sooner when the workers have a core of
                     their own, but the whole trace is held in memory
                     (default 1: read as it streams)`;

/** The help line of `--workers` for `trace summary` and `goroutines`, which pick a default. */
export const AUTO_WORKERS_HELP =
  `  --workers N        use N threads: N-1 Web Workers order the trace
                     while this one analyzes its events as they come: the
                     same output, sooner when the workers have a core of
                     their own, but the whole trace is held in memory
                     (default: 2 for a file of 8 to 256 MB of trace, gzip
                     counted four times its size, on two cores or more;
                     else 1, read as it streams)`;

/** The `--workers` option (parseArgs config). */
export const WORKERS_OPTION: ParseArgsOptionsConfig = { workers: { type: "string" } };

/** The number of workers asked for with `--workers`, 0 when absent; else a UsageError. */
export function workersOption(p: Parsed): number {
  const v = p.values.workers;
  if (v === undefined) return 0;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isInteger(n) || n < 1 || n > 256) {
    throw new UsageError(
      `--workers must be a whole number from 1 to 256, not ${JSON.stringify(v)}`,
    );
  }
  return n;
}

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

/**
 * Reads a time as every command means it: a duration (`2ms`, `+2ms`,
 * `1500000`) is an offset from the trace's first event, with or without
 * the `+`; `@T` (`@1234567`, `@1234567ns`, `@1.5s`) is an absolute
 * timestamp on the trace's clock, as `events` prints them. Returns null
 * for anything else.
 *
 * @example
 * ```ts
 * import { parseTime } from "./cli.ts";
 * console.assert(JSON.stringify(parseTime("2ms")) === '{"sinceFirst":2000000}');
 * console.assert(JSON.stringify(parseTime("+2ms")) === '{"sinceFirst":2000000}');
 * console.assert(parseTime("@1234567ns") === 1234567);
 * console.assert(parseTime("soon") === null && parseTime("-1ms") === null);
 * ```
 */
export function parseTime(text: string): TimeBound | null {
  const t = text.trim();
  const abs = t.startsWith("@");
  const ns = parseDuration(abs ? t.slice(1) : t.startsWith("+") ? t.slice(1) : t);
  if (ns === null || ns < 0) return null;
  return abs ? ns : { sinceFirst: ns };
}

/**
 * A time bound as an absolute timestamp, once the first event's time is known.
 *
 * @example
 * ```ts
 * import { resolveTime } from "./cli.ts";
 * console.assert(resolveTime({ sinceFirst: 5 }, 100) === 105);
 * console.assert(resolveTime(7, 100) === 7);
 * ```
 */
export function resolveTime(b: TimeBound, first: number): number {
  return typeof b === "number" ? b : first + b.sinceFirst;
}

/** How `--from`/`--to` read, for every command's `--help`. */
export const TIME_HELP =
  `  --from T, --to T   a window; T is a duration from the trace's first event
                     (1500000 ns, 2ms, +2.5ms, 1s; units ns, us, ms, s) or,
                     with "@", an absolute timestamp as events show it
                     (@1234567, @1234567ns)`;

/** The `--from`/`--to` options (parseArgs config). */
export const TIME_OPTIONS: ParseArgsOptionsConfig = {
  from: { type: "string" },
  to: { type: "string" },
};

/** The time option `name` (see {@link parseTime}), or undefined; a bad one is a UsageError. */
export function timeOption(p: Parsed, name: string): TimeBound | undefined {
  const v = p.values[name];
  if (v === undefined) return undefined;
  const b = typeof v === "string" ? parseTime(v) : null;
  if (b === null) {
    throw new UsageError(
      `--${name} wants a time: a duration from the first event (2ms, +2ms, 1500000) ` +
        `or an absolute timestamp (@1234567ns), got ${JSON.stringify(v)}`,
    );
  }
  return b;
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
