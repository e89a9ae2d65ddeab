import assert from "node:assert/strict";
import type { Event } from "../../src/events/mod.ts";
import { Reader } from "../../src/reader/mod.ts";
import { decodeRaw, encodeBinary, parseText } from "../../src/wire/text.ts";
import { Ev } from "../../src/wire/spec.ts";
import { TraceError } from "../../src/trace_error.ts";
import { DEMO, type TestTrace, textWithComments, TRACES } from "../../testdata/generate.ts";
import { TESTDATA, testdataBytes, testdataEvents } from "../helpers/read.ts";

const byName = new Map([...TRACES, DEMO].map((t) => [t.name, t]));

/** A compact description of an event: what happened, not where. */
function what(e: Event): string {
  switch (e.kind) {
    case "StateTransition": {
      const s = e.stateTransition();
      return `${s.resource.kind === "Goroutine" ? "G" : "P"}${s.resource.id} ${s.from}->${s.to}`;
    }
    case "RangeBegin":
    case "RangeActive":
    case "RangeEnd":
      return `${e.kind} ${e.range().name}`;
    case "TaskBegin":
    case "TaskEnd":
      return `${e.kind} ${e.task().id}`;
    case "RegionBegin":
    case "RegionEnd":
      return `${e.kind} ${e.region().type}`;
    case "Log":
      return `Log ${e.log().category}=${e.log().message}`;
    case "Metric":
      return `Metric ${e.metric().name}=${e.metric().value}`;
    case "Label":
      return `Label ${e.label().label}`;
    default:
      return e.kind;
  }
}

/** Where an event happened: its thread, P and goroutine. */
function where(e: Event): string {
  return `M${e.thread} P${e.proc} G${e.goroutine}`;
}

function whats(events: Event[]): string[] {
  return events.map(what);
}

function topFunc(e: Event): string | undefined {
  return e.stack?.frames[0]?.func;
}

function find(events: Event[], pred: (e: Event) => boolean, what = "event"): number {
  const i = events.findIndex(pred);
  assert.ok(i >= 0, `no ${what}`);
  return i;
}

const isType = (type: number) => (e: Event) => e.type === type;

Deno.test("testdata: committed files match generate.ts", () => {
  for (const t of [...TRACES, DEMO]) {
    const built = t.build();
    assert.deepEqual(
      testdataBytes(t.name),
      built.toBytes(),
      `${t.name}.trace is stale: regenerate`,
    );
    const text = Deno.readTextFileSync(new URL(`${t.name}.txt`, TESTDATA));
    assert.equal(text, textWithComments(t), `${t.name}.txt is stale: regenerate`);
    // The .txt (comments and all) is the same trace.
    assert.deepEqual(encodeBinary(parseText(text)), testdataBytes(t.name), t.name);
  }
  assert.ok(TRACES.length >= 22, `only ${TRACES.length} traces`);
});

Deno.test("testdata: every trace reads to the end, or fails as documented", () => {
  for (const t of [...TRACES, DEMO]) {
    if (t.failure) {
      assert.throws(() => testdataEvents(t.name), (e: unknown) => {
        assert.ok(e instanceof TraceError, `${t.name}: not a TraceError: ${e}`);
        assert.match(e.message, t.failure!, t.name);
        return true;
      });
      continue;
    }
    const events = testdataEvents(t.name);
    assert.equal(events[0].kind, "Sync", t.name);
    assert.equal(events.at(-1)!.kind, "Sync", t.name);
    for (let i = 1; i < events.length; i++) {
      assert.ok(events[i].time > events[i - 1].time, `${t.name}: time goes back at ${i}`);
    }
  }
});

Deno.test("syscall-simple: begin/end on the same P, with the syscall's stack", () => {
  const ev = testdataEvents("syscall-simple");
  assert.deepEqual(whats(ev), [
    "Sync",
    "P0 Undetermined->Running",
    "G1 Undetermined->Running",
    "G1 Running->Syscall",
    "G1 Syscall->Running",
    "G1 Running->Waiting",
    "Sync",
  ]);
  const begin = ev[3];
  assert.equal(begin.type, Ev.GoSyscallBegin);
  assert.equal(where(begin), "M0 P0 G1");
  assert.deepEqual(begin.stack!.frames.map((f) => f.func), [
    "syscall.read",
    "syscall.Read",
    "internal/poll.(*FD).Read",
    "main.readConfig",
    "main.main",
  ]);
  assert.deepEqual(begin.stack!.frames[0], {
    pc: 0x48c3a5,
    func: "syscall.read",
    file: "/usr/local/go/src/syscall/zsyscall_linux_amd64.go",
    line: 736,
  });
  assert.equal(begin.stateTransition().stack?.frames[3].func, "main.readConfig");
  assert.equal(begin.time, 1010);
  assert.equal(ev[4].time, 1050);
  assert.equal(where(ev[4]), "M0 P0 G1"); // the syscall ends still holding P0
  assert.equal(ev[5].stateTransition().reason, "chan receive");
  assert.equal(topFunc(ev[5]), "runtime.chanrecv1");
});

