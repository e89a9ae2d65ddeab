/**
 * Reading txtar archives, the format of Go's trace test cases (`*.test`).
 *
 * @module
 */

/**
 * Splits a txtar archive into its files: name → contents. A file starts after
 * a `-- NAME --` line and runs to the next such line; the archive's leading
 * comment is dropped. Contents keep their final newline (one is added when
 * missing, as Go's txtar does).
 *
 * @example
 * ```ts
 * import { parseTxtar } from "./txtar.ts";
 * const files = parseTxtar("-- expect --\nSUCCESS\n-- trace --\nTrace Go1.22\n");
 * console.assert(files.get("expect") === "SUCCESS\n");
 * console.assert(files.get("trace") === "Trace Go1.22\n");
 * ```
 */
export function parseTxtar(text: string): Map<string, string> {
  const files = new Map<string, string>();
  let name: string | null = null;
  let body: string[] = [];
  const flush = () => {
    if (name === null) return;
    const s = body.join("");
    files.set(name, s === "" || s.endsWith("\n") ? s : s + "\n");
  };
  for (const line of text.split(/(?<=\n)/)) {
    const m = /^-- (.+?) --\r?\n?$/.exec(line);
    if (m) {
      flush();
      name = m[1].trim();
      body = [];
    } else if (name !== null) {
      body.push(line);
    }
  }
  flush();
  return files;
}
