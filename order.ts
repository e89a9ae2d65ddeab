/**
 * The ordering engine the {@link ./mod.ts | Reader} runs: it replays the
 * scheduler (G, P and M states and sequence numbers) to put the per-thread
 * events of a generation in one order, as Go's `order.go` does. For tools
 * that drive or test the engine; the `Stepper` of `./mod.ts` explains it one
 * event at a time.
 *
 * @example
 * ```ts
 * import { RULE_NAMES } from "./order.ts";
 * console.assert(Object.keys(RULE_NAMES).length > 0);
 * ```
 *
 * @module
 */

export { Engine, IdTable, NEED_MORE, Ordering, RULE_NAMES } from "./src/order/mod.ts";
export { GcState, Journal } from "./src/order/mod.ts";
export type {
  Advance,
  GoEntry,
  ProcEntry,
  RangeType,
  SchedCtx,
  ThreadEntry,
  Touched,
  Wait,
} from "./src/order/mod.ts";
// Types the engine's members name: the events it hands out (from ./mod.ts)
// and the wire structures it reads (from ./wire.ts).
export type * from "./mod.ts";