Deno.test("syscall-steal: M1 steals P0; G1 exits the syscall without a P, M0 restarts P0", () => {
  const ev = testdataEvents("syscall-steal");
  const steal = find(ev, isType(Ev.ProcSteal), "ProcSteal");
  assert.deepEqual(whats(ev.slice(steal - 1)), [
    "G1 Running->Syscall",
    "P0 Running->Idle",
    "G1 Syscall->Runnable",
    "P0 Idle->Running",
    "G1 Runnable->Running",
    "Sync",
  ]);
  assert.equal(where(ev[steal]), "M1 P1 G2");
  assert.deepEqual(ev[steal].stateTransition().resource, { kind: "Proc", id: 0 });
  assert.equal(ev[steal + 1].type, Ev.GoSyscallEndBlocked);
  assert.equal(where(ev[steal + 1]), "M0 P-1 G1");
  assert.equal(where(ev[steal + 2]), "M0 P-1 G-1");
  assert.equal(where(ev[steal + 3]), "M0 P0 G-1");
});

Deno.test("syscall-steal-ambiguous: the steal binds to the second syscall by p_seq", () => {
  const ev = testdataEvents("syscall-steal-ambiguous");
  const begins = ev.flatMap((e, i) => e.type === Ev.GoSyscallBegin ? [i] : []);
  assert.equal(begins.length, 2);
  const end = find(ev, isType(Ev.GoSyscallEnd));
  const steal = find(ev, isType(Ev.ProcSteal));
  const blocked = find(ev, isType(Ev.GoSyscallEndBlocked));
  assert.ok(begins[0] < end && end < begins[1], "first syscall completes undisturbed");
  assert.equal(steal, begins[1] + 1, "ProcSteal right after the second GoSyscallBegin");
  assert.equal(blocked, steal + 1, "and right before GoSyscallEndBlocked");
  // Its own timestamp (1005) predates both syscalls; the reader keeps time monotonic.
  assert.ok(ev[steal].time > ev[begins[1]].time);
  assert.equal(where(ev[steal]), "M1 P2 G2");
  assert.equal(what(ev[steal]), "P0 Running->Idle");
  assert.equal(topFunc(ev[begins[1]]), "syscall.write");
  assert.equal(where(ev[blocked]), "M0 P-1 G1");
});

Deno.test("syscall-bare-m: a bare M steals; the syscall exits on an M with no P", () => {
  const ev = testdataEvents("syscall-bare-m");
  const steal = find(ev, isType(Ev.ProcSteal));
  assert.equal(where(ev[steal]), "M1 P-1 G-1");
  assert.equal(what(ev[steal]), "P0 Running->Idle");
  const blocked = find(ev, isType(Ev.GoSyscallEndBlocked));
  assert.ok(steal < blocked);
  assert.equal(where(ev[blocked]), "M0 P-1 G1");
  assert.equal(what(ev[blocked]), "G1 Syscall->Runnable");
  assert.deepEqual(whats(ev.slice(blocked + 1)), [
    "P0 Idle->Running",
    "G1 Runnable->Running",
    "Sync",
  ]);
  assert.equal(ev[blocked + 1].thread, 2);
  assert.equal(where(ev[blocked + 2]), "M2 P0 G-1");
});

Deno.test("syscall-reacquire-new-proc: M0 takes P1 after P0 is stolen, G1 runs on P1", () => {
  const ev = testdataEvents("syscall-reacquire-new-proc");
  const i = find(ev, isType(Ev.ProcSteal));
  assert.deepEqual(whats(ev.slice(i)), [
    "P0 Running->Idle",
    "P1 Idle->Running",
    "G1 Syscall->Runnable",
    "G1 Runnable->Running",
    "Sync",
  ]);
  assert.equal(where(ev[i]), "M1 P2 G2");
  assert.equal(where(ev[i + 1]), "M0 P-1 G1"); // ProcStart while G1 is still in its syscall
  assert.equal(where(ev[i + 2]), "M0 P1 G1");
  assert.equal(where(ev[i + 3]), "M0 P1 G-1");
});

