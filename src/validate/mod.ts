/**
 * Validation: checks that an event stream is internally consistent.
 *
 * @example
 * ```ts
 * import { validate } from "./mod.ts";
 * console.assert(validate([]).length === 0);
 * ```
 *
 * @module
 */
export * from "./validator.ts";
