/**
 * Stack ids resolved to frames once per generation. Views that keep a
 * stack per record (timelines, syscalls) share one frames array per stack
 * instead of holding the generation's tables or resolving it again.
 *
 * @module
 */

import { Stack, type StackFrame } from "../events/event.ts";
import type { GenTables } from "../wire/tables.ts";

/**
 * Matches a function name: exactly (string) or by search (RegExp).
 *
 * @example
 * ```ts
 * import { type FuncPattern, matchFunc } from "./stacks.ts";
 * const p: FuncPattern = /^net\//;
 * console.assert(matchFunc("net/http.(*conn).serve", p));
 * ```
 */
export type FuncPattern = string | RegExp;

/**
 * Whether `name` matches `pattern`: equal to a string, or found by a RegExp.
 *
 * @example
 * ```ts
 * import { matchFunc } from "./stacks.ts";
 * console.assert(matchFunc("net/http.(*conn).serve", /http/));
 * console.assert(!matchFunc("main.main", "main"));
 * ```
 */
export function matchFunc(name: string, pattern: FuncPattern): boolean {
  if (typeof pattern === "string") return name === pattern;
  pattern.lastIndex = 0;
  return pattern.test(name);
}

const NO_FRAMES: StackFrame[] = [];

/**
 * Resolves `(tables, stack id)` to a frames array, the same array for the
 * same stack within a generation.
 *
 * @example
 * ```ts
 * import { StackCache } from "./stacks.ts";
 * const c = new StackCache();
 * console.assert(c.frames(null, 0).length === 0);
 * ```
 */
export class StackCache {
  #tables: GenTables | null = null;
  #byId = new Map<number, StackFrame[]>();
  // The generation before, for what began there and is resolved after.
  #prevTables: GenTables | null = null;
  #prevById = new Map<number, StackFrame[]>();

  /** Frames of stack `id` (innermost first); empty for id 0 or no tables. Do not modify. */
  frames(tables: GenTables | null, id: number): StackFrame[] {
    if (id === 0 || tables === null) return NO_FRAMES;
    if (tables !== this.#tables) {
      const prevTables = this.#prevTables, prevById = this.#prevById;
      this.#prevTables = this.#tables;
      this.#prevById = this.#byId;
      this.#tables = tables;
      this.#byId = tables === prevTables ? prevById : new Map();
    }
    let f = this.#byId.get(id);
    if (f === undefined) {
      f = new Stack(tables, id).frames;
      this.#byId.set(id, f);
    }
    return f;
  }
}