Deno.test("syscall-steal-gen-boundary: P0 abandoned in generation 2 and stolen by M1", () => {
  const ev = testdataEvents("syscall-steal-gen-boundary");
  const syncs = ev.flatMap((e, i) => e.kind === "Sync" ? [i] : []);
  assert.equal(syncs.length, 3);
  const gen2 = ev.slice(syncs[1]);
  // The P0 status emitted by M1 is shown in the context of M0, which holds P0.
  const status = find(
    gen2,
    (e) => e.type === Ev.ProcStatus && e.stateTransition().resource.id === 0,
  );
  assert.equal(where(gen2[status]), "M0 P0 G1");
  assert.equal(what(gen2[status]), "P0 Running->Running");
  const steal = find(gen2, isType(Ev.ProcSteal));
  assert.ok(status < steal);
  assert.equal(where(gen2[steal]), "M1 P1 G2");
  assert.equal(what(gen2[steal]), "P0 Running->Idle");
  const goStatus = find(
    gen2,
    (e) => e.type === Ev.GoStatus && e.stateTransition().resource.id === 1,
  );
  assert.equal(what(gen2[goStatus]), "G1 Syscall->Syscall");
  assert.equal(where(gen2.at(-2)!), "M0 P-1 G1");
  assert.equal(what(gen2.at(-2)!), "G1 Syscall->Runnable");
});

Deno.test("syscall-sitting-in-syscall: a goroutine in a syscall all along; bare steal", () => {
  const ev = testdataEvents("syscall-sitting-in-syscall");
  assert.deepEqual(whats(ev), [
    "Sync",
    "P0 Undetermined->Idle",
    "G1 Undetermined->Syscall",
    "P0 Idle->Idle",
    "Sync",
  ]);
  assert.equal(ev[2].thread, 1); // reported on the M it is blocked on
  assert.equal(where(ev[3]), "M0 P-1 G-1");
});

Deno.test("go-create-without-running-g: GoCreate on a P with no goroutine", () => {
  const ev = testdataEvents("go-create-without-running-g");
  const create = find(ev, isType(Ev.GoCreate));
  assert.equal(where(ev[create]), "M0 P0 G-1");
  const st = ev[create].stateTransition();
  assert.deepEqual(st.resource, { kind: "Goroutine", id: 5 });
  assert.equal(`${st.from}->${st.to}`, "NotExist->Runnable");
  assert.equal(st.stack?.frames[0].func, "main.worker"); // the new goroutine's start
  assert.equal(ev[create].stack, null); // created by no goroutine: no stack
  assert.equal(where(ev[create + 1]), "M0 P0 G-1");
  assert.equal(what(ev[create + 2]), "G5 Running->Runnable");
  assert.equal(ev[create + 2].stateTransition().reason, "preempted");
});

Deno.test("task-across-generations: TaskEnd keeps the name and parent of its TaskBegin", () => {
  const ev = testdataEvents("task-across-generations");
  const gen2 = ev.slice(ev.findIndex((e, i) => i > 0 && e.kind === "Sync"));
  const begins = ev.filter((e) => e.kind === "TaskBegin").map((e) => e.task());
  assert.deepEqual(begins, [
    { id: 2, parent: -1, type: "checkout" },
    { id: 3, parent: 2, type: "payment" },
  ]);
  const ends = gen2.filter((e) => e.kind === "TaskEnd").map((e) => e.task());
  assert.deepEqual(ends, [
    { id: 3, parent: 2, type: "payment" },
    { id: 2, parent: -1, type: "checkout" },
    { id: 9, parent: -1, type: "" },
  ]);
  assert.ok(gen2.filter((e) => e.kind === "TaskEnd").every((e) => where(e) === "M0 P0 G1"));
});

