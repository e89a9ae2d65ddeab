/**
 * Decode only: every timed event of every generation, per M in file order,
 * without the ordering engine. For tools that count, filter or index events
 * and do not need the one consistent order.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { BatchCursor, type WireEvent } from "./cursor.ts";
import { GenerationSplitter } from "./generation.ts";
import { headerLength, LEGACY_VERSIONS, readHeader } from "./header.ts";
import { forWorker, WORKER_MIN_BYTES, type WorkerBytes } from "./worker_bytes.ts";
import { readShare, readToEnd } from "./file_read.ts";

/** What a scan saw. */
export interface WireScan {
  /** Trace version (minor of Go 1.x). */
  version: number;
  /** Generations read. */
  generations: number;
  /** Timed events decoded. */
  events: number;
}

/**
 * Decodes every timed event of an uncompressed go1.22+ trace, calling
 * `visit(m, ev, gen)` for each (the event object is reused: copy what you
 * keep). Events come per generation, per M, in file order; times are in
 * nanoseconds. Throws a TraceError on bad input.
 *
 * @example
 * ```ts
 * import { scanWireEvents } from "./decode.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const perM = new Map<number, number>();
 * const scan = scanWireEvents(bytes, (m) => perM.set(m, (perM.get(m) ?? 0) + 1));
 * console.assert(scan.events === [...perM.values()].reduce((a, b) => a + b, 0));
 * ```
 */
export function scanWireEvents(
  bytes: Uint8Array,
  visit?: (m: number, ev: WireEvent, gen: number) => void,
): WireScan {
  return scanPart(bytes, 0, Infinity, visit);
}

/**
 * {@link scanWireEvents} of the batches whose bodies begin at a byte
 * offset in [`from`, `to`): each batch's times count from its own base
 * time, so any set of them decodes on its own, and two threads can share
 * a trace. Every generation is still split (that is cheap), and an error
 * is thrown wherever it is met.
 *
 * @example
 * ```ts
 * import { scanPart, scanWireEvents } from "./decode.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/demo.trace", import.meta.url));
 * const cut = bytes.length >> 1;
 * const two = scanPart(bytes, 0, cut).events + scanPart(bytes, cut, Infinity).events;
 * console.assert(two === scanWireEvents(bytes).events);
 * ```
 */
export function scanPart(
  bytes: Uint8Array,
  from: number,
  to: number,
  visit?: (m: number, ev: WireEvent, gen: number) => void,
): WireScan {
  const version = readHeader(bytes);
  if (LEGACY_VERSIONS.includes(version)) {
    throw new TraceError(
      "unsupported-version",
      `decode-only needs a go1.22+ trace, not go 1.${version}`,
    );
  }
  const hl = headerLength(version);
  const s = new GenerationSplitter(version, hl);
  s.push(bytes.subarray(hl));
  s.finish();
  const whole = from <= 0 && to === Infinity;
  let events = 0;
  let generations = 0;
  for (;;) {
    const r = s.next();
    if (r.kind === "error") throw r.error;
    if (r.kind !== "generation") break;
    generations++;
    const g = r.generation;
    for (const m of g.batchMs) {
      let batches = g.batches.get(m)!;
      if (!whole) batches = batches.filter((b) => b.dataOffset >= from && b.dataOffset < to);
      const c = new BatchCursor(m, batches, g.tables);
      if (visit) {
        while (c.next()) {
          events++;
          visit(m, c, g.gen);
        }
      } else while (c.next()) events++;
    }
    if (r.error) throw r.error;
  }
  return { version, generations, events };
}

/**
 * {@link scanWireEvents} on two threads: this one decodes the first half of
 * the trace's batches while a Web Worker decodes the second, and the counts
 * are added. The worker starts at once, so it can boot while `bytes` (or
 * the promise of them) is still being read; bytes in a SharedArrayBuffer
 * are read by it in place, others are copied to it. A trace under
 * `minBytes` (default 8 MB) is decoded here alone, and so is a bad one
 * once either half fails: the error is the one-thread scan's.
 *
 * @example
 * ```ts
 * import { scanWireEvents, scanWireEventsParallel } from "./decode.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/demo.trace", import.meta.url));
 * const two = await scanWireEventsParallel(bytes, { minBytes: 0 });
 * console.assert(two.events === scanWireEvents(bytes).events && two.generations > 1);
 * ```
 */
export async function scanWireEventsParallel(
  bytes: Uint8Array | Promise<Uint8Array>,
  options: { minBytes?: number } = {},
): Promise<WireScan> {
  const worker = new Worker(new URL("./decode_worker.ts", import.meta.url), { type: "module" });
  try {
    const b = await bytes;
    if (b.length < (options.minBytes ?? WORKER_MIN_BYTES)) return scanWireEvents(b);
    const cut = b.length >> 1;
    const { part, transfer } = forWorker(b);
    return await addUp(b, cut, countFrom(worker, { ...part, from: cut }, transfer));
  } finally {
    worker.terminate();
  }
}

