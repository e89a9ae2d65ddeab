// The ordering engine's fast lane (the common start/stop/block/unblock and
// syscall begin/end events on the M's state directly) must change nothing: every trace we have
// reads the same, event for event and error for error, with it turned off.
import assert from "node:assert/strict";
import { type Event, Reader, TraceError } from "../../mod.ts";
import { encodeBinary, parseText } from "../../testing.ts";
import { conformanceCases, CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { TESTDATA, testdataTraces } from "../helpers/read.ts";
import { laneDifference } from "../fuzz/check.ts";

const HOT = new Set(["GoStart", "GoStop", "GoBlock", "GoUnblock"]);
const SYSCALL = new Set(["GoSyscallBegin", "GoSyscallEnd"]);
let syscalls = 0;

/** Reads `bytes` with the lane and without it; the start/stop/block/unblock count. */
function assertSame(name: string, bytes: Uint8Array): number {
  const events: Event[] = [];
  let code: string | undefined;
  try {
    const r = Reader.fromBytes(bytes);
    for (let ev = r.readEvent(); ev; ev = r.readEvent()) events.push(ev);
  } catch (e) {
    assert.ok(e instanceof TraceError, String(e));
    code = e.code;
  }
  const d = laneDifference(bytes, undefined, events, code);
  if (d !== null) assert.fail(`${name}: ${d}`);
  syscalls += events.filter((e) => SYSCALL.has(e.typeName)).length;
  return events.filter((e) => HOT.has(e.typeName)).length;
}

Deno.test("fast lane: every testdata trace reads the same without it", () => {
  const names = testdataTraces();
  assert.ok(names.length >= 20, `only ${names.length} testdata traces`);
  let hot = 0;
  for (const name of names) {
    const bytes = Deno.readFileSync(new URL(name, TESTDATA));
    if (Reader.fromBytes(bytes).legacy) continue;
    hot += assertSame(name, bytes);
  }
  assert.ok(
    hot >= 40,
    `only ${hot} start/stop/block/unblock events: the lane was hardly exercised`,
  );
});

Deno.test("fast lane: conformance cases (passing and failing) read the same without it", () => {
  if (!corpusAvailable()) {
    console.warn("\n*** SKIPPED: ../shared/corpus is missing\n");
    return;
  }
  const cases = conformanceCases();
  assert.ok(cases.length >= 20);
  for (const c of cases) assertSame(c.name, encodeBinary(parseText(c.trace)));
});

Deno.test("fast lane: real go1.22+ traces read the same without it", () => {
  if (!corpusAvailable()) {
    console.warn("\n*** SKIPPED: ../shared/corpus is missing\n");
    return;
  }
  let traces = 0;
  let hot = 0;
  for (const v of ["go1.22", "go1.23", "go1.25"]) {
    for (const e of Deno.readDirSync(`${CORPUS_DIR}/real/${v}`)) {
      if (!e.name.endsWith(".trace")) continue;
      hot += assertSame(`${v}/${e.name}`, Deno.readFileSync(`${CORPUS_DIR}/real/${v}/${e.name}`));
      traces++;
    }
  }
  assert.ok(traces >= 30, `only ${traces} real traces`);
  assert.ok(hot > 100_000, `only ${hot} start/stop/block/unblock events`);
  assert.ok(syscalls > 1_000, `only ${syscalls} syscall begin/end events`);
});
