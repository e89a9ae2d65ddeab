// The fuzzer's short budget: 20,000 mutated traces (every seed cut at every
// batch boundary, then random mutations), each read in a worker process with
// a capped heap and watched for hangs. None may crash, hang, run away, break
// an invariant or let anything but a TraceError out. `deno task fuzz` runs
// the long budget.
import assert from "node:assert/strict";
import { formatReport, fuzz } from "./fuzz/driver.ts";
import { Inputs, loadSeeds } from "./fuzz/seeds.ts";
import { checkInput } from "./fuzz/check.ts";
import { makeInput } from "./fuzz/mutate.ts";

const INPUTS = 20_000;

Deno.test("fuzz: inputs are the same for the same seed", () => {
  const seeds = loadSeeds();
  assert.ok(seeds.length >= 27, `${seeds.length} seeds`);
  for (const i of [0, 1, 999, 123_456]) {
    const a = makeInput(seeds, 42, i);
    const b = makeInput(seeds, 42, i);
    assert.equal(a.how, b.how);
    assert.deepEqual(a.bytes, b.bytes);
  }
  assert.ok(new Inputs(seeds, 1).cuts > 1000);
});

Deno.test("fuzz: every seed reads or fails cleanly, through the stepper and queries too", () => {
  for (const s of loadSeeds()) {
    const v = checkInput(s.bytes, { stepper: true, queries: true });
    assert.ok(v.outcome === "ok" || v.outcome === "error", `${s.name}: ${v.outcome} ${v.detail}`);
  }
});

Deno.test({
  name: `fuzz: ${INPUTS} inputs, no crash, hang or escape`,
  // The workers are child processes the test waits for.
  sanitizeResources: false,
  async fn() {
    const r = await fuzz({ seed: 1, inputs: INPUTS, workers: 1, slowMs: 5000, hangMs: 60_000 });
    const text = formatReport(r);
    console.log(text);
    assert.equal(r.done, INPUTS, text);
    assert.deepEqual(r.bad, [], text);
    // Both outcomes and many codes show up: the mutations reach deep.
    assert.ok((r.outcomes.ok ?? 0) > INPUTS / 50, text);
    assert.ok(Object.keys(r.codes).length >= 10, text);
  },
});
