/**
 * Trace input as chunks of bytes: a file read in large pieces, a stream
 * whose small chunks are gathered into larger ones, gzip undone on the way
 * (member after member, as gzip(1) reads it). The Reader awaits only here,
 * once per chunk, never once per event.
 *
 * @module
 */

import type { InflateRaw } from "node:zlib";
import { TraceError } from "../trace_error.ts";
import { type OpenedFile, openFile } from "./open_file.ts";
import { startWorkerGunzip } from "./worker_input.ts";
import { readToEnd } from "../wire/file_read.ts";

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
 * Compressed bytes inflated at a time: deflate expands at most ~1032-fold,
 * so a decompression bomb yields at most 16 MiB before it is looked at.
 */
const INFLATE_STEP = 16 << 10;

/** Longest gzip member header taken (a name or comment without its end is garbage). */
const MAX_GZIP_HEADER = 64 << 10;

/**
 * Options of {@link openByteInput}.
 *
 * @example
 * ```ts
 * import type { InputOptions } from "./input.ts";
 * const o: InputOptions = { maxInputBytes: 1 << 30 };
 * console.assert(o.maxInputBytes === 1 << 30);
 * ```
 */
export interface InputOptions {
  /**
   * Most bytes to read, after decompression; past it the input fails with
   * a TraceError `too-large` (after the bytes before it). No ceiling by default.
   */
  maxInputBytes?: number;
}

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
  /**
   * Like {@link read}, but the chunk comes with `prefix` copied before it,
   * in one array (new, or one handed back by {@link release}): a reader
   * that keeps its unconsumed bytes contiguous with the next ones then
   * copies only those, not the whole chunk. null at the end (the prefix is
   * then still the caller's). Offered by inputs that read into arrays of
   * their own making (a file, a big gzip file's worker); absent elsewhere.
   */
  readAfter?(prefix: Uint8Array): Promise<Uint8Array | null>;
  /**
   * Hands back a chunk this input gave (by {@link readAfter}) that nothing
   * views any more, for a later read to fill again: a reader whose
   * generations are read one at a time then keeps a few buffers instead of
   * a fresh one per megabyte, which the garbage collector frees late.
   */
  release?(chunk: Uint8Array): void;
  /**
   * Everything not read yet, after `prefix` (bytes the caller read before),
   * in one array read straight into (a regular file, whose size is known):
   * what {@link readWhole} takes instead of reading chunks and joining
   * them; in memory that Web Workers can share when `shared`. Absent
   * elsewhere.
   */
  readRest?(prefix?: Uint8Array, shared?: boolean): Uint8Array;
  /** Stops reading and releases the input. */
  cancel(): Promise<void>;
}

/** Whether bytes begin with gzip's magic number. */
export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** A trace's input as it is before it is read: see {@link inputShape}. */
export interface InputShape {
  /** Its bytes as stored (null: not known, as for a pipe or a device). */
  size: number | null;
  /** Whether they are gzip (then about four times as many bytes of trace). */
  gzip: boolean;
}

/**
 * The size and compression of bytes, or of a path or `file:` URL read from
 * its first two bytes; null when the file cannot be opened (its read will
 * say why). What decides whether a second thread is worth its start.
 *
 * @example
 * ```ts
 * import { inputShape, traceBytesOf } from "./input.ts";
 * const shape = await inputShape(Uint8Array.of(0x1f, 0x8b, 0, 0));
 * console.assert(shape!.gzip && traceBytesOf(shape!) === 16);
 * console.assert((await inputShape("/no/such/file")) === null);
 * ```
 */
export async function inputShape(source: string | URL | Uint8Array): Promise<InputShape | null> {
  if (source instanceof Uint8Array) return { size: source.length, gzip: isGzip(source) };
  let f: OpenedFile;
  try {
    f = await openFile(source);
  } catch {
    return null;
  }
  try {
    const head = new Uint8Array(2);
    const gzip = f.size !== undefined && (await f.read(head)) === 2 && isGzip(head);
    return { size: f.size ?? null, gzip };
  } finally {
    f.close();
  }
}

