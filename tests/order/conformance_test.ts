import assert from "node:assert/strict";
import { readEvents } from "../../src/reader/mod.ts";
import { encodeBinary, parseText } from "../../src/wire/text.ts";
import { TraceError } from "../../src/trace_error.ts";
import { conformanceCases, corpusAvailable } from "../helpers/corpus.ts";

// Go's own parser test cases: each textual trace, turned into the binary
// format, must read to the end (SUCCESS) or fail with a matching message.
const available = corpusAvailable();
const cases = conformanceCases();

Deno.test({
  name: "conformance: the corpus has Go's cases",
  ignore: !available,
  fn() {
    assert.ok(cases.length >= 22, `only ${cases.length} cases`);
  },
});

for (const c of cases) {
  Deno.test(`conformance: ${c.name}`, () => {
    const bytes = encodeBinary(parseText(c.trace));
    if (!c.failure) {
      const events = readEvents(bytes);
      assert.ok(events.length >= 2, "expected at least the opening and closing Sync");
      assert.equal(events[0].kind, "Sync");
      assert.equal(events.at(-1)!.kind, "Sync");
      return;
    }
    assert.throws(() => readEvents(bytes), (e: unknown) => {
      assert.ok(e instanceof TraceError, `not a TraceError: ${e}`);
      assert.match(e.message, c.failure!);
      return true;
    });
  });
}
