/**
 * CPU samples as a top-N table of functions (self and cumulative share).
 *
 * @module
 */

import type { CPUProfile, FunctionSamples } from "../queries/cpu.ts";
import { DataTable } from "./data_table.ts";

/**
 * The functions most often on the CPU, as a table.
 *
 * @example
 * ```ts
 * import { cpuTable } from "./cpu_view.ts";
 * const p = { samples: 4, functions: [{ func: "main.hash", self: 3, cumulative: 3, selfFraction: 0.75,
 *   cumulativeFraction: 0.75 }], cumulative: [], stacks: [], byGoroutine: {} };
 * console.assert(String(cpuTable(p)).includes("75.0%"));
 * ```
 */
export function cpuTable(
  profile: CPUProfile,
  opts: { by?: "self" | "cumulative"; max?: number } = {},
): DataTable<FunctionSamples> {
  const rows = opts.by === "cumulative" ? profile.cumulative : profile.functions;
  const pct = (f: number) => `${(f * 100).toFixed(1)}%`;
  return new DataTable(rows, [
    { header: "function", value: (f) => f.func },
    { header: "self", value: (f) => f.self },
    { header: "self %", value: (f) => pct(f.selfFraction) },
    { header: "cum", value: (f) => f.cumulative },
    { header: "cum %", value: (f) => pct(f.cumulativeFraction) },
  ], {
    caption: `CPU samples: ${profile.samples}, top functions by ${opts.by ?? "self"}`,
    max: opts.max ?? 15,
  });
}