/**
 * About how many bytes of trace an input holds: gzip counted four times its
 * size (null: not known).
 *
 * @example
 * ```ts
 * import { traceBytesOf } from "./input.ts";
 * console.assert(traceBytesOf({ size: 10, gzip: true }) === 40);
 * console.assert(traceBytesOf({ size: null, gzip: false }) === null);
 * ```
 */
export function traceBytesOf(shape: InputShape): number | null {
  return shape.size === null ? null : (shape.gzip ? 4 : 1) * shape.size;
}

/**
 * Opens a source as a {@link ByteInput}, decompressing gzip: members one
 * after the other as one stream, and anything after the last member that is
 * not one an error (`trailing garbage after gzip member at byte N`, N
 * counting compressed bytes), after the bytes before it. Throws a TraceError
 * `io` when a path cannot be opened.
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
export async function openByteInput(
  source: TraceSource,
  options: InputOptions = {},
): Promise<ByteInput> {
  const input = await openPlain(source, true);
  const max = options.maxInputBytes ?? Infinity;
  return max === Infinity ? input : new LimitedInput(input, max);
}

/**
 * {@link openByteInput} without a worker: what the worker that inflates a
 * big gzip file reads it with.
 *
 * @example
 * ```ts
 * import { openByteInputHere } from "./input.ts";
 * const input = await openByteInputHere(new URL("../../testdata/syscall-simple.trace", import.meta.url).href);
 * console.assert((await input.read())!.length > 0);
 * await input.cancel();
 * ```
 */
export function openByteInputHere(source: string): Promise<ByteInput> {
  return openPlain(source.startsWith("file:") ? new URL(source) : source, false);
}

/**
 * Gzip files from this size (compressed) on are inflated on a worker when
 * the runtime has workers: inflating takes a third of the time of ordering
 * what it gives, and a worker costs some tens of milliseconds to start.
 */
const WORKER_GZIP_BYTES = 8 << 20;

async function openPlain(source: TraceSource, mayUseWorker: boolean): Promise<ByteInput> {
  let input: ByteInput;
  let size = 0;
  if (source instanceof Uint8Array) input = new BytesInput(source);
  else if (source instanceof ReadableStream) input = new StreamInput(source.getReader());
  else if (isHttpUrl(source)) {
    input = new StreamInput((await fetchBody(String(source))).getReader());
  } else {
    const f = await openFile(source);
    size = f.size ?? 0;
    input = new FileInput(f);
  }
  const first = await input.read();
  if (first === null) return new BytesInput(new Uint8Array(0));
  if (!isGzip(first)) return new PrefixedInput(first, input);
  const zlib = await loadZlib();
  if (zlib === null) return webGunzip(first, input);
  if (mayUseWorker && size >= WORKER_GZIP_BYTES) {
    const w = await startWorkerGunzip(String(source instanceof URL ? source.href : source));
    if (w !== null) {
      await input.cancel();
      return w;
    }
  }
  return new GunzipInput(first, input, zlib);
}

type Zlib = typeof import("node:zlib");
let zlibLoad: Promise<Zlib | null> | null = null;

// node:zlib when the runtime has it (Deno, Node), null in a browser. Loaded
// on the first gzip input, not statically, so that the module loads anywhere.
function loadZlib(): Promise<Zlib | null> {
  zlibLoad ??= import("node:zlib").then((z) => z as Zlib, () => null);
  return zlibLoad;
}

// Gzip without node:zlib (a browser): DecompressionStream over the whole
// input. It reads concatenated members too, but its errors are the
// platform's words, not gzip(1)'s as GunzipInput's are.
function webGunzip(first: Uint8Array, rest: ByteInput): ByteInput {
  let sentFirst = false;
  const compressed = new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      const chunk = sentFirst ? await rest.read() : first;
      sentFirst = true;
      if (chunk === null) controller.close();
      else controller.enqueue(chunk as Uint8Array<ArrayBuffer>);
    },
    cancel: () => rest.cancel(),
  });
  const plain = compressed.pipeThrough(new DecompressionStream("gzip"));
  return new StreamInput(plain.getReader());
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

/**
 * Reads a whole input into one array; with `shared`, one backed by a
 * SharedArrayBuffer, which Web Workers then read without a copy of it.
 */
