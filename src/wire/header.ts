/**
 * The trace header: `go 1.N trace\0\0\0`, which names the format version.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { GENERATIONAL_VERSIONS } from "./spec.ts";

/** Versions of the old, pre-generation format (go1.11–go1.21) that Go's reader accepts. */
export const LEGACY_VERSIONS: readonly number[] = [11, 19, 21];

/**
 * Reads the Go minor version from a header. Throws a `bad-header` TraceError
 * if the bytes are not a Go trace header, or `unsupported-version` if the
 * version is not one Go's reader knows.
 *
 * @example
 * ```ts
 * import { readHeader } from "./header.ts";
 * const bytes = new TextEncoder().encode("go 1.22 trace\0\0\0");
 * console.assert(readHeader(bytes) === 22);
 * ```
 */
export function readHeader(bytes: Uint8Array): number {
  // Parse "go 1.%d trace\0\0\0" the way fmt.Fscanf would: digits then the literal tail.
  const prefix = "go 1.";
  for (let i = 0; i < prefix.length; i++) {
    if (bytes[i] !== prefix.charCodeAt(i)) throw badHeader();
  }
  let i = prefix.length;
  let v = 0;
  const start = i;
  while (i < bytes.length && bytes[i] >= 0x30 && bytes[i] <= 0x39 && i - start < 10) {
    v = v * 10 + bytes[i] - 0x30;
    i++;
  }
  if (i === start) throw badHeader();
  const tail = " trace\0\0\0";
  for (let j = 0; j < tail.length; j++) {
    if (bytes[i + j] !== tail.charCodeAt(j)) throw badHeader();
  }
  if (!GENERATIONAL_VERSIONS.includes(v) && !LEGACY_VERSIONS.includes(v)) {
    throw new TraceError("unsupported-version", `unknown or unsupported trace version go 1.${v}`, {
      offset: start,
    });
  }
  return v;
}

/** Bytes of the header for a version. */
export function headerBytes(version: number): Uint8Array {
  return new TextEncoder().encode(`go 1.${version} trace\0\0\0`);
}

/** Header length for a version (the number of digits varies). */
export function headerLength(version: number): number {
  return `go 1.${version} trace\0\0\0`.length;
}

function badHeader(): TraceError {
  return new TraceError("bad-header", "bad file format: not a Go execution trace?", { offset: 0 });
}