Deno.test("go126-end-of-generation: two generations, each closed by EndOfGeneration", () => {
  const raw = decodeRaw(testdataBytes("go126-end-of-generation"));
  assert.equal(raw.version, 26);
  const ends = raw.events.flatMap((e, i) => e.type === Ev.EndOfGeneration ? [i] : []);
  assert.equal(ends.length, 2);
  assert.equal(ends[1], raw.events.length - 1);
  assert.equal(raw.events[ends[0] - 1].type, Ev.String);
  const ev = testdataEvents("go126-end-of-generation");
  assert.deepEqual(whats(ev), [
    "Sync",
    "P0 Undetermined->Running",
    "G1 Undetermined->Running",
    "G1 Running->Waiting",
    "Sync",
    "P0 Running->Running",
    "G1 Waiting->Waiting",
    "G1 Waiting->Runnable",
    "G1 Runnable->Running",
    "G1 Running->NotExist",
    "Sync",
  ]);
  assert.deepEqual(ev.filter((e) => e.kind === "Sync").map((e) => e.sync().n), [1, 2, 3]);
  assert.ok(ev[0].sync().clockSnapshot);
  assert.ok(!ev.at(-1)!.sync().clockSnapshot);
});

Deno.test("go125-clock-snapshot: Sync events carry each generation's clock snapshot", () => {
  const ev = testdataEvents("go125-clock-snapshot");
  const syncs = ev.filter((e) => e.kind === "Sync");
  assert.equal(syncs.length, 3);
  const s1 = syncs[0].sync().clockSnapshot!;
  assert.equal(syncs[0].time, 1000);
  assert.deepEqual(
    [s1.trace, s1.mono, s1.wallSec, s1.wallNsec, s1.wall],
    [1000, 5_000_000, 1740755049, 123, "2025-02-28T15:04:09.000000123Z"],
  );
  const s2 = syncs[1].sync().clockSnapshot!;
  assert.deepEqual([s2.trace, s2.mono, s2.wallNsec], [2000, 5_001_000, 1123]);
  assert.equal(ev[1].time, 1005); // batch time 1000 + dt 5
  assert.equal(what(ev.at(-2)!), "G1 Running->Runnable");
  assert.equal(ev.at(-2)!.stateTransition().reason, "runtime.Gosched");
});

Deno.test("gc-stw: stop-the-world and GC mark phase ranges", () => {
  const ev = testdataEvents("gc-stw").filter((e) => e.kind.startsWith("Range"));
  assert.deepEqual(whats(ev), [
    "RangeBegin stop-the-world (GC sweep termination)",
    "RangeBegin GC concurrent mark phase",
    "RangeEnd stop-the-world (GC sweep termination)",
    "RangeBegin stop-the-world (GC mark termination)",
    "RangeEnd GC concurrent mark phase",
    "RangeEnd stop-the-world (GC mark termination)",
  ]);
  assert.deepEqual(ev[0].range().scope, { kind: "Goroutine", id: 1 });
  assert.equal(ev[1].range().scope.kind, "None");
  assert.equal(topFunc(ev[0]), "runtime.gcStart");
  assert.equal(topFunc(ev[1]), "runtime.GC");
  assert.equal(ev[5].stack, null);
});

Deno.test("mark-assist: active ranges in both generations, assists begun and ended", () => {
  const ev = testdataEvents("mark-assist");
  const ranges = ev.filter((e) => e.kind.startsWith("Range"));
  assert.deepEqual(ranges.map((e) => `${what(e)} ${JSON.stringify(e.range().scope)}`), [
    'RangeActive GC concurrent mark phase {"kind":"None","id":0}',
    'RangeActive GC mark assist {"kind":"Goroutine","id":2}',
    'RangeBegin GC mark assist {"kind":"Goroutine","id":1}',
    'RangeEnd GC mark assist {"kind":"Goroutine","id":1}',
    'RangeActive GC concurrent mark phase {"kind":"None","id":0}',
    'RangeActive GC mark assist {"kind":"Goroutine","id":2}',
    'RangeEnd GC mark assist {"kind":"Goroutine","id":2}',
    'RangeEnd GC concurrent mark phase {"kind":"None","id":0}',
  ]);
  // G2's assist is reported while G1 runs, and ended by G2 itself.
  assert.equal(where(ranges[1]), "M0 P0 G1");
  assert.equal(where(ranges[6]), "M0 P0 G2");
  assert.equal(topFunc(ranges[2]), "runtime.gcAssistAlloc");
});