export async function readWhole(input: ByteInput, shared = false): Promise<Uint8Array> {
  if (input.readRest) return input.readRest(NO_BYTES, shared);
  const chunks: Uint8Array[] = [];
  for (let c = await input.read(); c !== null; c = await input.read()) chunks.push(c);
  return concat(chunks, shared);
}

/** `n` zero bytes, in a SharedArrayBuffer when `shared`. */
function bytesOf(n: number, shared: boolean): Uint8Array {
  return shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n);
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
  get readAfter(): ((prefix: Uint8Array) => Promise<Uint8Array | null>) | undefined {
    const rest = this.rest;
    // Once the sniffed chunk is out, the rest's own way, if it has one.
    return this.#first === null && rest.readAfter ? (p) => rest.readAfter!(p) : undefined;
  }
  release(chunk: Uint8Array): void {
    this.rest.release?.(chunk);
  }
  get readRest(): ((prefix?: Uint8Array, shared?: boolean) => Uint8Array) | undefined {
    const rest = this.rest;
    if (!rest.readRest) return undefined;
    return (prefix = NO_BYTES, shared = false) => {
      const first = this.#first ?? NO_BYTES;
      this.#first = null;
      return rest.readRest!(prefix.length === 0 ? first : concat([prefix, first], false), shared);
    };
  }
  cancel(): Promise<void> {
    this.#first = null;
    return this.rest.cancel();
  }
}

const NO_BYTES = new Uint8Array(0);

// Size of a file chunk's buffer: a megabyte and room for the bytes carried
// over before it (a partial batch; a bigger one takes a buffer of its own).
const POOLED = FILE_CHUNK + (128 << 10);
// Free buffers a file input keeps: enough for a generation or two of a
// trace read one generation at a time; any more go to the collector.
const POOL_SIZE = 16;

// A file, a megabyte per read. Batches keep views of the chunks they were
// cut from, so a chunk's buffer is filled again only once the reader hands
// it back (release).
class FileInput implements ByteInput {
  #file: OpenedFile | null;
  // A regular file is read synchronously: an async read costs a trip through
  // the thread pool per chunk, which shows as idle time on a busy machine.
  constructor(file: OpenedFile) {
    this.#file = file;
    if (file.readSync === undefined || file.size === undefined) this.readRest = undefined;
  }
  // Bytes read from the file so far.
  #read = 0;
  read(): Promise<Uint8Array | null> {
    return this.readAfter(NO_BYTES);
  }
  async readAfter(prefix: Uint8Array): Promise<Uint8Array | null> {
    const f = this.#file;
    if (f === null) return null;
    const k = prefix.length;
    const buf = this.#buffer(k + FILE_CHUNK);
    let n = 0;
    try {
      while (n < MIN_CHUNK) {
        const to = buf.subarray(k + n);
        const got = f.readSync ? f.readSync(to) : await f.read(to);
        if (got === null) break;
        n += got;
      }
    } catch (e) {
      this.#close();
      throw e;
    }
    this.#read += n;
    if (n < MIN_CHUNK) this.#close();
    if (n === 0) return null;
    buf.set(prefix);
    return buf.subarray(0, k + n);
  }
  /**
   * The rest of the file after `prefix` (bytes already read from it), in
   * one array: sized from the file's size, grown if it has grown since.
   */
  readRest?: (prefix?: Uint8Array, shared?: boolean) => Uint8Array = (
    prefix = NO_BYTES,
    shared = false,
  ) => {
    const f = this.#file;
    if (f === null) return concat([prefix], shared);
    const buf = bytesOf(
      Math.max(prefix.length + (f.size ?? 0) - this.#read, prefix.length) + 1,
      shared,
    );
    buf.set(prefix);
    try {
      return readToEnd((into) => f.readSync!(into), buf, prefix.length, (n) => bytesOf(n, shared));
    } finally {
      this.#close();
    }
  };
  release(chunk: Uint8Array): void {
    const b = chunk.buffer;
    if (b instanceof ArrayBuffer && b.byteLength === POOLED && this.#pool.length < POOL_SIZE) {
      this.#pool.push(b);
    }
  }
  // A buffer from the pool when one is big enough, else a fresh one.
  #buffer(n: number): Uint8Array {
    if (n <= POOLED) {
      const b = this.#pool.pop();
      return b ? new Uint8Array(b, 0, n) : new Uint8Array(new ArrayBuffer(POOLED), 0, n);
    }
    return new Uint8Array(n);
  }
  #pool: ArrayBuffer[] = [];
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
    // Small chunks are copied into one buffer as they come (a list of
    // 1-byte arrays to join would cost more than the stream itself).
    let buf: Uint8Array | null = null;
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
      const v = res.value;
      if (v.length === 0) continue;
      if (buf === null) {
        if (v.length >= MIN_CHUNK) return v;
        buf = new Uint8Array(MIN_CHUNK);
      } else if (n + v.length > buf.length) {
        const grown = new Uint8Array(n + v.length);
        grown.set(buf.subarray(0, n));
        buf = grown;
      }
      if (v.length === 1) buf[n] = v[0];
      else buf.set(v, n);
      n += v.length;
    }
    return n === 0 ? null : buf!.subarray(0, n);
  }
  async cancel(): Promise<void> {
    this.#done = true;
    try {
      await this.reader.cancel();
    } catch { /* a failed stream cannot be cancelled again */ }
  }
}

