/**
 * Ordering: replaying the scheduler to put per-thread events in one order.
 *
 * @module
 */
export { Engine, NEED_MORE } from "./engine.ts";
export { Ordering, RULE_NAMES } from "./rules.ts";
export type { GState, MState, PState, RangeType } from "./state.ts";
export { IdTable } from "./id_table.ts";
