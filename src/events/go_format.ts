/**
 * The two bits of Go's fmt that event text depends on: `%q` string quoting
 * and RFC 3339 timestamps with nanoseconds.
 *
 * @module
 */

/**
 * Quotes a string as Go's `strconv.Quote` (and so `%q`) does.
 *
 * @example
 * ```ts
 * import { goQuote } from "./go_format.ts";
 * console.assert(goQuote('a"b\n') === '"a\\"b\\n"');
 * ```
 */
export function goQuote(s: string): string {
  // Fast path: printable ASCII without quotes or backslashes.
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c === 0xfffd) out += "\\ufffd"; // Go escapes bytes that were invalid UTF-8
    else if ((c >= 0x80 && c < 0xa0) || c === 0xad) {
      out += "\\u" + c.toString(16).padStart(4, "0");
    } else out += ch;
  }
  return out + '"';
}

/**
 * Formats a Unix time as Go's `time.RFC3339Nano` in UTC: trailing zeros of
 * the fraction dropped, and no fraction at all when it is zero.
 *
 * @example
 * ```ts
 * import { rfc3339Nano } from "./go_format.ts";
 * console.assert(rfc3339Nano(0, 500000000) === "1970-01-01T00:00:00.5Z");
 * ```
 */
export function rfc3339Nano(sec: number, nsec: number): string {
  sec += Math.floor(nsec / 1e9);
  nsec = ((nsec % 1e9) + 1e9) % 1e9;
  const d = new Date(sec * 1000);
  const p2 = (n: number) => String(n).padStart(2, "0");
  let s = `${String(d.getUTCFullYear()).padStart(4, "0")}-${p2(d.getUTCMonth() + 1)}-${
    p2(d.getUTCDate())
  }T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  if (nsec > 0) s += "." + String(nsec).padStart(9, "0").replace(/0+$/, "");
  return s + "Z";
}