Deno.test("regions-logs: task, nested regions and logs with their strings", () => {
  const ev = testdataEvents("regions-logs").filter((e) =>
    e.kind !== "StateTransition" && e.kind !== "Sync"
  );
  assert.deepEqual(whats(ev), [
    "TaskBegin 1",
    "RegionBegin validate",
    "Log orderID=A-1001",
    "RegionBegin charge",
    "Log =card declined, retrying",
    "RegionEnd charge",
    "RegionEnd validate",
    "RegionBegin flush",
    "RegionEnd flush",
    "TaskEnd 1",
  ]);
  assert.deepEqual(ev[0].task(), { id: 1, parent: -1, type: "order" });
  assert.deepEqual(ev[1].region(), { task: 1, type: "validate" });
  assert.deepEqual(ev[7].region(), { task: 0, type: "flush" });
  assert.deepEqual(ev[2].log(), { task: 1, category: "orderID", message: "A-1001" });
  assert.deepEqual(ev[9].task(), { id: 1, parent: -1, type: "order" });
  assert.equal(topFunc(ev[2]), "runtime/trace.Log");
  assert.ok(ev.every((e) => where(e) === "M0 P0 G1"));
});

Deno.test("labels: GC workers labelled on their own goroutines", () => {
  const labels = testdataEvents("labels").filter((e) => e.kind === "Label");
  assert.deepEqual(labels.map((e) => e.label()), [
    { label: "GC (dedicated)", resource: { kind: "Goroutine", id: 20 } },
    { label: "GC (idle)", resource: { kind: "Goroutine", id: 21 } },
  ]);
  assert.deepEqual(labels.map(where), ["M0 P0 G20", "M1 P1 G21"]);
});

Deno.test("cpu-samples: samples interleave by time with their M, P, G and stack", () => {
  const ev = testdataEvents("cpu-samples");
  assert.deepEqual(whats(ev).slice(3), [
    "StackSample",
    "StackSample",
    "StackSample",
    "G1 Running->Waiting",
    "Sync",
  ]);
  const samples = ev.filter((e) => e.kind === "StackSample");
  assert.deepEqual(samples.map((e) => e.time), [1020, 1050, 1080]);
  assert.deepEqual(samples.map(where), ["M0 P0 G1", "M1 P-1 G-1", "M0 P0 G1"]);
  assert.deepEqual(samples.map(topFunc), ["main.checksum", "runtime.scanobject", "main.checksum"]);
  assert.equal(samples[0].stack!.frames.length, 3);
});

Deno.test("block-unblock: reasons, the unblocker's context and stacks", () => {
  const ev = testdataEvents("block-unblock");
  const block = find(ev, isType(Ev.GoBlock));
  assert.equal(what(ev[block]), "G1 Running->Waiting");
  assert.equal(ev[block].stateTransition().reason, "chan receive");
  assert.equal(ev[block].stateTransition().stack?.frames[0].func, "runtime.chanrecv1");
  const unblock = find(ev, isType(Ev.GoUnblock));
  assert.equal(what(ev[unblock]), "G1 Waiting->Runnable");
  assert.equal(where(ev[unblock]), "M1 P1 G2");
  assert.equal(topFunc(ev[unblock]), "runtime.chansend1");
  assert.equal(ev[unblock].stateTransition().reason, "");
  assert.deepEqual(whats(ev.slice(unblock + 1)), [
    "G2 Running->Waiting",
    "G1 Runnable->Running",
    "G1 Running->Runnable",
    "Sync",
  ]);
  assert.equal(ev[unblock + 1].stateTransition().reason, "sync");
  assert.equal(topFunc(ev[unblock + 1]), "sync.(*Mutex).Lock");
  assert.equal(ev[unblock + 3].stateTransition().reason, "runtime.Gosched");
});

Deno.test("cgo-callback: a goroutine created in a syscall, run, and destroyed in one", () => {
  const ev = testdataEvents("cgo-callback");
  assert.deepEqual(whats(ev), [
    "Sync",
    "G4 NotExist->Syscall",
    "P0 Undetermined->Idle",
    "P0 Idle->Running",
    "G4 Syscall->Runnable",
    "G4 Runnable->Running",
    "G4 Running->Syscall",
    "P0 Running->Idle",
    "G4 Syscall->NotExist",
    "Sync",
  ]);
  assert.equal(where(ev[1]), "M0 P-1 G-1");
  assert.equal(where(ev[7]), "M0 P0 G4"); // the self-steal
  assert.equal(where(ev[8]), "M0 P-1 G4");
});

