/**
 * A trace file's bytes read synchronously into memory: a share of it at
 * its own offsets (two threads each reading a half), or everything up to
 * the end, whatever size the file had when it was opened.
 *
 * @module
 */

/**
 * Reads bytes `start` to `end` of an open file into `into` at the same
 * offsets; false if the file ends first.
 *
 * @example
 * ```ts
 * import { readShare } from "./file_read.ts";
 * const path = new URL("../../testdata/demo.trace", import.meta.url);
 * const whole = Deno.readFileSync(path);
 * const into = new Uint8Array(whole.length);
 * using f = Deno.openSync(path);
 * console.assert(readShare(f, into, 10, 100) && into[50] === whole[50] && into[5] === 0);
 * ```
 */
export function readShare(f: Deno.FsFile, into: Uint8Array, start: number, end: number): boolean {
  f.seekSync(start, Deno.SeekMode.Start);
  for (let at = start; at < end;) {
    const n = f.readSync(into.subarray(at, end));
    if (n === null || n === 0) return false;
    at += n;
  }
  return true;
}

/**
 * Reads with `read` into `buf` from byte `at` until the input ends, into a
 * buffer twice as big (made by `grow`) whenever it is full, and returns the
 * bytes from 0 to where it ended. A caller that knows the size passes a
 * buffer of it and a byte, so that the end is seen without growing it.
 *
 * @example
 * ```ts
 * import { readToEnd } from "./file_read.ts";
 * const src = [Uint8Array.of(1, 2, 3), Uint8Array.of(4)];
 * const read = (into: Uint8Array) => {
 *   const c = src.shift();
 *   if (!c) return null;
 *   into.set(c);
 *   return c.length;
 * };
 * const buf = new Uint8Array(4); // full after the first read: it grows
 * buf[0] = 9;
 * console.assert(readToEnd(read, buf, 1).join() === "9,1,2,3,4");
 * ```
 */
export function readToEnd(
  read: (into: Uint8Array) => number | null,
  buf: Uint8Array,
  at: number,
  grow: (n: number) => Uint8Array = (n) => new Uint8Array(n),
): Uint8Array {
  for (;;) {
    if (at === buf.length) {
      const bigger = grow(2 * buf.length);
      bigger.set(buf);
      buf = bigger;
    }
    const n = read(buf.subarray(at));
    if (n === null || n === 0) return buf.subarray(0, at);
    at += n;
  }
}
