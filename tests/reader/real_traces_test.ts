// Every real trace in the corpus (go1.22, go1.23, go1.25) must read to the
// very text Go's reader produced: same events, order, times, states, stacks.
import assert from "node:assert/strict";
import { Reader } from "../../mod.ts";
import { CORPUS_DIR, corpusAvailable, firstDifference } from "../helpers/corpus.ts";
import { gunzipText, gzipChunks } from "../helpers/gzip.ts";

/** Text of every event, as the reference's expect files are written. */
function dump(bytes: Uint8Array): string {
  const parts: string[] = [];
  try {
    const r = Reader.fromBytes(bytes);
    for (let ev = r.readEvent(); ev; ev = r.readEvent()) parts.push(ev.toString(), "\n");
  } catch (e) {
    parts.push(`ERROR: ${(e as Error).message}\n`);
  }
  return parts.join("");
}

const VERSIONS = ["go1.22", "go1.23", "go1.25"];

Deno.test("real traces: the corpus has traces for every new-format version", () => {
  if (!corpusAvailable()) return;
  for (const v of VERSIONS) {
    const names = [...Deno.readDirSync(`${CORPUS_DIR}/real/${v}`)].filter((e) =>
      e.name.endsWith(".trace")
    );
    assert.ok(names.length >= 10, `${v} has ${names.length} traces`);
  }
});

for (const v of VERSIONS) {
  let names: string[] = [];
  try {
    names = [...Deno.readDirSync(`${CORPUS_DIR}/real/${v}`)]
      .filter((e) => e.name.endsWith(".trace"))
      .map((e) => e.name)
      .sort();
  } catch {
    // Corpus missing: the test above warns.
  }
  for (const name of names) {
    Deno.test(`real traces: ${v}/${name} reads exactly as Go's reader`, async () => {
      const base = `${CORPUS_DIR}/real/${v}/${name.replace(/\.trace$/, "")}`;
      const got = dump(await Deno.readFile(`${base}.trace`));
      const want = await gunzipText(`${base}.expect.gz`);
      const diff = firstDifference(got, want);
      assert.equal(diff, "", diff);
      assert.ok(got.startsWith("M=-1 P=-1 G=-1 Sync"), "first event is a Sync");
    });
  }
}

Deno.test("real traces: reading a gzip stream gives the same events as bytes", async () => {
  if (!corpusAvailable()) return;
  const path = `${CORPUS_DIR}/real/go1.25/gomaxprocs.trace`;
  const bytes = await Deno.readFile(path);
  // Small chunks exercise the splitter asking for more bytes mid-batch.
  const chunks = await gzipChunks(bytes, 777);
  const fromStream: string[] = [];
  for await (const ev of await Reader.open(chunks)) fromStream.push(ev.toString());
  const fromBytes = [...Reader.fromBytes(bytes).events()].map((e) => e.toString());
  assert.equal(fromStream.length, fromBytes.length);
  assert.deepEqual(fromStream, fromBytes);
  const fromPath: string[] = [];
  for await (const ev of await Reader.open(path)) fromPath.push(ev.toString());
  assert.deepEqual(fromPath, fromBytes);
});