Deno.test("sweep-metrics: metric names and values, sweep ranges", () => {
  const ev = testdataEvents("sweep-metrics");
  assert.deepEqual(ev.filter((e) => e.kind === "Metric").map((e) => e.metric()), [
    { name: "/sched/gomaxprocs:threads", value: 4 },
    { name: "/memory/classes/heap/objects:bytes", value: 4194304 },
    { name: "/gc/heap/goal:bytes", value: 8388608 },
  ]);
  const ranges = ev.filter((e) => e.kind.startsWith("Range"));
  assert.deepEqual(ranges.map((e) => [e.kind, e.range().name, e.range().scope]), [
    ["RangeActive", "GC incremental sweep", { kind: "Proc", id: 1 }],
    ["RangeBegin", "GC incremental sweep", { kind: "Proc", id: 0 }],
    ["RangeEnd", "GC incremental sweep", { kind: "Proc", id: 0 }],
  ]);
  assert.match(ranges[2].toString(), /"bytes swept"=Value\{Uint64\(8192\)\}/);
  assert.match(ranges[2].toString(), /"bytes reclaimed"=Value\{Uint64\(4096\)\}/);
  assert.equal(topFunc(ev.find((e) => e.kind === "Metric")!), "runtime.startTheWorld");
});

Deno.test("go123-coroutines: each switch is block (or destroy), unblock and start", () => {
  const ev = testdataEvents("go123-coroutines");
  assert.deepEqual(whats(ev.slice(3)), [
    "G2 NotExist->Waiting",
    "G2 Waiting->Runnable",
    "G1 Running->Waiting",
    "G2 Runnable->Running",
    "G1 Waiting->Runnable",
    "G2 Running->Waiting",
    "G1 Runnable->Running",
    "G2 Waiting->Runnable",
    "G1 Running->Waiting",
    "G2 Runnable->Running",
    "G1 Waiting->Runnable",
    "G2 Running->NotExist",
    "G1 Runnable->Running",
    "Sync",
  ]);
  assert.equal(ev[3].stateTransition().stack?.frames[0].func, "iter.Pull[...].func1");
});

Deno.test("go123-status-stack: a waiting goroutine's status carries its stack", () => {
  const ev = testdataEvents("go123-status-stack");
  const st = ev[3].stateTransition();
  assert.equal(what(ev[3]), "G7 Undetermined->Waiting");
  assert.deepEqual(st.stack?.frames.map((f) => f.func), ["runtime.chansend1", "main.worker"]);
  assert.equal(what(ev[4]), "G7 Waiting->Runnable");
});

Deno.test("goroutine-lifecycle: create, run, preempt, statuses per generation, exit", () => {
  const ev = testdataEvents("goroutine-lifecycle");
  assert.deepEqual(whats(ev), [
    "Sync",
    "P0 Undetermined->Running",
    "G1 Undetermined->Running",
    "G2 NotExist->Runnable",
    "G1 Running->Waiting",
    "G2 Runnable->Running",
    "G2 Running->Runnable",
    "Sync",
    "P0 Running->Running",
    "G1 Waiting->Waiting",
    "G2 Runnable->Runnable",
    "G2 Runnable->Running",
    "G2 Running->NotExist",
    "P0 Running->Idle",
    "Sync",
    "P0 Idle->Idle",
    "G1 Waiting->Waiting",
    "Sync",
  ]);
  assert.equal(topFunc(ev[3]), "main.main"); // where the go statement is
  assert.equal(ev[3].stateTransition().stack?.frames[0].func, "main.worker");
  assert.deepEqual(ev.filter((e) => e.kind === "Sync").map((e) => e.time), [
    1000,
    2000,
    3000,
    3003,
  ]);
});

Deno.test("go123-allocfree: experimental events and the experimental batch", () => {
  const ev = testdataEvents("go123-allocfree");
  assert.deepEqual(
    ev.filter((e) => e.kind === "Experimental").map((e) => e.type),
    [Ev.SpanAlloc, Ev.HeapObjectAlloc, Ev.HeapObjectFree],
  );
  const batches = ev[0].sync().experimentalBatches;
  assert.deepEqual(batches, {
    AllocFree: [{ thread: -1, data: Uint8Array.of(0x01, 0x80, 0x40, 0x08) }],
  });
});

