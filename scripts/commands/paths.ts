/**
 * Paths as the user typed them: `deno task` runs the scripts from the
 * project root, so a relative path means one from where the user stands.
 *
 * @module
 */

import { isAbsolute, resolve } from "node:path";
import { isHttpUrl } from "../../src/reader/input.ts";

/**
 * A path as the user meant it: `deno task` runs scripts from the project
 * root and puts the user's directory in INIT_CWD, so relative paths are
 * resolved against that when it is set (and readable). `-` stays `-`.
 */
export function userPath(path: string): string {
  if (path === "-" || isAbsolute(path) || isHttpUrl(path)) return path;
  let base: string | undefined;
  try {
    // Asking first keeps a run without --allow-env from prompting or failing.
    const q = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" });
    if (q.state === "granted") base = Deno.env.get("INIT_CWD");
  } catch { /* no permission API: use the working directory */ }
  // From the project root itself the path stays as typed (and as shown).
  return base && resolve(base) !== Deno.cwd() ? resolve(base, path) : path;
}
