/**
 * RFC 3339 timestamps with nanoseconds, as Go's `time` package formats them
 * for Sync events (string quoting is in wire/go_quote.ts).
 *
 * @module
 */

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