Deno.test("failing traces: the events before the error, then the error", () => {
  const cases: [string, string[]][] = [
    ["fail-go-start-missing", ["Sync", "P0 Undetermined->Running"]],
    ["fail-no-proc", ["Sync"]],
    ["fail-new-goroutine-status", [
      "Sync",
      "P0 Undetermined->Running",
      "G1 Undetermined->Running",
      "Sync",
      "P0 Running->Running",
      "G1 Running->Running",
    ]],
  ];
  for (const [name, before] of cases) {
    const t: TestTrace = byName.get(name)!;
    const r = Reader.fromBytes(testdataBytes(name));
    const got: string[] = [];
    assert.throws(() => {
      for (let e = r.readEvent(); e; e = r.readEvent()) got.push(what(e));
    }, t.failure!);
    assert.deepEqual(got, before, name);
  }
});

Deno.test("demo: three generations of a small web shop", () => {
  const ev = testdataEvents("demo");
  assert.equal(ev.length, 112);
  const syncs = ev.filter((e) => e.kind === "Sync");
  assert.equal(syncs.length, 4);
  assert.deepEqual(
    syncs.slice(0, 3).map((e) => e.sync().clockSnapshot?.wall),
    [
      "2026-03-14T09:26:53.251Z",
      "2026-03-14T09:26:53.252Z",
      "2026-03-14T09:26:53.253Z",
    ],
  );
  // Goroutines and Ps that appear.
  const gs = new Set<number>();
  const ps = new Set<number>();
  for (const e of ev.filter((e) => e.kind === "StateTransition")) {
    const r = e.stateTransition().resource;
    (r.kind === "Goroutine" ? gs : ps).add(r.id);
  }
  assert.deepEqual([...gs].sort((a, b) => a - b), [1, 2, 3, 10, 11, 12, 20]);
  assert.deepEqual([...ps].sort(), [0, 1, 2, 3]);
  // The order task spans all three generations.
  const gen = (e: Event) => syncs.filter((s) => s.time <= e.time).length;
  const begin = ev.find((e) => e.kind === "TaskBegin")!;
  const end = ev.find((e) => e.kind === "TaskEnd")!;
  assert.deepEqual([gen(begin), gen(end)], [1, 3]);
  assert.deepEqual(end.task(), { id: 1, parent: -1, type: "order" });
  assert.deepEqual(
    whats(ev.filter((e) => e.kind.startsWith("Region") || e.kind === "Log")),
    [
      "RegionBegin validate",
      "Log orderID=A-1001",
      "RegionEnd validate",
      "RegionBegin charge card",
      "Log payment=approved",
      "RegionEnd charge card",
      "Log items=3",
      "Log status=shipped",
    ],
  );
  // Sysmon (M4, no P) steals P0 twice, each time from a goroutine blocked in a syscall.
  const steals = ev.flatMap((e, i) => e.type === Ev.ProcSteal ? [i] : []);
  assert.equal(steals.length, 2);
  for (const i of steals) {
    assert.equal(where(ev[i]), "M4 P-1 G-1");
    assert.equal(what(ev[i]), "P0 Running->Idle");
    const before = ev.slice(0, i).findLast((e) => e.thread === 0)!;
    assert.equal(before.type, Ev.GoSyscallBegin);
    const after = ev.slice(i + 1).find((e) => e.thread === 0)!;
    assert.equal(after.type, Ev.GoSyscallEndBlocked);
    assert.equal(after.proc, -1);
  }
  // One GC cycle with its stop-the-world phases, a mark assist and a sweep.
  assert.deepEqual(
    whats(ev.filter((e) => e.kind === "RangeBegin")),
    [
      "RangeBegin stop-the-world (start trace)",
      "RangeBegin stop-the-world (GC sweep termination)",
      "RangeBegin GC concurrent mark phase",
      "RangeBegin GC mark assist",
      "RangeBegin stop-the-world (GC mark termination)",
      "RangeBegin GC incremental sweep",
    ],
  );
  assert.equal(ev.filter((e) => e.kind === "RangeEnd").length, 6);
  assert.deepEqual(ev.filter((e) => e.kind === "Label").map((e) => e.label().label), [
    "GC (dedicated)",
  ]);
  assert.equal(ev.filter((e) => e.kind === "StackSample").length, 4);
  // Every stack resolves to named frames.
  for (const e of ev) {
    for (const f of e.stack?.frames ?? []) assert.ok(f.func && f.file && f.line > 0, e.toString());
  }
});
