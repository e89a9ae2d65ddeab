/**
 * Trace input as chunks of bytes: a file read in large pieces, a stream
 * whose small chunks are gathered into larger ones, gzip undone on the way.
 * The Reader awaits only here, once per chunk, never once per event.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";

/** Anything a trace can be opened from. */
export type TraceSource = string | URL | Uint8Array | ReadableStream<Uint8Array>;

/**
 * Bytes gathered per read of a stream at least: more than the largest batch
 * (64 KiB), so the splitter's copy of a partial batch per push stays linear
 * in the input whatever the stream's chunking.
 */
export const MIN_CHUNK = 128 << 10;

/** Bytes asked of a file per read. */
const FILE_CHUNK = 1 << 20;

/**
 * A source of trace bytes, read a chunk at a time.
 *
 * @example
 * ```ts
 * import { openByteInput } from "./input.ts";
 * const input = await openByteInput(new Uint8Array([1, 2, 3]));
 * console.assert((await input.read())!.length === 3);
 * console.assert((await input.read()) === null);
 * ```
 */
export interface ByteInput {
  /**
   * The next chunk (at least {@link MIN_CHUNK} bytes unless the input ends
   * first), or null at the end. A failing input gives the bytes it had
   * before failing, then throws.
   */
  read(): Promise<Uint8Array | null>;
  /** Stops reading and releases the input. */
  cancel(): Promise<void>;
}

/** Whether bytes begin with gzip's magic number. */
export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/**
 * Opens a source as a {@link ByteInput}, decompressing gzip. Throws a
 * TraceError `io` when a path cannot be opened.
 *
 * @example
 * ```ts
 * import { openByteInput } from "./input.ts";
 * const input = await openByteInput(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const head = await input.read();
 * console.assert(new TextDecoder().decode(head!.subarray(0, 7)) === "go 1.22");
 * await input.cancel();
 * ```
 */
export async function openByteInput(source: TraceSource): Promise<ByteInput> {
  let input: ByteInput;
  if (source instanceof Uint8Array) input = new BytesInput(source);
  else if (source instanceof ReadableStream) input = new StreamInput(source.getReader());
  else if (isHttpUrl(source)) {
    input = new StreamInput((await fetchBody(String(source))).getReader());
  } else {
    try {
      input = new FileInput(await Deno.open(source, { read: true }));
    } catch (e) {
      throw new TraceError("io", `cannot open ${String(source)}: ${(e as Error).message}`);
    }
  }
  const first = await input.read();
  if (first === null) return new BytesInput(new Uint8Array(0));
  if (!isGzip(first)) return new PrefixedInput(first, input);
  const compressed = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(first);
    },
    async pull(c) {
      const chunk = await input.read();
      if (chunk === null) c.close();
      else c.enqueue(chunk);
    },
    cancel() {
      return input.cancel();
    },
  });
  const unzipped = compressed.pipeThrough(
    new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
  );
  return new StreamInput(unzipped.getReader());
}

/**
 * Whether a source names an `http:` or `https:` URL (a live server's
 * `/debug/pprof/trace?seconds=5`, say), read as it arrives.
 *
 * @example
 * ```ts
 * import { isHttpUrl } from "./input.ts";
 * console.assert(isHttpUrl("http://127.0.0.1:6060/debug/pprof/trace?seconds=5"));
 * console.assert(!isHttpUrl("testdata/demo.trace"));
 * ```
 */
export function isHttpUrl(source: unknown): source is string | URL {
  if (source instanceof URL) return source.protocol === "http:" || source.protocol === "https:";
  return typeof source === "string" && /^https?:\/\//i.test(source);
}

// The body of a GET, or a TraceError `io` that says what the server said.
async function fetchBody(url: string): Promise<ReadableStream<Uint8Array>> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new TraceError("io", `cannot fetch ${url}: ${(e as Error).message}`);
  }
  if (!res.ok || res.body === null) {
    await res.body?.cancel();
    throw new TraceError("io", `cannot fetch ${url}: ${res.status} ${res.statusText}`.trimEnd());
  }
  return res.body;
}

/** Reads a whole input into one array. */
export async function readWhole(input: ByteInput): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let c = await input.read(); c !== null; c = await input.read()) chunks.push(c);
  return concat(chunks);
}

class BytesInput implements ByteInput {
  #bytes: Uint8Array | null;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }
  read(): Promise<Uint8Array | null> {
    const b = this.#bytes;
    this.#bytes = null;
    return Promise.resolve(b && b.length ? b : null);
  }
  cancel(): Promise<void> {
    this.#bytes = null;
    return Promise.resolve();
  }
}

// A chunk already read (the one sniffed for gzip), then the rest.
class PrefixedInput implements ByteInput {
  #first: Uint8Array | null;
  constructor(first: Uint8Array, readonly rest: ByteInput) {
    this.#first = first;
  }
  read(): Promise<Uint8Array | null> {
    const f = this.#first;
    if (f === null) return this.rest.read();
    this.#first = null;
    return Promise.resolve(f);
  }
  cancel(): Promise<void> {
    this.#first = null;
    return this.rest.cancel();
  }
}

// A file, a megabyte per read: each chunk is a fresh array, because batches
// keep views of the chunks they were cut from.
class FileInput implements ByteInput {
  #file: Deno.FsFile | null;
  constructor(file: Deno.FsFile) {
    this.#file = file;
  }
  async read(): Promise<Uint8Array | null> {
    const f = this.#file;
    if (f === null) return null;
    const buf = new Uint8Array(FILE_CHUNK);
    let n = 0;
    try {
      while (n < MIN_CHUNK) {
        const got = await f.read(buf.subarray(n));
        if (got === null) break;
        n += got;
      }
    } catch (e) {
      this.#close();
      throw e;
    }
    if (n < MIN_CHUNK) this.#close();
    return n === 0 ? null : buf.subarray(0, n);
  }
  cancel(): Promise<void> {
    this.#close();
    return Promise.resolve();
  }
  #close(): void {
    try {
      this.#file?.close();
    } catch { /* already closed */ }
    this.#file = null;
  }
}

// A stream, its chunks gathered to MIN_CHUNK. A failure after some bytes
// hands those out first and is thrown by the next read.
class StreamInput implements ByteInput {
  #failure: unknown = null;
  #done = false;
  constructor(readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}
  async read(): Promise<Uint8Array | null> {
    if (this.#failure !== null) {
      const e = this.#failure;
      this.#failure = null;
      this.#done = true;
      throw e;
    }
    if (this.#done) return null;
    const chunks: Uint8Array[] = [];
    let n = 0;
    while (n < MIN_CHUNK) {
      let res: ReadableStreamReadResult<Uint8Array>;
      try {
        res = await this.reader.read();
        if (!res.done && !(res.value instanceof Uint8Array)) {
          throw new TypeError(`the stream gave a ${typeof res.value}, not a Uint8Array`);
        }
      } catch (e) {
        if (n === 0) {
          this.#done = true;
          throw e;
        }
        this.#failure = e;
        break;
      }
      if (res.done) {
        this.#done = true;
        break;
      }
      if (res.value.length === 0) continue;
      chunks.push(res.value);
      n += res.value.length;
    }
    return n === 0 ? null : concat(chunks);
  }
  async cancel(): Promise<void> {
    this.#done = true;
    try {
      await this.reader.cancel();
    } catch { /* a failed stream cannot be cancelled again */ }
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.length;
  const all = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return all;
}
