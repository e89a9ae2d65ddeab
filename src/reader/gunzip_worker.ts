/**
 * The worker behind a big gzip file: it reads and inflates the file (the
 * same gzip reading, member by member, checks and errors, as on the main
 * thread) and posts the plain chunks, at most as many ahead as the main
 * thread has asked for, so that inflating runs beside the ordering instead
 * of before it.
 *
 * @module
 */

import { openByteInputHere } from "./input.ts";
import type { ByteInput } from "./input.ts";
import { thrownData } from "../trace_error.ts";
import { parentPort } from "node:worker_threads";
import {
  AHEAD,
  CARRY_ROOM,
  CHUNK_BUFFER,
  type FromInflater,
  type ToInflater,
} from "./worker_input.ts";

// node:worker_threads, not a Web Worker: the main thread can unref the
// worker, so that a reader dropped before its end does not keep the
// process alive.
const parent = parentPort!;
const port = {
  postMessage: (m: FromInflater, transfer?: ArrayBuffer[]) => parent.postMessage(m, transfer),
};

let input: ByteInput | null = null;
// Buffers the main thread handed back, to fill again.
const pool: ArrayBuffer[] = [];
let opening: Promise<void> | null = null;
let credit = 0;
// Inflated bytes read but not yet posted (a read can give more than a chunk).
let leftover: Uint8Array | null = null;
let pumping = false;
let done = false;

parent.on("message", (m: ToInflater) => {
  if (m.kind === "open") {
    opening = openByteInputHere(m.path).then((i) => void (input = i), fail);
  } else if (m.kind === "more") {
    credit += m.chunks;
    void pump();
  } else if (m.kind === "recycle") {
    if (pool.length < 2 * AHEAD) pool.push(m.buffer);
  } else {
    done = true;
    void input?.cancel();
  }
});

// Posts chunks while the main thread has room for them.
async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    await opening;
    while (credit > 0 && !done && input !== null) {
      // About a megabyte, into a buffer of the main thread's size after the
      // room it keeps for the bytes it carries over (see WorkerGunzipInput).
      const buf = new Uint8Array(pool.pop() ?? new ArrayBuffer(CHUNK_BUFFER));
      let n = CARRY_ROOM;
      let failure: unknown = null;
      let end = false;
      while (n < buf.length) {
        if (leftover === null) {
          try {
            leftover = await input.read();
          } catch (e) {
            failure = e;
            break;
          }
          if (leftover === null) {
            end = true;
            break;
          }
        }
        const take = Math.min(leftover.length, buf.length - n);
        buf.set(leftover.subarray(0, take), n);
        n += take;
        leftover = take === leftover.length ? null : leftover.subarray(take);
      }
      if (n > CARRY_ROOM) {
        credit--;
        const bytes = new Uint8Array(buf.buffer, CARRY_ROOM, n - CARRY_ROOM);
        port.postMessage({ kind: "chunk", bytes }, [buf.buffer]);
      }
      // The failure and the end come after every byte before them.
      if (failure !== null) return fail(failure);
      if (end) {
        done = true;
        port.postMessage({ kind: "end" });
        return;
      }
    }
  } finally {
    pumping = false;
  }
}

// The failure, as data the main thread makes the same error of again.
function fail(e: unknown): void {
  done = true;
  port.postMessage({ kind: "error", error: thrownData(e) });
}
