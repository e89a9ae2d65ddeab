/**
 * Runs `scripts/trace.ts` the way `deno task trace` does, as a subprocess,
 * for the command-line tests.
 *
 * @module
 */

const TRACE = new URL("../scripts/trace.ts", import.meta.url).pathname;

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
 * Runs `trace ARGS` with `stdin` piped in (or none), in the repository root.
 *
 * @example
 * ```ts
 * import { trace } from "./trace_cli.ts";
 * const r = await trace(["--help"]);
 * console.assert(r.code === 0 && r.out.includes("Commands:"));
 * ```
 */
export async function trace(args: string[], stdin?: Uint8Array | string): Promise<Run> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write=/tmp", TRACE, ...args],
    cwd: new URL("..", import.meta.url).pathname,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
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
 * The text of a gzip file.
 *
 * @example
 * ```ts
 * import { gunzipText } from "./trace_cli.ts";
 * console.assert(typeof gunzipText === "function");
 * ```
 */
export async function gunzipText(path: string): Promise<string> {
  const s = new Blob([Deno.readFileSync(path)]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  return await new Response(s).text();
}
