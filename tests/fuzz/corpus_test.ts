// Inputs that once crashed or confused a parser must end as Go's reader
// ends them: the same events, then the same error, and never another exception.
import assert from "node:assert/strict";
import { Reader, TraceError } from "../../mod.ts";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";

let names: string[] = [];
try {
  names = [...Deno.readDirSync(`${CORPUS_DIR}/fuzz`)].filter((e) => e.name.endsWith(".trace"))
    .map((e) => e.name).sort();
} catch {
  // Corpus missing: warned below.
}

Deno.test("fuzz corpus: present", () => {
  if (!corpusAvailable()) return;
  assert.ok(names.length >= 15, `${names.length} fuzz inputs`);
});

for (const name of names) {
  Deno.test(`fuzz corpus: ${name} ends as the reference says`, async () => {
    const bytes = await Deno.readFile(`${CORPUS_DIR}/fuzz/${name}`);
    const want = await Deno.readTextFile(
      `${CORPUS_DIR}/fuzz/${name.replace(/\.trace$/, ".expect")}`,
    );
    let got = "";
    try {
      const r = Reader.fromBytes(bytes);
      for (let ev = r.readEvent(); ev; ev = r.readEvent()) got += ev.toString() + "\n";
    } catch (e) {
      assert.ok(e instanceof TraceError, `only TraceError escapes, got ${e}`);
      got += `ERROR: ${(e as Error).message}\n`;
    }
    assert.equal(got, want);
  });
}
