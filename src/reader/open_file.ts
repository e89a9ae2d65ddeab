/**
 * The one place the library touches a file system: opening a path for
 * reading. Everything else takes bytes, streams or `http(s)` URLs, so the
 * rest of `src/` runs wherever web APIs do (a browser, a worker, Node). The
 * runtime is looked up when a path is opened, not when this module loads, so
 * importing the library in a browser works and only opening a path fails
 * there, with a TraceError `io` that says what to pass instead.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";

/**
 * An open file, read front to back: what {@link openFile} gives.
 *
 * @example
 * ```ts
 * import { openFile, type OpenedFile } from "./open_file.ts";
 * const f: OpenedFile = await openFile(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const buf = new Uint8Array(7);
 * console.assert((await f.read(buf)) === 7 && new TextDecoder().decode(buf) === "go 1.22");
 * f.close();
 * ```
 */
export interface OpenedFile {
  /** Reads into `p`; resolves to how many bytes were read, or null at the end. */
  read(p: Uint8Array): Promise<number | null>;
  /**
   * The same, synchronously: only for a regular file, whose bytes are in the
   * page cache or a disk read away (a pipe or a device may block).
   */
  readSync?(p: Uint8Array): number | null;
  /** Its size in bytes, for a regular file. */
  size?: number;
  /** Releases the file. */
  close(): void;
}

// As much of Deno's file API as this uses, looked up on globalThis so that
// the module loads where there is no Deno.
type DenoFile = {
  read(p: Uint8Array): Promise<number | null>;
  readSync(p: Uint8Array): number | null;
  stat(): Promise<{ isFile: boolean; size: number }>;
  close(): void;
};
type DenoFiles = { open(path: string | URL, options: { read: true }): Promise<DenoFile> };

/**
 * Opens a path or `file:` URL for reading. Throws a TraceError `io` when it
 * cannot be opened, or when the runtime has no file system (a browser).
 *
 * @example
 * ```ts
 * import { openFile } from "./open_file.ts";
 * import { TraceError } from "../trace_error.ts";
 * try {
 *   await openFile("no/such/file.trace");
 *   console.assert(false);
 * } catch (e) {
 *   console.assert(e instanceof TraceError && e.code === "io");
 * }
 * ```
 */
export async function openFile(path: string | URL): Promise<OpenedFile> {
  const deno = (globalThis as { Deno?: DenoFiles }).Deno;
  if (deno === undefined) {
    throw new TraceError(
      "io",
      `cannot open ${
        String(path)
      }: no file system here; pass bytes, a ReadableStream or an http(s) URL`,
    );
  }
  try {
    const f = await deno.open(path, { read: true });
    const st = await f.stat();
    const regular = st.isFile;
    return {
      read: (p) => f.read(p),
      readSync: regular ? (p) => f.readSync(p) : undefined,
      size: regular ? st.size : undefined,
      close: () => f.close(),
    };
  } catch (e) {
    throw new TraceError("io", `cannot open ${String(path)}: ${(e as Error).message}`);
  }
}
