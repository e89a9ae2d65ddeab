import assert from "node:assert/strict";
import { type Frame, TraceBuilder } from "../../src/wire/builder.ts";
import { decodeRaw, parseText } from "../../src/wire/text.ts";
import { encodedSize, type RawTrace } from "../../src/wire/raw.ts";
import { Ev, MAX_BATCH_SIZE, WireGoStatus, WireProcStatus } from "../../src/wire/spec.ts";
import { conformanceCases, corpusAvailable } from "../helpers/corpus.ts";

const MAIN: Frame = { pc: 0x401000, func: "main.main", file: "/app/main.go", line: 12 };
const WORK: Frame = { pc: 0x401200, func: "main.work", file: "/app/main.go", line: 30 };

/** Every batch header's size against the bytes that follow it. */
function assertSizes(raw: RawTrace): void {
  let header: number[] | null = null;
  let actual = 0;
  const check = () => {
    if (header) assert.equal(header[3], actual, `batch ${header.join(",")}`);
  };
  for (const ev of raw.events) {
    if (
      ev.type === Ev.EventBatch || ev.type === Ev.ExperimentalBatch ||
      ev.type === Ev.EndOfGeneration
    ) {
      check();
      header = ev.type === Ev.EventBatch ? ev.args : null;
      actual = 0;
    } else {
      actual += encodedSize(ev);
    }
  }
  check();
}

function ambiguousSteal(): TraceBuilder {
  const t = new TraceBuilder(22);
  const g = t.generation(1).frequency(15625000, { time: 0 });
  g.batch(0, 0)
    .event("ProcStatus", { dt: 0, p: 0, pstatus: WireProcStatus.Running })
    .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: WireGoStatus.Running })
    .event("GoSyscallBegin", { dt: 0, p_seq: 1, stack: 0 })
    .event("GoSyscallEnd", { dt: 0 })
    .event("GoSyscallBegin", { dt: 0, p_seq: 2, stack: 0 })
    .event("GoSyscallEndBlocked", { dt: 0 });
  g.batch(1, 0)
    .event("ProcStatus", { dt: 0, p: 2, pstatus: WireProcStatus.Running })
    .event("GoStatus", { dt: 0, g: 2, m: 1, gstatus: WireGoStatus.Running })
    .event("ProcSteal", { dt: 0, p: 0, p_seq: 3, m: 0 });
  return t;
}

const AMBIGUOUS_TEXT = `Trace Go1.22
EventBatch gen=1 m=0 time=0 size=21
ProcStatus dt=0 p=0 pstatus=1
GoStatus dt=0 g=1 m=0 gstatus=2
GoSyscallBegin dt=0 p_seq=1 stack=0
GoSyscallEnd dt=0
GoSyscallBegin dt=0 p_seq=2 stack=0
GoSyscallEndBlocked dt=0
EventBatch gen=1 m=1 time=0 size=14
ProcStatus dt=0 p=2 pstatus=1
GoStatus dt=0 g=2 m=1 gstatus=2
ProcSteal dt=0 p=0 p_seq=3 m=0
EventBatch gen=1 m=18446744073709551615 time=0 size=5
Frequency freq=15625000
EventBatch gen=1 m=18446744073709551615 time=0 size=1
Stacks
EventBatch gen=1 m=18446744073709551615 time=0 size=1
Strings
`;

Deno.test("builder: reproduces a Go conformance case byte for byte", () => {
  assert.equal(ambiguousSteal().toText(), AMBIGUOUS_TEXT);
});

Deno.test({
  name: "builder: the expected text above is the corpus's own",
  ignore: !corpusAvailable(),
  fn() {
    const c = conformanceCases().find((c) => c.name === "go122-syscall-steal-proc-ambiguous.test");
    assert.equal(c?.trace, AMBIGUOUS_TEXT);
  },
});

Deno.test("builder: strings, stacks, default dt and at(), sizes", () => {
  const t = new TraceBuilder(22);
  const g = t.generation(1);
  g.batch(3, 100)
    .event("ProcStatus", { dt: 0, p: 0, pstatus: WireProcStatus.Running })
    .event("GoStatus", { dt: 0, g: 1, m: 3, gstatus: WireGoStatus.Running })
    .event("GoBlock", { reason_string: "sleep", stack: [WORK, MAIN] })
    .at(150)
    .event("ProcStop");
  assert.equal(
    t.toText(),
    `Trace Go1.22
EventBatch gen=1 m=3 time=100 size=15
ProcStatus dt=0 p=0 pstatus=1
GoStatus dt=0 g=1 m=3 gstatus=2
GoBlock dt=1 reason_string=1 stack=1
ProcStop dt=49
EventBatch gen=1 m=18446744073709551615 time=100 size=6
Frequency freq=1000000000
EventBatch gen=1 m=18446744073709551615 time=100 size=18
Stacks
Stack id=1 nframes=2
	pc=4198912 func=2 file=3 line=30
	pc=4198400 func=4 file=3 line=12
EventBatch gen=1 m=18446744073709551615 time=100 size=48
Strings
String id=1
	data="sleep"
String id=2
	data="main.work"
String id=3
	data="/app/main.go"
String id=4
	data="main.main"
`,
  );
  assertSizes(t.toRaw());
  assert.deepEqual(decodeRaw(t.toBytes()), t.toRaw());
  assert.deepEqual(parseText(t.toText()), t.toRaw());
});

