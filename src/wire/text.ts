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

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SIMPLE_ESCAPES: Record<number, string> = {
  7: "\\a",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  11: "\\v",
  12: "\\f",
  13: "\\r",
  0x22: '\\"',
  0x5c: "\\\\",
};

/**
 * Decodes the UTF-8 rune at `i` the way Go does; returns [rune, width], with
 * rune -1 for an invalid byte (width 1).
 */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const b0 = b[i];
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number) => i + k < b.length && (b[i + k] & 0xc0) === 0x80;
  if (b0 >= 0xc2 && b0 <= 0xdf && cont(1)) return [((b0 & 0x1f) << 6) | (b[i + 1] & 0x3f), 2];
  if (b0 >= 0xe0 && b0 <= 0xef && cont(1) && cont(2)) {
    const r = ((b0 & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
    if (r >= 0x800 && (r < 0xd800 || r > 0xdfff)) return [r, 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4 && cont(1) && cont(2) && cont(3)) {
    const r = ((b0 & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) |
      (b[i + 3] & 0x3f);
    if (r >= 0x10000 && r <= 0x10ffff) return [r, 4];
  }
  return [-1, 1];
}

const hex = (v: number, width: number) => v.toString(16).padStart(width, "0");

/**
 * Quotes bytes as Go's `strconv.Quote` does: a double-quoted Go string
 * literal, printable runes kept, invalid UTF-8 bytes as `\xNN`.
 *
 * @example
 * ```ts
 * import { goQuote } from "./text.ts";
 * console.assert(goQuote(new Uint8Array([0x61, 0x0a, 0xff])) === '"a\\n\\xff"');
 * ```
 */
export function goQuote(bytes: Uint8Array): string {
  let s = '"';
  for (let i = 0; i < bytes.length;) {
    const [r, w] = decodeRune(bytes, i);
    i += w;
    if (r < 0) {
      s += "\\x" + hex(bytes[i - 1], 2);
      continue;
    }
    const esc = SIMPLE_ESCAPES[r];
    if (esc) s += esc;
    else if (PRINTABLE.test(String.fromCodePoint(r))) s += String.fromCodePoint(r);
    else if (r < 0x20 || r === 0x7f) s += "\\x" + hex(r, 2);
    else if (r < 0x10000) s += "\\u" + hex(r, 4);
    else s += "\\U" + hex(r, 8);
  }
  return s + '"';
}

/**
 * {@link goQuote} of a JavaScript string (taken as UTF-8), i.e. Go's `%q`.
 *
 * @example
 * ```ts
 * import { goQuoteString } from "./text.ts";
 * console.assert(goQuoteString('say "hi"') === '"say \\"hi\\""');
 * ```
 */
export function goQuoteString(s: string): string {
  return goQuote(new TextEncoder().encode(s));
}

function utf8(r: number, out: number[]): void {
  if (r < 0x80) out.push(r);
  else if (r < 0x800) out.push(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
  else if (r < 0x10000) out.push(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  else {
    out.push(
      0xf0 | (r >> 18),
      0x80 | ((r >> 12) & 0x3f),
      0x80 | ((r >> 6) & 0x3f),
      0x80 | (r & 0x3f),
    );
  }
}

/**
 * Unquotes a Go string literal (`"..."`, `` `...` `` or a one-rune `'.'`)
 * into bytes, as Go's `strconv.Unquote` does; null when it is not valid Go.
 *
 * @example
 * ```ts
 * import { goUnquote } from "./text.ts";
 * console.assert(goUnquote('"a\\xffb"')?.length === 3);
 * console.assert(goUnquote('"unterminated') === null);
 * ```
 */
export function goUnquote(s: string): Uint8Array | null {
  if (s.length < 2) return null;
  const q = s[0];
  if (q !== s[s.length - 1]) return null;
  const body = s.slice(1, -1);
  if (q === "`") {
    if (body.includes("`")) return null;
    return new TextEncoder().encode(body.replaceAll("\r", ""));
  }
  if (q !== '"' && q !== "'") return null;
  const out: number[] = [];
  let runes = 0;
  for (let i = 0; i < body.length;) {
    const ch = body[i];
    runes++;
    if (ch === q || ch === "\n") return null;
    if (ch !== "\\") {
      const cp = body.codePointAt(i)!;
      utf8(cp, out);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    const simple = "abfnrtv\\".indexOf(e);
    if (simple >= 0) {
      out.push([7, 8, 12, 10, 13, 9, 11, 0x5c][simple]);
    } else if (e === q) {
      out.push(q.charCodeAt(0));
    } else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const digits = body.slice(i, i + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) return null;
      const v = parseInt(digits, 16);
      i += n;
      if (e === "x") out.push(v);
      else if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return null;
      else utf8(v, out);
    } else if (e !== undefined && e >= "0" && e <= "7") {
      const digits = body.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(digits)) return null;
      const v = parseInt(digits, 8);
      if (v > 255) return null;
      out.push(v);
      i += 2;
    } else {
      return null;
    }
  }
  if (q === "'" && runes !== 1) return null;
  return Uint8Array.from(out);
}
