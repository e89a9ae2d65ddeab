/**
 * The textual wire format used by Go's trace test cases: a `Trace Go1.NN`
 * header line, then one raw event per line (`Name key=value ...`). A `Stack`
 * is followed by one `\tpc=.. func=.. file=.. line=..` line per frame, and a
 * `String` or `ExperimentalBatch` by a `\tdata="..."` line holding a Go
 * quoted string. Blank lines and lines starting with `#` are ignored.
 *
 * Parsing accepts what Go's text reader accepts (plus trailing `#` comments)
 * and reports errors in its words; formatting writes exactly what Go's text
 * writer writes.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { formatU64, parseU64 } from "./uvarint.ts";
import { eventTypesByName, GENERATIONAL_VERSIONS, SPECS } from "./spec.ts";
import { knownType, type RawEvent, type RawTrace } from "./raw.ts";

export { decodeRaw, encodeBinary } from "./raw.ts";
export type { RawEvent, RawTrace } from "./raw.ts";
export { goQuote, goQuoteString, goUnquote } from "./go_quote.ts";
import { goQuote, goQuoteString, goUnquote } from "./go_quote.ts";

const FRAME_FIELDS = ["pc", "func", "file", "line"] as const;

/**
 * Writes a raw trace as text, byte for byte what Go's text writer produces
 * (events with data always get their `data=` line, even when it is empty).
 *
 * @example
 * ```ts
 * import { formatText } from "./text.ts";
 * import { Ev } from "./spec.ts";
 * const text = formatText({ version: 22, events: [{ type: Ev.Frequency, args: [15625000] }] });
 * console.assert(text === "Trace Go1.22\nFrequency freq=15625000\n");
 * ```
 */
export function formatText(trace: RawTrace): string {
  const lines = [`Trace Go1.${trace.version}`];
  for (const ev of trace.events) lines.push(formatEvent(ev));
  return lines.join("\n") + "\n";
}

/**
 * One event as text: its line plus any frame or data lines (no final newline).
 *
 * @example
 * ```ts
 * import { formatEvent } from "./text.ts";
 * import { Ev } from "./spec.ts";
 * console.assert(formatEvent({ type: Ev.ProcStop, args: [3] }) === "ProcStop dt=3");
 * ```
 */
export function formatEvent(ev: RawEvent): string {
  const spec = SPECS[ev.type];
  if (!spec?.name) throw new RangeError(`invalid event type: ${ev.type}`);
  let s = spec.name;
  for (let i = 0; i < spec.args.length; i++) s += ` ${spec.args[i]}=${formatU64(ev.args[i])}`;
  if (spec.isStack) {
    for (let i = spec.args.length; i < ev.args.length; i++) {
      const k = (i - spec.args.length) % 4;
      s += (k === 0 ? "\n\t" : " ") + `${FRAME_FIELDS[k]}=${formatU64(ev.args[i])}`;
    }
  }
  if (spec.hasData) s += "\n\tdata=" + goQuote(ev.data ?? new Uint8Array());
  return s;
}

/** Thrown inside the parser; turned into a TraceError with the line number. */
class LineError extends Error {}

/**
 * Parses the textual format into raw events. Throws TraceError "bad-text"
 * with `line` (1-based) set and the reference reader's wording, e.g.
 * `unidentified event: Foo` or
 * `reading args for ProcStart: expected argument "p", but got "q"`.
 *
 * @example
 * ```ts
 * import { parseText } from "./text.ts";
 * const trace = parseText("Trace Go1.22\nEventBatch gen=1 m=18446744073709551615 time=0 size=1\nStacks\n");
 * console.assert(trace.events.length === 2 && trace.events[0].args[1] === -1);
 * ```
 */
