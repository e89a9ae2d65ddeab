/**
 * Gzip for the tests, by the platform's CompressionStream and
 * DecompressionStream: compress bytes (whole or as a stream of small
 * chunks), decompress bytes, read a gzip file as text.
 *
 * @module
 */

/** The bytes of a stream, concatenated. */
async function collect(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(s).arrayBuffer());
}

/**
 * Bytes gzip-compressed (one member).
 *
 * @example
 * ```ts
 * import { gzip } from "./gzip.ts";
 * const gz = await gzip(new Uint8Array(1000));
 * console.assert(gz[0] === 0x1f && gz[1] === 0x8b && gz.length < 100);
 * ```
 */
export function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return collect(
    new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
      new CompressionStream("gzip"),
    ),
  );
}

/**
 * Gzip-compressed bytes decompressed.
 *
 * @example
 * ```ts
 * import { gunzip, gzip } from "./gzip.ts";
 * const back = await gunzip(await gzip(Uint8Array.of(1, 2, 3)));
 * console.assert(back.join() === "1,2,3");
 * ```
 */
export function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return collect(
    new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
      new DecompressionStream("gzip"),
    ),
  );
}

/**
 * Bytes gzip-compressed, as a stream of `size`-byte chunks: small chunks make
 * the reader ask for more input in the middle of batches.
 *
 * @example
 * ```ts
 * import { gzipChunks } from "./gzip.ts";
 * const s = await gzipChunks(new Uint8Array(1000), 10);
 * let n = 0;
 * for await (const chunk of s) n += chunk.length;
 * console.assert(n > 0);
 * ```
 */
export async function gzipChunks(
  bytes: Uint8Array,
  size: number,
): Promise<ReadableStream<Uint8Array>> {
  const gz = await gzip(bytes);
  return new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < gz.length; i += size) c.enqueue(gz.subarray(i, i + size));
      c.close();
    },
  });
}

/**
 * The text of a gzip file, such as a reference output (`NAME.expect.gz`).
 *
 * @example
 * ```ts
 * import { gunzipText } from "./gzip.ts";
 * import { CORPUS_DIR, corpusAvailable } from "./corpus.ts";
 * if (corpusAvailable()) {
 *   const text = await gunzipText(`${CORPUS_DIR}/real/go1.25/stress.expect.gz`);
 *   console.assert(text.startsWith("M=-1 P=-1 G=-1 Sync"));
 * }
 * ```
 */
export async function gunzipText(path: string): Promise<string> {
  const file = await Deno.open(path);
  return await new Response(file.readable.pipeThrough(new DecompressionStream("gzip"))).text();
}
