/**
 * Where the command-line scripts write: a buffered stdout that survives
 * `| head`, and outputs written beside their target and renamed into
 * place, so that a failed run never leaves a half-written file or destroys
 * its input.
 *
 * @module
 */

import { basename, dirname } from "node:path";
import { OutputError } from "./cli.ts";
import { userPath } from "./paths.ts";

/**
 * Buffered, synchronous stdout: large writes, no await per line. A reader
 * that goes away (`trace events x | head`) ends the program quietly.
 */
export class Output {
  readonly #chunks: string[] = [];
  #size = 0;
  readonly #enc = new TextEncoder();
  /** @param sink where bytes go (stdout by default; tests pass their own) */
  constructor(readonly sink: (b: Uint8Array) => number = (b) => Deno.stdout.writeSync(b)) {}

  /** Appends text. */
  write(s: string): void {
    this.#chunks.push(s);
    this.#size += s.length;
    if (this.#size > 1 << 18) this.flush();
  }

  /** Appends a line. */
  line(s = ""): void {
    this.write(s + "\n");
  }

  /** Appends bytes (after the text before them). */
  bytes(b: Uint8Array): void {
    this.flush();
    this.#put(b);
  }

  /** Writes out everything buffered. */
  flush(): void {
    if (this.#chunks.length === 0) return;
    const bytes = this.#enc.encode(this.#chunks.join(""));
    this.#chunks.length = 0;
    this.#size = 0;
    this.#put(bytes);
  }

  #put(bytes: Uint8Array): void {
    try {
      while (bytes.length > 0) bytes = bytes.subarray(this.sink(bytes));
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe) Deno.exit(0);
      throw e;
    }
  }
}

/** Same file: same device and inode (hard links and symlinks included). */
function sameFile(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  return a.dev === b.dev && a.ino !== null && a.ino === b.ino;
}

function statOrNull(path: string, follow = true): Deno.FileInfo | null {
  try {
    return follow ? Deno.statSync(path) : Deno.lstatSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Why a path cannot be written, in a few words. */
function reason(e: unknown): string {
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
    return "permission denied";
  }
  if (e instanceof Deno.errors.NotFound) return "no such file or directory";
  if (e instanceof Deno.errors.IsADirectory) return "is a directory";
  // Deno's messages end with the syscall and path in parentheses: keep the words.
  return (e as Error).message.replace(/\s*\(os error \d+\).*$/s, "").replace(/:\s*'.*$/, "");
}

/**
 * Where a command's output goes: standard output (no path or `-`) or a
 * file, written to a temporary file beside it and renamed into place by
 * {@link commit}, so that the old file stays intact until the new one is
 * whole. Everything that can be checked before reading the input is checked
 * at {@link Destination.open}.
 */
export class Destination {
  /** Buffered writes to the temporary file or stdout. */
  readonly out: Output;
  /** Bytes handed on so far (what the output has grown to). */
  written = 0;
  #file: Deno.FsFile | null;
  #done = false;

  private constructor(
    readonly name: string,
    readonly target: string | null,
    readonly temp: string | null,
    file: Deno.FsFile | null,
  ) {
    this.#file = file;
    const put = file
      ? (b: Uint8Array) => file.writeSync(b)
      : (b: Uint8Array) => Deno.stdout.writeSync(b);
    this.out = new Output((b) => {
      let n: number;
      try {
        n = put(b);
      } catch (e) {
        if (e instanceof Deno.errors.BrokenPipe) throw e;
        throw new OutputError(`cannot write ${this.name}: ${reason(e)}`, 1);
      }
      this.written += n;
      return n;
    });
  }

  /** Whether the output is standard output. */
  get stdout(): boolean {
    return this.target === null;
  }

  /**
   * The output named by `-o` (relative to the user; undefined or `-` for
   * stdout), refused when it is one of `inputs`, a directory, a dangling
   * symlink, in a missing directory or not writable: OutputErrors.
   */
  static open(output: string | undefined, inputs: readonly string[]): Destination {
    if (output === undefined || output === "-") return new Destination("-", null, null, null);
    const name = output;
    let target = userPath(output);
    const link = statOrNull(target, false);
    if (link?.isSymlink) {
      // Write the file the link points to, and keep the link.
      try {
        target = Deno.realPathSync(target);
      } catch {
        const to = (() => {
          try {
            return Deno.readLinkSync(target);
          } catch {
            return "?";
          }
        })();
        throw new OutputError(`cannot write ${name}: dangling symbolic link (to ${to})`);
      }
    }
    const dir = dirname(target);
    const dirInfo = statOrNull(dir);
    if (!dirInfo) throw new OutputError(`cannot write ${name}: no such directory ${dir}`);
    if (!dirInfo.isDirectory) {
      throw new OutputError(`cannot write ${name}: ${dir} is not a directory`);
    }
    const info = statOrNull(target);
    if (info?.isDirectory) throw new OutputError(`cannot write ${name}: is a directory`);
    if (info) {
      for (const input of inputs) {
        if (input === "-") continue;
        const i = statOrNull(userPath(input));
        if (i && sameFile(i, info)) {
          throw new OutputError(`refusing to write ${name}: it is the input ${input}`);
        }
      }
      try {
        // Opened for writing without truncating: only asks whether we may.
        Deno.openSync(target, { write: true }).close();
      } catch (e) {
        throw new OutputError(`cannot write ${name}: ${reason(e)}`);
      }
    }
    const temp = `${dir}/.${basename(target)}.${Deno.pid}-${
      Math.random().toString(36).slice(2, 8)
    }.tmp`;
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(temp, { write: true, createNew: true, mode: info?.mode ?? 0o666 });
    } catch (e) {
      throw new OutputError(`cannot write ${name}: ${reason(e)}`);
    }
    return new Destination(name, target, temp, file);
  }

  /**
   * Runs `fn` with the output open: on success the output is complete
   * (renamed into place); if `fn` throws, the temporary file is removed and
   * the old file, if any, is left as it was.
   */
  static async with<T>(
    output: string | undefined,
    inputs: readonly string[],
    fn: (d: Destination) => T | Promise<T>,
  ): Promise<T> {
    const d = Destination.open(output, inputs);
    try {
      const r = await fn(d);
      d.commit();
      return r;
    } finally {
      d.abort();
    }
  }

  /** Flushes and, for a file, renames the temporary file onto the target. */
  commit(): void {
    if (this.#done) return;
    this.out.flush();
    this.#done = true;
    if (!this.#file) return;
    try {
      this.#file.close();
      this.#file = null;
      Deno.renameSync(this.temp!, this.target!);
    } catch (e) {
      this.#removeTemp();
      throw new OutputError(`cannot write ${this.name}: ${reason(e)}`, 1);
    }
  }

  /** Drops the temporary file (after a failure); nothing once committed. */
  abort(): void {
    if (this.#done) return;
    this.#done = true;
    this.#removeTemp();
  }

  #removeTemp(): void {
    try {
      this.#file?.close();
    } catch { /* already closed */ }
    this.#file = null;
    if (this.temp) {
      try {
        Deno.removeSync(this.temp);
      } catch { /* already gone */ }
    }
  }
}
