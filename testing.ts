/**
 * Traces made by hand, for tests: {@link TraceBuilder} writes binary traces
 * event by event (generations, batches, stacks, strings), and Go's textual
 * trace format (the `.test` files of Go's reader) parses into raw events,
 * formats back byte for byte and encodes to the binary format.
 *
 * @example
 * ```ts
 * import { parseText, TraceBuilder } from "./testing.ts";
 * import { readEvents } from "./mod.ts";
 * const t = new TraceBuilder(22);
 * t.generation(1).batch(0, 10)
 *   .event("ProcStatus", { dt: 0, p: 0, pstatus: 1 }) // tracev2 ProcRunning
 *   .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: 2 }) // tracev2 GoRunning
 *   .event("GoSyscallBegin", { dt: 5, p_seq: 1, stack: 0 })
 *   .event("GoSyscallEnd", { dt: 5 });
 * const events = readEvents(t.toBytes());
 * console.assert(events.some((ev) => ev.kind === "StateTransition"));
 * console.assert(parseText(t.toText()).events.length === t.toRaw().events.length);
 * ```
 *
 * @module
 */

export { BatchBuilder, GenerationBuilder, TraceBuilder } from "./src/wire/mod.ts";
export type { ArgValue, Frame, SyncOptions } from "./src/wire/mod.ts";
export { decodeRaw, encodeBinary, formatText, parseText } from "./src/wire/mod.ts";
export type { RawEvent, RawTrace } from "./src/wire/mod.ts";