Deno.test("builder: interning and explicit ids", () => {
  const g = new TraceBuilder(22).generation(1);
  assert.equal(g.str(""), 0);
  assert.equal(g.string(5, "five"), 5);
  assert.equal(g.str("five"), 5);
  assert.equal(g.str("six"), 6);
  assert.equal(g.string(5, "five"), 5); // same text again is fine
  assert.throws(() => g.string(5, "cinq"), /string 5 is already "five"/);
  assert.throws(() => g.string(0, "x"), /reserved/);
  assert.equal(g.stack([]), 0);
  const a = g.stack([MAIN]);
  assert.equal(g.stack([MAIN]), a);
  assert.notEqual(g.stack([WORK, MAIN]), a);
  assert.equal(g.stack(40, [WORK]), 40);
  assert.equal(g.stack([WORK]), 40);
  assert.equal(g.stack([{ ...WORK, line: 31 }]), 41);
  assert.throws(() => g.stack(40, [MAIN]), /stack 40 is already registered/);
});

Deno.test("builder: go1.25 writes a Sync batch with a clock snapshot first", () => {
  const t = new TraceBuilder(25);
  t.generation(1).frequency(1000000000, { time: 10, mono: 99, sec: 1740755049, nsec: 123 })
    .batch(1, 15).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running });
  const raw = t.toRaw();
  assert.deepEqual(raw.events.slice(0, 4), [
    { type: Ev.EventBatch, args: [1, -1, 10, 16] },
    { type: Ev.Sync, args: [] },
    { type: Ev.Frequency, args: [1000000000] },
    { type: Ev.ClockSnapshot, args: [0, 99, 1740755049, 123] },
  ]);
  assert.deepEqual(raw.events.slice(4, 6), [
    { type: Ev.EventBatch, args: [1, 1, 15, 4] },
    { type: Ev.ProcStatus, args: [1, 0, 1] },
  ]);
  assert.ok(!raw.events.some((e) => e.type === Ev.EndOfGeneration));
  assertSizes(raw);
});

Deno.test("builder: go1.26 ends every generation with a lone EndOfGeneration", () => {
  const t = new TraceBuilder(26);
  t.generation(1).batch(1, 5).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Idle });
  t.generation(2);
  const raw = t.toRaw();
  const ends = raw.events.flatMap((e, i) => e.type === Ev.EndOfGeneration ? [i] : []);
  assert.equal(ends.length, 2);
  assert.equal(ends[1], raw.events.length - 1);
  // A Strings batch comes right before each end; the next generation starts after it.
  assert.equal(raw.events[ends[0] - 1].type, Ev.Strings);
  assert.deepEqual(raw.events[ends[0] + 1].args.slice(0, 2), [2, -1]);
  // The empty generation's clock follows the last timestamp of the one before.
  assert.equal(raw.events[ends[0] + 1].args[2], 7);
  const bytes = t.toBytes();
  assert.equal(bytes[bytes.length - 1], Ev.EndOfGeneration);
  assert.deepEqual(decodeRaw(bytes), raw);
});

Deno.test("builder: each generation has one clock, one Stacks and one Strings batch", () => {
  for (const v of [22, 23, 25, 26]) {
    const t = new TraceBuilder(v);
    for (const gen of [1, 2, 3]) t.generation(gen).batch(0, gen * 10).event("ProcStop");
    const heads = t.toRaw().events.map((e, i, all) =>
      e.type === Ev.EventBatch ? `${e.args[0]}:${all[i + 1]?.type}` : ""
    ).filter(Boolean);
    const clock = v >= 25 ? Ev.Sync : Ev.Frequency;
    for (const gen of [1, 2, 3]) {
      for (const kind of [clock, Ev.Stacks, Ev.Strings]) {
        assert.equal(
          heads.filter((h) => h === `${gen}:${kind}`).length,
          1,
          `go1.${v} ${gen}:${kind}`,
        );
      }
    }
  }
});

