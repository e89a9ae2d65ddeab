/**
 * A big gzip file read on a worker: the main thread gets the plain chunks
 * (moved, not copied) and never inflates, so that on two cores inflating
 * and ordering overlap. The chunks, the end and the failure are the ones
 * the same file gives when read on the main thread.
 *
 * @module
 */

import { type ThrownData, thrownFromData } from "../trace_error.ts";
import type { ByteInput } from "./input.ts";

const NO_BYTES = new Uint8Array(0);

/** What the main thread tells the inflating worker. */
export type ToInflater =
  | { kind: "open"; path: string }
  | { kind: "more"; chunks: number }
  | { kind: "recycle"; buffer: ArrayBuffer }
  | { kind: "cancel" };

/** What the inflating worker posts. */
export type FromInflater =
  | { kind: "chunk"; bytes: Uint8Array }
  | { kind: "end" }
  | { kind: "error"; error: ThrownData };

/** Chunks (of about a megabyte) the worker may post ahead of the reader. */
export const AHEAD = 8;

/**
 * Room kept free before each chunk's bytes in its buffer: the reader's
 * bytes carried over from the chunk before (a partial batch) go there, so
 * that the chunk itself is never copied.
 */
export const CARRY_ROOM = 128 << 10;

/** Size of a chunk's buffer: the room, then a megabyte. */
export const CHUNK_BUFFER = CARRY_ROOM + (1 << 20);

/** As much of node:worker_threads' Worker as this uses. */
interface InflaterThread {
  postMessage(m: ToInflater, transfer?: ArrayBuffer[]): void;
  on(event: "message", f: (m: FromInflater) => void): void;
  on(event: "error", f: (e: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): unknown;
}

/**
 * Reads a gzip file at `path` on a worker thread, as a {@link ByteInput};
 * null where the runtime has no node:worker_threads (a browser).
 *
 * @example
 * ```ts
 * import { startWorkerGunzip } from "./worker_input.ts";
 * import { gzipSync } from "node:zlib";
 * const path = Deno.makeTempFileSync();
 * Deno.writeFileSync(path, gzipSync(new TextEncoder().encode("go 1.22 trace\0\0\0")));
 * const input = (await startWorkerGunzip(path))!;
 * const chunk = await input.read();
 * console.assert(new TextDecoder().decode(chunk!.subarray(0, 7)) === "go 1.22");
 * console.assert((await input.read()) === null);
 * Deno.removeSync(path);
 * ```
 */
export async function startWorkerGunzip(path: string): Promise<WorkerGunzipInput | null> {
  let wt: typeof import("node:worker_threads");
  try {
    wt = await import("node:worker_threads");
  } catch {
    return null;
  }
  const url = new URL("./gunzip_worker.ts", import.meta.url);
  return new WorkerGunzipInput(new wt.Worker(url) as unknown as InflaterThread, path);
}

/**
 * A gzip file inflated on a worker thread: see {@link startWorkerGunzip}.
 *
 * @example
 * ```ts
 * import { startWorkerGunzip, WorkerGunzipInput } from "./worker_input.ts";
 * const input = await startWorkerGunzip("no/such/file.gz");
 * console.assert(input instanceof WorkerGunzipInput);
 * await input!.read().catch((e) => console.assert(/cannot open/.test(e.message)));
 * ```
 */
export class WorkerGunzipInput implements ByteInput {
  #worker: InflaterThread | null;
  #queue: FromInflater[] = [];
  #wake: (() => void) | null = null;

  /** Reads the file at `path` on `worker` (a thread running gunzip_worker.ts). */
  constructor(worker: InflaterThread, path: string) {
    worker.on("message", (m) => this.#push(m));
    worker.on(
      "error",
      (e) => this.#push({ kind: "error", error: { message: `inflating worker: ${e.message}` } }),
    );
    // Held only while a read waits for it.
    worker.unref();
    worker.postMessage({ kind: "open", path });
    worker.postMessage({ kind: "more", chunks: AHEAD });
    this.#worker = worker;
  }

  #push(m: FromInflater): void {
    this.#queue.push(m);
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** The next plain chunk, null at the end; the file's failure after the chunks before it. */
  read(): Promise<Uint8Array | null> {
    return this.readAfter(NO_BYTES);
  }

  /** The next chunk after `prefix`: written into the room before it when it fits. */
  async readAfter(prefix: Uint8Array): Promise<Uint8Array | null> {
    const c = await this.#next();
    if (c === null) return null;
    const k = prefix.length;
    if (k === 0) return c;
    if (k <= c.byteOffset) {
      const out = new Uint8Array(c.buffer, c.byteOffset - k, k + c.length);
      out.set(prefix);
      return out;
    }
    const out = new Uint8Array(k + c.length);
    out.set(prefix);
    out.set(c, k);
    return out;
  }

  /** Hands a chunk's buffer back to the worker, to fill again. */
  release(chunk: Uint8Array): void {
    const b = chunk.buffer;
    if (this.#worker === null || !(b instanceof ArrayBuffer) || b.byteLength !== CHUNK_BUFFER) {
      return;
    }
    this.#worker.postMessage({ kind: "recycle", buffer: b }, [b]);
  }

  async #next(): Promise<Uint8Array | null> {
    if (this.#worker === null && this.#queue.length === 0) return null;
    if (this.#queue.length === 0) {
      this.#worker?.ref();
      while (this.#queue.length === 0) await new Promise<void>((r) => this.#wake = r);
      this.#worker?.unref();
    }
    const m = this.#queue.shift()!;
    if (m.kind === "chunk") {
      this.#worker?.postMessage({ kind: "more", chunks: 1 });
      return m.bytes;
    }
    this.#stop();
    if (m.kind === "end") return null;
    throw thrownFromData(m.error);
  }

  /** Stops the worker. */
  cancel(): Promise<void> {
    this.#stop();
    this.#queue = [];
    return Promise.resolve();
  }

  #stop(): void {
    void this.#worker?.terminate();
    this.#worker = null;
  }
}
