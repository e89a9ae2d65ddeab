/**
 * A progress bar on stderr while a big input is read: a byte-counting
 * pass-through stream that redraws one line at most ten times a second.
 *
 * @module
 */

/** Inputs at least this big get a progress bar (when stderr is a terminal). */
export const PROGRESS_MIN_BYTES = 10 * 1024 * 1024;

/**
 * The bar's text for `done` of `total` bytes, e.g.
 * `[##########..........]  50%  12.0 / 24.0 MB`.
 *
 * @example
 * ```ts
 * import { progressLine } from "./progress.ts";
 * console.assert(progressLine(5 << 20, 10 << 20).includes(" 50%"));
 * ```
 */
export function progressLine(done: number, total: number, width = 30): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(frac * width);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${
    String(Math.floor(frac * 100)).padStart(3)
  }%  ${mb(done)} / ${mb(total)} MB`;
}

/**
 * Wraps `stream` so that reading it draws a progress bar through `write`
 * (which gets `\r`-led redraws and a final line clear). `now` is injectable
 * for tests.
 *
 * @example
 * ```ts
 * import { withProgress } from "./progress.ts";
 * const drawn: string[] = [];
 * const src = new Blob([new Uint8Array(100)]).stream();
 * const bytes = await new Response(withProgress(src, 100, (s) => drawn.push(s))).arrayBuffer();
 * console.assert(bytes.byteLength === 100 && drawn.some((s) => s.includes("100%")));
 * ```
 */
export function withProgress(
  stream: ReadableStream<Uint8Array>,
  total: number,
  write: (s: string) => void,
  now: () => number = Date.now,
): ReadableStream<Uint8Array> {
  let done = 0;
  let last = -Infinity;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        done += chunk.length;
        const t = now();
        if (t - last >= 100 || done >= total) {
          last = t;
          write(`\r${progressLine(done, total)}`);
        }
        c.enqueue(chunk);
      },
      flush() {
        write("\r\x1b[2K");
      },
    }),
  );
}
