/**
 * Nanoseconds in human units, for tables, axes and command-line options.
 *
 * @module
 */

const UNITS: [string, number][] = [["s", 1e9], ["ms", 1e6], ["µs", 1e3], ["ns", 1]];

/**
 * A duration in the largest unit that keeps it ≥ 1, with three significant
 * digits (nanoseconds are whole): `1.50 ms`, `250 µs`, `12 ns`, `2.25 s`.
 * Trailing zeros stay, so that `1.00 s` beside `1.04 s` reads as the
 * rounding it is, not as a round number.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./duration.ts";
 * console.assert(formatDuration(1_500_000) === "1.50 ms");
 * console.assert(formatDuration(250_000) === "250 µs");
 * console.assert(formatDuration(1_000_000_000) === "1.00 s");
 * console.assert(formatDuration(0) === "0");
 * console.assert(formatDuration(999_999) === "1.00 ms");
 * console.assert(formatDuration(7) === "7 ns");
 * ```
 */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0";
  const abs = Math.abs(ns);
  for (let i = 0; i < UNITS.length; i++) {
    const [unit, size] = UNITS[i];
    if (abs < size && size !== 1) continue;
    const v = ns / size;
    const digits = (a: number) => size === 1 || a >= 100 ? 0 : a >= 10 ? 1 : 2;
    const text = v.toFixed(digits(Math.abs(v)));
    // 999.7 µs rounds to 1000 µs: say 1.00 ms.
    if (Math.abs(Number(text)) >= 1000 && i > 0) {
      return `${(Math.sign(v) * 1).toFixed(2)} ${UNITS[i - 1][0]}`;
    }
    // 9.996 ms rounds to 10.00: keep three digits, 10.0 ms.
    return `${v.toFixed(digits(Math.abs(Number(text))))} ${unit}`;
  }
  return `${ns} ns`;
}

/**
 * Parses a duration: a number of nanoseconds, or a number with a unit
 * (`ns`, `us`, `µs`, `ms`, `s`). Returns null when the text is not one.
 *
 * @example
 * ```ts
 * import { parseDuration } from "./duration.ts";
 * console.assert(parseDuration("2.5ms") === 2_500_000);
 * console.assert(parseDuration("1200") === 1200);
 * console.assert(parseDuration("soon") === null);
 * ```
 */
export function parseDuration(text: string): number | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)?\s*$/.exec(text);
  if (!m) return null;
  const scale = { ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9 }[m[2] ?? "ns"]!;
  return Math.round(Number(m[1]) * scale);
}

/**
 * A "nice" step for an axis spanning `span` ns with about `target` ticks:
 * 1, 2 or 5 times a power of ten.
 *
 * @example
 * ```ts
 * import { niceStep } from "./duration.ts";
 * console.assert(niceStep(1_000_000, 5) === 200_000);
 * console.assert(niceStep(7, 10) === 1);
 * ```
 */
export function niceStep(span: number, target = 8): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, target);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    if (m * pow >= raw) return Math.max(1, m * pow);
  }
  return Math.max(1, 10 * pow);
}

/**
 * A tick label for an axis whose ticks are `step` ns apart: like
 * {@link formatDuration}, with as many decimals as the step needs, so that
 * neighbouring ticks never read alike however far the view is zoomed in.
 *
 * @example
 * ```ts
 * import { formatTick } from "./duration.ts";
 * console.assert(formatTick(50_001_000, 1000) === "50.001 ms");
 * console.assert(formatTick(50_002_000, 1000) === "50.002 ms");
 * console.assert(formatTick(2_000_000_001, 1) === "2.000000001 s");
 * console.assert(formatTick(1_500_000, 500_000) === "1.5 ms");
 * console.assert(formatTick(0, 1000) === "0");
 * ```
 */
export function formatTick(ns: number, step: number): string {
  if (ns === 0) return "0";
  const abs = Math.abs(ns);
  const [unit, size] = UNITS.find(([, size]) => abs >= size) ?? UNITS[UNITS.length - 1];
  // Enough decimals of the unit to tell ticks `step` apart (ticks are multiples of it).
  const digits = step > 0 ? Math.min(9, Math.max(0, Math.ceil(Math.log10(size / step) - 1e-9))) : 2;
  return `${Number((ns / size).toFixed(digits))} ${unit}`;
}
