/**
 * Stepping: walk the ordering engine one event at a time, with its state,
 * frontier and explanations.
 *
 * @module
 */
export * from "./stepper.ts";
export * from "./changes.ts";
export * from "./snapshot.ts";
export { judge, type Verdict } from "./explain.ts";
export { describeWire, wireArgs } from "./describe.ts";