// Fails once more than `max` bytes have come: the bytes before are handed out first.
class LimitedInput implements ByteInput {
  #total = 0;
  #failure: TraceError | null = null;
  constructor(readonly inner: ByteInput, readonly max: number) {}
  async read(): Promise<Uint8Array | null> {
    if (this.#failure) {
      const e = this.#failure;
      this.#failure = null;
      throw e;
    }
    if (this.#total > this.max) return null;
    const c = await this.inner.read();
    if (c === null) return null;
    const room = this.max - this.#total;
    this.#total += c.length;
    if (this.#total <= this.max) return c;
    await this.inner.cancel();
    this.#failure = new TraceError(
      "too-large",
      `input too large: more than ${this.max} bytes (ReaderOptions.maxInputBytes)`,
      { offset: this.max },
    );
    if (room > 0) return c.subarray(0, room);
    return this.read();
  }
  cancel(): Promise<void> {
    return this.inner.cancel();
  }
}

/**
 * Gzip, member by member: the headers and trailers are read here (so that
 * where a member ends, and whether what follows is another one, is known
 * exactly), the deflate data by node:zlib, which is faster than
 * DecompressionStream and stops at the end of the data. Each member's CRC
 * and length are checked as gzip(1) checks them.
 */
class GunzipInput implements ByteInput {
  #src: ByteInput;
  #srcDone = false;
  #pend: Uint8Array; // compressed bytes not yet used
  #pos = 0; // compressed offset of #pend[0]
  #members = 0; // members read to their trailer
  #inflater: InflateRaw | null = null;
  #inflated = false; // the current member's deflate data has ended
  #crc = 0;
  #size = 0;
  #out: Uint8Array[] = [];
  #outLen = 0;
  #failure: unknown = null;
  #done = false;
  readonly #zlib: Zlib;

  constructor(first: Uint8Array, src: ByteInput, zlib: Zlib) {
    this.#pend = first;
    this.#src = src;
    this.#zlib = zlib;
  }

