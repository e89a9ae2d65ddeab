/**
 * Old-format traces (go1.11–go1.21): parsed whole, ordered by per-goroutine
 * sequence numbers and time, and converted into the same events as new
 * traces, with the reference reader's choices.
 *
 * @module
 */
export { LegacyEvents } from "./source.ts";
export { type LegacyOptions, type LegacyTrace, parseLegacy } from "./parse.ts";
export { LegacyConverter } from "./convert.ts";
export { LegacyEvent } from "./batches.ts";
export { FakeP, LEGACY_SPECS, LegacyEv, type LegacyEventSpec } from "./spec.ts";
