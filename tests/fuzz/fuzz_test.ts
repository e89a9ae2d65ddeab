// The fuzzer's short budget: 20,000 mutated traces (every seed cut at every
// batch boundary, then random mutations), each read in a worker process with
// a capped heap and watched for hangs. None may crash, hang, run away, break
// an invariant or let anything but a TraceError out. `deno task fuzz` runs
// the long budget.
import assert from "node:assert/strict";
import { formatReport, fuzz } from "./driver.ts";
import { Inputs, loadSeeds } from "./seeds.ts";
import { checkInput } from "./check.ts";
import { makeInput } from "./mutate.ts";
import { TraceBuilder } from "../../testing.ts";

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
    const v = checkInput(s.bytes, { stepper: true, queries: true, lane: true });
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

// Inputs the fuzzer found, cut down. Each must read or fail with a TraceError.
const FOUND: { name: string; bytes: () => Uint8Array; known?: string }[] = [
  {
    // M 2^64-2 is -2 as a number, the "no M yet" mark of the ordering
    // engine's last-M cache (src/order/rules.ts): a TypeError.
    name: "an M id of 2^64-2",
    bytes: () => {
      const t = new TraceBuilder(22);
      t.generation(1).batch(-2, 100)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: 1 })
        .event("GoStatus", { dt: 0, g: 1, m: -2, gstatus: 2 });
      return t.toBytes();
    },
  },
  {
    // A zero frequency made every time NaN (Go's int64 conversion bumps them instead).
    name: "a zero frequency",
    bytes: () => {
      const t = new TraceBuilder(22);
      t.generation(1).frequency(0).batch(0, 100)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: 1 })
        .event("GoStatus", { dt: 5, g: 1, m: 0, gstatus: 2 });
      return t.toBytes();
    },
  },
];

for (const f of FOUND) {
  Deno.test({
    name: `fuzz: found: ${f.name}`,
    ignore: f.known !== undefined,
    fn() {
      const v = checkInput(f.bytes(), { stepper: true, queries: true, lane: true });
      assert.ok(v.outcome === "ok" || v.outcome === "error", `${v.outcome}: ${v.detail}`);
    },
  });
}

Deno.test({
  name: "fuzz: the driver names the input a worker hangs or dies on, and goes on",
  sanitizeResources: false,
  async fn() {
    const r = await fuzz({
      seed: 1,
      inputs: 60,
      chunk: 25,
      hangMs: 1500,
      sabotage: { hangAt: 20, dieAt: 45 },
    });
    assert.equal(r.done, 60, formatReport(r));
    assert.deepEqual(r.bad.map((b) => [b.i, b.kind]), [[20, "hang"], [45, "died"]]);
    assert.equal(r.outcomes.hang, 1);
    assert.equal(r.outcomes.died, 1);
  },
});