/**
 * What {@link scanWireEventsParallel} and {@link scanWireFileParallel} ask
 * their worker: count the events of the batches from byte `from` on, of
 * the trace at `begin` in `bytes`, having first read its share of the file
 * into them when `read` says so. The worker answers with the count, or -1
 * if that part fails.
 *
 * @example
 * ```ts
 * import type { DecodeJob } from "./decode.ts";
 * const job: DecodeJob = { bytes: new ArrayBuffer(0), begin: 0, length: 0, from: 0 };
 * console.assert(job.from === 0 && job.read === undefined);
 * ```
 */
export interface DecodeJob extends WorkerBytes {
  // WorkerBytes: the whole trace, shared or a copy of it.
  /** Byte offset in the trace from which the worker's batches begin. */
  from: number;
  /** Bytes the worker reads into `bytes` from the file first (see {@link FileShare}). */
  read?: FileShare;
}

/**
 * A share of a file that a worker reads into the shared trace bytes: bytes
 * `start` to `end` of the file at `path`, and a flag it sets when they are
 * in (1) or when the read failed or came short (2).
 *
 * @example
 * ```ts
 * import type { FileShare } from "./decode.ts";
 * const share: FileShare = { path: "x.trace", start: 8, end: 16, done: new SharedArrayBuffer(4) };
 * console.assert(share.end > share.start);
 * ```
 */
export interface FileShare {
  /** The file. */
  path: string;
  /** First byte to read. */
  start: number;
  /** Byte after the last. */
  end: number;
  /** One Int32: 0 while reading, 1 done, 2 failed. */
  done: SharedArrayBuffer;
}

/**
 * {@link scanWireEventsParallel} of an uncompressed trace file, read on two
 * threads too: the worker reads the second half of the file into shared
 * memory while this thread reads the first, so its decoding starts without
 * waiting for the whole read. A file under `minBytes` (default 8 MB;
 * `Infinity` for one thread) is read into one buffer and decoded here
 * alone, and so is one whose reads come short (it changed while read) or
 * that the worker cannot read; a bad trace gets the one-thread scan's
 * error.
 *
 * @example
 * ```ts
 * import { scanWireEvents, scanWireFileParallel } from "./decode.ts";
 * const path = new URL("../../testdata/demo.trace", import.meta.url);
 * const two = await scanWireFileParallel(path, { minBytes: 0 });
 * console.assert(two.events === scanWireEvents(Deno.readFileSync(path)).events);
 * ```
 */
export async function scanWireFileParallel(
  path: string | URL,
  options: { minBytes?: number } = {},
): Promise<WireScan> {
  using f = await Deno.open(path, { read: true });
  const size = (await f.stat()).size;
  if (size < (options.minBytes ?? WORKER_MIN_BYTES)) return scanWireEvents(readAllOf(f, size));
  // Started before this thread reads, so that it boots meanwhile.
  const worker = new Worker(new URL("./decode_worker.ts", import.meta.url), { type: "module" });
  try {
    const b = new Uint8Array(new SharedArrayBuffer(size));
    // Each thread reads a half of the file and decodes the batches that
    // begin in it (timed, the two finish within a few milliseconds).
    const half = size >> 1;
    const done = new Int32Array(new SharedArrayBuffer(4));
    const theirs = countFrom(worker, {
      bytes: b.buffer,
      begin: 0,
      length: size,
      from: half,
      read: {
        path: path instanceof URL ? path.href : path,
        start: half,
        end: size,
        done: done.buffer,
      },
    });
    // The worker's read may fail (it then says so) or never start.
    const read = Atomics.waitAsync(done, 0, 0);
    const theirRead = read.async ? Promise.race([read.value, theirs]) : read.value;
    if (!readShare(f, b, 0, half)) return scanWireEvents(readAllOf(f, size));
    await theirRead;
    if (Atomics.load(done, 0) !== 1 && !readShare(f, b, half, size)) {
      return scanWireEvents(readAllOf(f, size));
    }
    return await addUp(b, half, theirs);
  } finally {
    worker.terminate();
  }
}

// The whole file from its start, in one buffer of the size it had and a
// byte (a short read is not an error here: the scan then says where the
// trace ends).
function readAllOf(f: Deno.FsFile, size: number): Uint8Array {
  f.seekSync(0, Deno.SeekMode.Start);
  return readToEnd((into) => f.readSync(into), new Uint8Array(size + 1), 0);
}

// The worker's count for `job`, -1 if it fails.
function countFrom(worker: Worker, job: DecodeJob, transfer: ArrayBuffer[] = []): Promise<number> {
  const theirs = new Promise<number>((resolve) => {
    worker.onmessage = (e: MessageEvent<number>) => resolve(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      resolve(-1);
    };
  });
  worker.postMessage(job, transfer);
  return theirs;
}

// This thread's count of the batches before `cut`, added to the worker's:
// or, when either part fails, the one-thread scan (for its error).
async function addUp(b: Uint8Array, cut: number, theirs: Promise<number>): Promise<WireScan> {
  let mine: WireScan;
  try {
    mine = scanPart(b, 0, cut);
  } catch {
    return scanWireEvents(b);
  }
  const n = await theirs;
  if (n < 0) return scanWireEvents(b);
  return { ...mine, events: mine.events + n };
}
