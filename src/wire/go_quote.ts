/**
 * Go's string quoting (`strconv.Quote`, so `%q`) and unquoting, over the
 * raw bytes Go strings are: event text and the textual format both use it.
 *
 * @module
 */

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
 * import { goQuote } from "./go_quote.ts";
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
 * import { goQuoteString } from "./go_quote.ts";
 * console.assert(goQuoteString('say "hi"') === '"say \\"hi\\""');
 * ```
 */
export function goQuoteString(s: string): string {
  // Most strings are printable ASCII without quotes or backslashes.
  if (/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return `"${s}"`;
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
 * import { goUnquote } from "./go_quote.ts";
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
