/**
 * A builder trace whose one goroutine keeps a user region open across
 * generation boundaries: a state no generation announces.
 *
 * @module
 */

import { TraceBuilder } from "../../src/wire/builder.ts";
import { WireGoStatus, WireProcStatus } from "../../src/wire/spec.ts";

/**
 * `n` generations in which G 1 runs on P 0 and M 0, yields and runs again;
 * the region "long" begins in generation `begin` and ends in `end`.
 *
 * @example
 * ```ts
 * import { regionAcrossTrace } from "./region_trace.ts";
 * import { readEvents } from "../../src/reader/reader.ts";
 * const kinds = readEvents(regionAcrossTrace(3, 1, 3)).map((e) => e.kind);
 * console.assert(kinds.includes("RegionBegin") && kinds.includes("RegionEnd"));
 * ```
 */
export function regionAcrossTrace(n: number, begin: number, end: number): Uint8Array {
  const t = new TraceBuilder(22);
  const stack = [{ pc: 0x10, func: "main.main", file: "main.go", line: 3 }];
  for (let gen = 1; gen <= n; gen++) {
    const b = t.generation(gen).batch(0, gen * 1000)
      .event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
      .event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running });
    if (gen === begin) b.event("UserRegionBegin", { task: 0, name_string: "long", stack });
    if (gen === end) b.event("UserRegionEnd", { task: 0, name_string: "long", stack });
    b.event("GoStop", { reason_string: "yield", stack }).event("GoStart", { g: 1, g_seq: 1 });
  }
  return t.toBytes();
}
