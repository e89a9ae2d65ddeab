/**
 * Ordering: replaying the scheduler to put per-thread events in one order.
 *
 * @module
 */
export { Engine, NEED_MORE } from "./engine.ts";
export { Ordering, RULE_NAMES, RULES } from "./rules.ts";
export type { Advance, Rule, SchedCtx, Wait } from "./rules.ts";
export { GC_STATE_NAMES, GcState } from "./state.ts";
export type { GoEntry, ProcEntry, RangeType, ThreadEntry } from "./state.ts";
export { Journal, type Touched } from "./journal.ts";
export { IdTable } from "./id_table.ts";
