/**
 * Reading traces in tests: the repository's own `testdata/` traces, a trace
 * file's events, and reading bytes to the end to see the error that stops
 * them.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Event } from "../../src/events/mod.ts";
import { Reader, readEvents } from "../../src/reader/mod.ts";
import { TraceError } from "../../src/trace_error.ts";
import type { PartialMode } from "../../src/wire/mod.ts";

/**
 * The repository's `testdata/` folder.
 *
 * @example
 * ```ts
 * import { TESTDATA } from "./read.ts";
 * console.assert(TESTDATA.href.endsWith("/testdata/"));
 * ```
 */
export const TESTDATA: URL = new URL("../../testdata/", import.meta.url);

/**
 * The names of the `.trace` files of `testdata/`, sorted.
 *
 * @example
 * ```ts
 * import { testdataTraces } from "./read.ts";
 * console.assert(testdataTraces().includes("demo.trace"));
 * ```
 */
export function testdataTraces(): string[] {
  return [...Deno.readDirSync(TESTDATA)].map((e) => e.name).filter((n) => n.endsWith(".trace"))
    .sort();
}

/**
 * The bytes of `testdata/NAME.trace`.
 *
 * @example
 * ```ts
 * import { testdataBytes } from "./read.ts";
 * console.assert(testdataBytes("demo").length > 0);
 * ```
 */
export function testdataBytes(name: string): Uint8Array {
  return Deno.readFileSync(new URL(`${name}.trace`, TESTDATA));
}

/**
 * Every event of `testdata/NAME.trace`.
 *
 * @example
 * ```ts
 * import { testdataEvents } from "./read.ts";
 * console.assert(testdataEvents("syscall-steal").some((e) => e.typeName === "ProcSteal"));
 * ```
 */
export function testdataEvents(name: string): Event[] {
  return readEvents(testdataBytes(name));
}

/**
 * Every event of a trace file, read whole (the reader's errors are thrown).
 *
 * @example
 * ```ts
 * import { fileEvents, TESTDATA } from "./read.ts";
 * console.assert(fileEvents(new URL("syscall-steal.trace", TESTDATA))[0].kind === "Sync");
 * ```
 */
export function fileEvents(path: string | URL): Event[] {
  return readEvents(Deno.readFileSync(path));
}

/**
 * Reads `bytes` to the end, handing each event to `each`: the `TraceError`
 * that stopped the read, or null when it read to the end. Anything else
 * thrown fails the test.
 *
 * @example
 * ```ts
 * import { readToEnd, testdataBytes } from "./read.ts";
 * let n = 0;
 * console.assert(readToEnd(testdataBytes("demo"), undefined, () => n++) === null && n > 0);
 * console.assert(readToEnd(testdataBytes("demo").subarray(0, 100))?.code === "truncated");
 * ```
 */
export function readToEnd(
  bytes: Uint8Array,
  partial?: PartialMode,
  each?: (ev: Event) => void,
): TraceError | null {
  try {
    const r = Reader.fromBytes(bytes, { partial });
    for (let ev = r.readEvent(); ev; ev = r.readEvent()) each?.(ev);
  } catch (e) {
    assert.ok(e instanceof TraceError, `not a TraceError: ${e}`);
    return e;
  }
  return null;
}
