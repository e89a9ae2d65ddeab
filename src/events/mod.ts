/**
 * Events: the model the reader hands out (the `Event`, its kinds and states,
 * Go's formatting). The Reader is in `src/reader/`.
 *
 * @module
 */
export * from "./event.ts";
export * from "./kinds.ts";
export { rfc3339Nano } from "./go_format.ts";