  async read(): Promise<Uint8Array | null> {
    if (this.#failure !== null) {
      const e = this.#failure;
      this.#failure = null;
      throw e;
    }
    try {
      while (this.#outLen < MIN_CHUNK && !this.#done) await this.#step();
    } catch (e) {
      this.#done = true;
      this.#close();
      if (this.#outLen === 0) throw e;
      this.#failure = e;
    }
    if (this.#outLen === 0) return null;
    const all = concat(this.#out, false);
    this.#out = [];
    this.#outLen = 0;
    return all;
  }

  async cancel(): Promise<void> {
    this.#done = true;
    this.#close();
    await this.#src.cancel();
  }

  #close(): void {
    this.#inflater?.destroy();
    this.#inflater = null;
  }

  /** One piece of progress: a header, some deflate data, a trailer or the end. */
  async #step(): Promise<void> {
    if (this.#inflater === null) {
      const n = gzipHeaderLength(this.#pend);
      if (n === -2 || (n === -1 && this.#pend.length > MAX_GZIP_HEADER)) {
        if (this.#members === 0) throw new Error("invalid gzip header");
        throw new Error(`trailing garbage after gzip member at byte ${this.#pos}`);
      }
      if (n === -1) {
        if (await this.#more()) return;
        if (this.#pend.length !== 0) throw new Error("unexpected end of file");
        this.#done = true;
        return;
      }
      this.#use(n);
      this.#startMember();
      return;
    }
    if (!this.#inflated) {
      if (this.#pend.length === 0) {
        if (await this.#more()) return;
        throw new Error("unexpected end of file");
      }
      const piece = this.#pend.subarray(0, INFLATE_STEP);
      const used = await this.#inflate(piece);
      this.#use(used);
      // Input left over: the deflate data ended inside this piece.
      if (used < piece.length) this.#inflated = true;
      return;
    }
    if (this.#pend.length < 8) {
      if (await this.#more()) return;
      throw new Error("unexpected end of file");
    }
    const p = this.#pend;
    const crc = (p[0] | p[1] << 8 | p[2] << 16 | p[3] << 24) >>> 0;
    const size = (p[4] | p[5] << 8 | p[6] << 16 | p[7] << 24) >>> 0;
    if (crc !== this.#crc) throw new Error("incorrect data check");
    if (size !== this.#size % 2 ** 32) throw new Error("incorrect length check");
    this.#use(8);
    this.#close();
    this.#members++;
  }

  #startMember(): void {
    const inf = this.#zlib.createInflateRaw();
    inf.on("data", (d: Uint8Array) => {
      const c = new Uint8Array(d.buffer, d.byteOffset, d.length);
      this.#crc = this.#zlib.crc32(c, this.#crc);
      this.#size += c.length;
      this.#out.push(c);
      this.#outLen += c.length;
    });
    // Errors reach the write callback; this keeps them from being unhandled.
    inf.on("error", () => {});
    this.#inflater = inf;
    this.#inflated = false;
    this.#crc = 0;
    this.#size = 0;
  }

  /** Inflates a piece of compressed data; resolves to how much of it was used. */
  #inflate(piece: Uint8Array): Promise<number> {
    const inf = this.#inflater!;
    const before = inf.bytesWritten;
    return new Promise((resolve, reject) => {
      inf.write(piece, (err) => {
        if (err) reject(err);
        else resolve(inf.bytesWritten - before);
      });
    });
  }

  #use(n: number): void {
    this.#pend = this.#pend.subarray(n);
    this.#pos += n;
  }

  /** Appends the next compressed chunk to what is pending; false at the end. */
  async #more(): Promise<boolean> {
    if (this.#srcDone) return false;
    const c = await this.#src.read();
    if (c === null) {
      this.#srcDone = true;
      return false;
    }
    this.#pend = this.#pend.length === 0 ? c : concat([this.#pend, c], false);
    return true;
  }
}

/**
 * Length of the gzip member header at the start of `b`: -1 when more bytes
 * are needed to tell, -2 when it is not a gzip header (RFC 1952).
 */
function gzipHeaderLength(b: Uint8Array): number {
  const magic = [0x1f, 0x8b, 8];
  for (let i = 0; i < 3; i++) {
    if (b.length <= i) return -1;
    if (b[i] !== magic[i]) return -2;
  }
  if (b.length < 10) return -1;
  const flags = b[3];
  if (flags & 0xe0) return -2;
  let p = 10;
  if (flags & 4) {
    if (b.length < p + 2) return -1;
    p += 2 + (b[p] | b[p + 1] << 8);
  }
  for (const bit of [8, 16]) {
    if (!(flags & bit)) continue;
    while (p < b.length && b[p] !== 0) p++;
    if (p >= b.length) return -1;
    p++;
  }
  if (flags & 2) p += 2;
  return b.length >= p ? p : -1;
}

function concat(chunks: Uint8Array[], shared: boolean): Uint8Array {
  if (chunks.length === 1 && (!shared || chunks[0].buffer instanceof SharedArrayBuffer)) {
    return chunks[0];
  }
  let n = 0;
  for (const c of chunks) n += c.length;
  const all = bytesOf(n, shared);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return all;
}
