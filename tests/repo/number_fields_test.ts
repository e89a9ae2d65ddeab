// The numbers read and written for every event stay numbers in V8. Deno emits
// a class field declared without a value, and every field of a class with
// constructor parameter properties, as a field that starts undefined; V8 then
// keeps it tagged and boxes each double written to it (an allocation and a
// write barrier per event: the perf trace read 25% slower). V8 reports each
// field representation it widens (--trace-generalization): a read of a small
// trace must widen none of the per-event classes' number fields to tagged.
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url);
const READ = `
import { Reader } from "./mod.ts";
const r = await Reader.open(new URL("./testdata/demo.trace", import.meta.url));
console.error("events=" + (await r.scan(() => {})) + "=");
`;

// The files whose classes hold an event's numbers or the state each event updates.
const HOT = ["wire/cursor.ts", "events/event.ts", "order/rules.ts", "order/engine.ts"];

Deno.test("per-event classes keep their number fields as numbers (no tagged fields)", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--v8-flags=--trace-generalization", READ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text.slice(-2000));
  const lines = text.split("\n");
  // The read itself ran, and V8 reported generalizations at all (the flag works).
  assert.ok(Number(/events=(\d+)=/.exec(text)?.[1]) > 10, "events counted");
  assert.ok(lines.some((l) => l.startsWith("[generalizing]")), "V8 traced field generalizations");
  const tagged = lines.filter((l) =>
    l.startsWith("[generalizing]") && /->t\{/.test(l) && HOT.some((f) => l.includes(`src/${f}`))
  );
  assert.deepEqual(tagged, []);
});