export function parseText(text: string): RawTrace {
  const lines = text.split("\n");
  let lineNo = 0; // 1-based number of the line last returned by next()
  // The next line that has a token, or null at the end.
  const next = (): string | null => {
    while (lineNo < lines.length) {
      let l = lines[lineNo++];
      if (l.endsWith("\r")) l = l.slice(0, -1);
      if (readToken(l)[0] !== "") return l;
    }
    return null;
  };

  try {
    const header = next();
    if (header === null) throw new LineError("failed to parse header: no header line");
    const [word, rest1] = readToken(header);
    if (word !== "Trace") throw new LineError("failed to parse header");
    const [gover, rest2] = readToken(rest1);
    if (!gover.startsWith("Go1.")) throw new LineError("failed to parse header Go version");
    const version = parseU64(gover.slice(4));
    if (Number.isNaN(version)) {
      throw new LineError(
        `failed to parse header Go version: strconv.ParseUint: parsing ${
          goQuoteString(gover.slice(4))
        }: invalid syntax`,
      );
    }
    if (!GENERATIONAL_VERSIONS.includes(version)) {
      throw new LineError(`unknown or unsupported Go version 1.${version}`);
    }
    if (!isBlank(rest2)) {
      throw new LineError(
        `encountered unexpected non-space at the end of the header: ${goQuoteString(rest2)}`,
      );
    }

    const names = eventTypesByName(version);
    // Experimental events ride in ordinary batches from go1.23 on (see knownType).
    for (let t = 128; t < SPECS.length; t++) {
      if (knownType(t, version)) names.set(SPECS[t].name, t);
    }
    const events: RawEvent[] = [];
    for (let line = next(); line !== null; line = next()) {
      const [name, rest] = readToken(line);
      const type = names.get(name);
      if (type === undefined) throw new LineError(`unidentified event: ${name}`);
      const spec = SPECS[type];
      let args: number[];
      try {
        args = readArgs(rest, spec.args);
      } catch (e) {
        if (e instanceof LineError) throw new LineError(`reading args for ${name}: ${e.message}`);
        throw e;
      }
      if (spec.isStack) {
        const nframes = args[1];
        for (let i = 0; i < nframes; i++) {
          const frame = next();
          if (frame === null) {
            throw new LineError(`unexpected EOF while reading stack: args=${formatList(args)}`);
          }
          args.push(...readArgs(frame, FRAME_FIELDS));
        }
      }
      if (spec.hasData) {
        const dataLine = next();
        if (dataLine === null) {
          throw new LineError(
            `unexpected EOF while reading data for ${name}: args=${formatList(args)}`,
          );
        }
        events.push({ type, args, data: readData(dataLine) });
      } else {
        events.push({ type, args });
      }
    }
    return { version, events };
  } catch (e) {
    if (e instanceof LineError) {
      throw new TraceError("bad-text", e.message, { line: Math.max(lineNo, 1) });
    }
    throw e;
  }
}

/** Go's `%v` of a []uint64. */
function formatList(args: number[]): string {
  return `[${args.map(formatU64).join(" ")}]`;
}

function isSpace(ch: string): boolean {
  return /^\s$/u.test(ch) && ch !== "\uFEFF";
}

/** Nothing but spaces, or spaces then a comment. */
function isBlank(s: string): boolean {
  for (const ch of s) {
    if (ch === "#") return true;
    if (!isSpace(ch)) return false;
  }
  return true;
}

/** The first whitespace-delimited token and what follows; `#` ends the line. */
function readToken(s: string): [token: string, rest: string] {
  let i = 0;
  while (i < s.length && isSpace(s[i])) i++;
  if (i === s.length || s[i] === "#") return ["", ""];
  let j = i;
  while (j < s.length && !isSpace(s[j]) && s[j] !== "#") j++;
  return [s.slice(i, j), s.slice(j)];
}

function readArgs(s: string, names: readonly string[]): number[] {
  const args: number[] = [];
  for (const name of names) {
    const [tok, rest] = readToken(s);
    if (tok === "") throw new LineError("no argument");
    const eq = tok.indexOf("=");
    if (eq < 0) throw new LineError(`malformed argument: ${goQuoteString(tok)}`);
    const arg = tok.slice(0, eq);
    const val = tok.slice(eq + 1);
    const value = parseU64(val);
    if (Number.isNaN(value)) {
      throw new LineError(
        `failed to parse argument value ${goQuoteString(val)} for arg ${goQuoteString(arg)}`,
      );
    }
    if (arg !== name) {
      throw new LineError(
        `expected argument ${goQuoteString(name)}, but got ${goQuoteString(arg)}`,
      );
    }
    args.push(value);
    s = rest;
  }
  if (!isBlank(s)) {
    throw new LineError(
      `encountered unexpected non-space at the end of an event: ${goQuoteString(s)}`,
    );
  }
  return args;
}

function readData(line: string): Uint8Array {
  const eq = line.indexOf("=");
  if (eq < 0 || line.slice(0, eq).trim() !== "data") {
    throw new LineError(`malformed data: ${goQuoteString(line)}`);
  }
  const data = goUnquote(line.slice(eq + 1).trim());
  if (data === null) {
    throw new LineError(`failed to parse data: ${goQuoteString(line)}: invalid syntax`);
  }
  return data;
}

// ---------------------------------------------------------------------------
// Go string quoting (strconv.Quote / strconv.Unquote), over bytes: trace
// strings need not be valid UTF-8, and invalid bytes must round-trip.
