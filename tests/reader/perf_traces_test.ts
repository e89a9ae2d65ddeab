/**
 * The corpus's big real traces read exactly as Go's reader reads them: the
 * SHA-256 of `deno task dump FILE` (every event's text and a newline) is the
 * one the corpus README gives for the reference's dump. Millions of events,
 * syscalls by the million on workmix: what the small traces cannot show of
 * the fast paths (the rules' fast lane, the file input's reused buffers).
 * Skipped, loudly, without the corpus.
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";

const SCRIPT = new URL("../../scripts/dump.ts", import.meta.url).pathname;

/** The perf table of the corpus README: file name, event count and dump SHA-256. */
function perfTraces(): { file: string; events: number; sha: string }[] {
  const text = Deno.readTextFileSync(`${CORPUS_DIR}/README.md`);
  const rows = [
    ...text.matchAll(/^\| `([\w.-]+\.trace\.gz)`[^|]*\| ([\d,]+) \|[^|]*\| `([0-9a-f]{64})`/gm),
  ];
  return rows.map((m) => ({ file: m[1], events: Number(m[2].replaceAll(",", "")), sha: m[3] }));
}

/** Runs the dump script on `path` with `args`, hashing its output as it streams. */
async function dumpHash(
  path: string,
  args: string[] = [],
): Promise<{ sha: string; bytes: number }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", SCRIPT, ...args, path],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const hash = createHash("sha256");
  let bytes = 0;
  const errText = new Response(child.stderr).text();
  for await (const chunk of child.stdout) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  const status = await child.status;
  assert.equal(status.code, 0, (await errText).slice(-2000));
  return { sha: hash.digest("hex"), bytes };
}

Deno.test("perf traces: the dump of each big real trace has the reference's SHA-256", async (t) => {
  if (!corpusAvailable()) return;
  const traces = perfTraces();
  assert.ok(traces.length >= 2, `the corpus README lists ${traces.length} perf traces`);
  for (const { file, events, sha } of traces) {
    await t.step(file, async () => {
      // Uncompressed, as a file is read in the common case: in megabyte
      // chunks whose buffers are reused from generation to generation.
      const path = Deno.makeTempFileSync({ suffix: ".trace" });
      const src = await Deno.open(`${CORPUS_DIR}/perf/${file}`);
      await src.readable.pipeThrough(new DecompressionStream("gzip")).pipeTo(
        (await Deno.open(path, { write: true, truncate: true })).writable,
      );
      try {
        await check(path, events, sha);
      } finally {
        Deno.removeSync(path);
      }
    });
  }
});

/** The dump of `path` hashes to `sha`, and its count is `events`. */
async function check(path: string, events: number, sha: string): Promise<void> {
  const got = await dumpHash(path);
  assert.ok(got.bytes > events * 40, `${got.bytes} bytes for ${events} events`);
  assert.equal(got.sha, sha);
  // On two threads the same: on workmix a worker's run starts from the state
  // its first generation announces, which the main thread checks against the
  // true one (Ps abandoned in syscalls across boundaries); the perf trace's
  // one generation is read whole and in sequence.
  assert.equal((await dumpHash(path, ["--workers=2"])).sha, sha);
  // The count agrees with the table too.
  const count = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", SCRIPT, "--count", path],
    stdout: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(count.stdout), `${events}\n`);
}
