/**
 * Wire decoding of Go execution traces, below the {@link ./mod.ts | Reader}:
 * the generations of a trace as the splitter cuts them, their string and
 * stack tables, the raw events of a batch and the event spec table (Go's
 * `tracev2` names, argument lists and flags).
 *
 * @example
 * ```ts
 * import { Ev, eventName, scanWireEvents } from "./wire.ts";
 * const bytes = Deno.readFileSync(new URL("./testdata/syscall-simple.trace", import.meta.url));
 * const scan = scanWireEvents(bytes);
 * console.assert(scan.events > 0 && scan.generations > 0);
 * console.assert(eventName(Ev.GoSyscallBegin) === "GoSyscallBegin");
 * ```
 *
 * @module
 */

export {
  BatchCursor,
  DEFAULT_LIMITS,
  GenerationSplitter,
  GenTables,
  scanWireEvents,
  scanWireEventsParallel,
  scanWireFileParallel,
} from "./src/wire/mod.ts";
export type {
  Batch,
  CPUSampleRecord,
  ExperimentalBatch,
  FrameRecord,
  Generation,
  GenerationLimits,
  GenerationRead,
  Incomplete,
  PartialMode,
  WireEvent,
  WireScan,
} from "./src/wire/mod.ts";
export { Ev, eventName, SPECS } from "./src/wire/mod.ts";
export { WireGoStatus, WireProcStatus } from "./src/wire/mod.ts";
export type { EventSpec } from "./src/wire/mod.ts";
// The wire type of the reader's synthetic Sync events, beside the real ones.
export { EV_SYNC } from "./src/events/mod.ts";
export type { TraceError, TraceErrorCode, TraceLocation } from "./src/trace_error.ts";