Deno.test("builder: CPU samples, experimental batches, labels with strings", () => {
  const t = new TraceBuilder(23);
  const g = t.generation(1);
  g.batch(2, 50).event("ProcStatus", { dt: 0, p: 1, pstatus: WireProcStatus.Running })
    .event("GoStatus", { dt: 0, g: 7, m: 2, gstatus: WireGoStatus.Running })
    .event("GoLabel", { label_string: "GC (dedicated)" });
  g.cpuSample({ time: 52, m: 2, p: 1, g: 7, stack: [MAIN] });
  g.experimentalBatch(1, 2, 50, Uint8Array.of(1, 2, 3));
  const raw = t.toRaw();
  const cpu = raw.events.findIndex((e) => e.type === Ev.CPUSamples);
  assert.deepEqual(raw.events[cpu - 1], { type: Ev.EventBatch, args: [1, -1, 50, 7] });
  assert.deepEqual(raw.events[cpu + 1], { type: Ev.CPUSample, args: [52, 2, 1, 7, 1] });
  const exp = raw.events.find((e) => e.type === Ev.ExperimentalBatch);
  assert.deepEqual(exp, {
    type: Ev.ExperimentalBatch,
    args: [1, 1, 2, 50],
    data: Uint8Array.of(1, 2, 3),
  });
  assert.match(t.toText(), /^GoLabel dt=1 label_string=1$/m);
  assert.deepEqual(decodeRaw(t.toBytes()), raw);
  assertSizes(raw);
});

Deno.test("builder: large tables are split into batches under the size limit", () => {
  const t = new TraceBuilder(22);
  const g = t.generation(1);
  for (let i = 0; i < 2000; i++) g.str(`string number ${i} `.padEnd(40, "x"));
  const raw = t.toRaw();
  const strings = raw.events.filter((e, i) =>
    e.type === Ev.EventBatch && raw.events[i + 1].type === Ev.Strings
  );
  assert.ok(strings.length >= 2);
  assert.ok(strings.every((b) => b.args[3] <= MAX_BATCH_SIZE));
  assert.equal(raw.events.filter((e) => e.type === Ev.String).length, 2000);
  assertSizes(raw);
});

Deno.test("builder: raw events and overridden sizes for broken traces", () => {
  const t = new TraceBuilder(22);
  t.raw("EventBatch", [1, 0, 0, 5]).raw("Frequency", [15625000]);
  const g = t.generation(2).without("sync").without("stacks").without("strings");
  g.batch(0, 0).overrideSize(50).raw("GoCreate", [0, 1, 0, 0]);
  assert.equal(
    t.toText(),
    `Trace Go1.22
EventBatch gen=1 m=0 time=0 size=5
Frequency freq=15625000
EventBatch gen=2 m=0 time=0 size=50
GoCreate dt=0 new_g=1 new_stack=0 stack=0
`,
  );
});

Deno.test("builder: mistakes are errors", () => {
  const t = new TraceBuilder(22);
  const g = t.generation(1);
  const b = g.batch(0, 10);
  assert.throws(() => b.event("GoStrat", { g: 1, g_seq: 1 }), /unknown event "GoStrat" for go1.22/);
  assert.throws(() => b.event("GoSwitch", { g: 1, g_seq: 1 }), /unknown event "GoSwitch"/);
  assert.throws(
    () => b.event("GoStart", { g: 1, seq: 1 }),
    /GoStart has no argument "seq" \(it has dt, g, g_seq\)/,
  );
  assert.throws(() => b.event("GoStart", { g: 1 }), /GoStart needs argument "g_seq"/);
  assert.throws(() => b.event("GoStart", { g: "one", g_seq: 1 }), /GoStart.g takes a number/);
  assert.throws(() => b.event("GoStart", { g: [MAIN], g_seq: 1 }), /GoStart.g takes a number/);
  assert.throws(() => b.event("GoStart", { g: 1.5, g_seq: 1 }), /must be an integer/);
  assert.throws(() => b.event("Frequency", { freq: 1 }), /written by generation.frequency\(\)/);
  assert.throws(() => b.event("String", { id: 1 }), /written by generation.str\(\)/);
  assert.throws(() => b.at(5), /before the batch's last event/);
  assert.throws(() => b.at(20).event("ProcStop", { dt: 3 }), /both dt and at\(\)/);
  assert.throws(() => g.frequency(1, { mono: 5 }), /clock snapshots need go1.25/);
  g.frequency(1000);
  assert.throws(() => g.frequency(1000), /already has a frequency/);
  assert.throws(() => new TraceBuilder(21), /unsupported trace version go1.21/);
  assert.throws(() => g.experimentalBatch(1, 0, 0, new Uint8Array()), /go1.23 or later/);
  assert.throws(() => b.raw("Stack", [1, 1]), /Stack needs|argument/);
});
