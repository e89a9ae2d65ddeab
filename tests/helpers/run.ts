/**
 * Runs the repository's scripts as subprocesses, the way their `deno task`
 * runs them, for the command-line tests: `deno` with any arguments, and
 * `scripts/trace.ts` in particular.
 *
 * @module
 */

const TRACE = new URL("../../scripts/trace.ts", import.meta.url).pathname;

/** What a run printed and how it ended. */
export interface Run {
  /** Exit status. */
  code: number;
  /** Standard output. */
  out: string;
  /** Standard error. */
  err: string;
}

/**
 * What a run is given besides its arguments.
 *
 * @example
 * ```ts
 * import type { RunOptions } from "./run.ts";
 * const o: RunOptions = { stdin: "q\n", env: { INIT_CWD: "/tmp" } };
 * console.assert(o.stdin === "q\n");
 * ```
 */
export interface RunOptions {
  /** Piped to standard input (none when absent). */
  stdin?: Uint8Array | string;
  /** Environment variables besides the inherited ones (NO_COLOR is set). */
  env?: Record<string, string>;
}

/**
 * Runs `deno ARGS` in the repository root, without colours.
 *
 * @example
 * ```ts
 * import { runDeno } from "./run.ts";
 * const r = await runDeno(["eval", "console.log(1 + 1)"]);
 * console.assert(r.code === 0 && r.out === "2\n");
 * ```
 */
export async function runDeno(args: string[], opts: RunOptions = {}): Promise<Run> {
  const { stdin, env } = opts;
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: new URL("../..", import.meta.url).pathname,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin);
    await w.close();
  }
  const { code, stdout, stderr } = await child.output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout), err: dec.decode(stderr) };
}

/**
 * Runs `trace ARGS` with `stdin` piped in (or none), in the repository root.
 *
 * @example
 * ```ts
 * import { trace } from "./run.ts";
 * const r = await trace(["--help"]);
 * console.assert(r.code === 0 && r.out.includes("Commands:"));
 * ```
 */
export function trace(args: string[], stdin?: Uint8Array | string): Promise<Run> {
  return runDeno(["run", "--allow-read", "--allow-write=/tmp", TRACE, ...args], { stdin });
}
