/**
 * The project's own small test traces, written with the TraceBuilder.
 * `deno run --allow-write testdata/generate.ts` (re)writes, for each one,
 * `testdata/NAME.trace` (binary) and `testdata/NAME.txt` (the same trace in
 * the textual format, with its description as `#` comments), plus
 * `testdata/demo.trace`/`demo.txt` (see demo.ts).
 *
 * Timestamps are in nanoseconds (every generation's frequency is 1e9) and
 * each scenario is explained where it is built.
 *
 * @module
 */

import { type Frame, TraceBuilder } from "../src/wire/builder.ts";
import { WireGoStatus, WireProcStatus } from "../src/wire/spec.ts";
import { buildDemo } from "./demo.ts";

/**
 * One test trace: its file name (without extension), what it shows, the
 * error it must fail with (if it is a broken trace), and how to build it.
 *
 * @example
 * ```ts
 * import { TRACES } from "./generate.ts";
 * const t = TRACES.find((t) => t.name === "syscall-simple")!;
 * console.assert(t.build().toBytes().length > 16);
 * ```
 */
export interface TestTrace {
  /** File name without extension. */
  name: string;
  /** One or two sentences: the scenario and what a reader must make of it. */
  description: string;
  /** For a broken trace: what the reader's error message must match. */
  failure?: RegExp;
  /** Builds the trace. */
  build: () => TraceBuilder;
}

const GOROOT = "/usr/local/go/src";
const APP = "/home/dev/shop";

function frame(pc: number, func: string, file: string, line: number): Frame {
  return { pc, func, file, line };
}

/** Stacks with real-looking frames, innermost first. */
const STK = {
  main: [frame(0x4a2f10, "main.main", `${APP}/main.go`, 42)],
  read: [
    frame(0x48c3a5, "syscall.read", `${GOROOT}/syscall/zsyscall_linux_amd64.go`, 736),
    frame(0x49b1e7, "syscall.Read", `${GOROOT}/syscall/syscall_unix.go`, 183),
    frame(0x49f0c2, "internal/poll.(*FD).Read", `${GOROOT}/internal/poll/fd_unix.go`, 165),
    frame(0x4a3120, "main.readConfig", `${APP}/config.go`, 27),
    frame(0x4a2f44, "main.main", `${APP}/main.go`, 48),
  ],
  write: [
    frame(0x48c6ba, "syscall.write", `${GOROOT}/syscall/zsyscall_linux_amd64.go`, 964),
    frame(0x49b3f3, "syscall.Write", `${GOROOT}/syscall/syscall_unix.go`, 211),
    frame(0x4a3388, "main.(*logger).flush", `${APP}/log.go`, 61),
  ],
  chanrecv: [
    frame(0x40a8d2, "runtime.chanrecv1", `${GOROOT}/runtime/chan.go`, 489),
    frame(0x4a2fa0, "main.main", `${APP}/main.go`, 57),
  ],
  chansend: [
    frame(0x40a1c7, "runtime.chansend1", `${GOROOT}/runtime/chan.go`, 161),
    frame(0x4a34d5, "main.worker", `${APP}/worker.go`, 33),
  ],
  mutex: [
    frame(0x4684e5, "sync.(*Mutex).Lock", `${GOROOT}/sync/mutex.go`, 90),
    frame(0x4a3601, "main.(*cache).get", `${APP}/cache.go`, 18),
  ],
  goWorker: [frame(0x4a34a0, "main.worker", `${APP}/worker.go`, 21)],
  goStatement: [frame(0x4a2f88, "main.main", `${APP}/main.go`, 53)],
  task: [
    frame(0x4ae1c5, "runtime/trace.NewTask", `${GOROOT}/runtime/trace/annotation.go`, 83),
    frame(0x4a3705, "main.handleOrder", `${APP}/orders.go`, 40),
  ],
  region: [
    frame(0x4ae5a0, "runtime/trace.StartRegion", `${GOROOT}/runtime/trace/annotation.go`, 162),
    frame(0x4a3755, "main.handleOrder", `${APP}/orders.go`, 44),
  ],
  log: [
    frame(0x4ae3f1, "runtime/trace.Log", `${GOROOT}/runtime/trace/annotation.go`, 125),
    frame(0x4a3790, "main.handleOrder", `${APP}/orders.go`, 47),
  ],
  gc: [
    frame(0x41d1b0, "runtime.GC", `${GOROOT}/runtime/mgc.go`, 479),
    frame(0x4a2fc8, "main.main", `${APP}/main.go`, 61),
  ],
  stw: [
    frame(0x41d5e2, "runtime.gcStart", `${GOROOT}/runtime/mgc.go`, 710),
    frame(0x41d1b0, "runtime.GC", `${GOROOT}/runtime/mgc.go`, 479),
  ],
  assist: [
    frame(0x420a31, "runtime.gcAssistAlloc", `${GOROOT}/runtime/mgcmark.go`, 519),
    frame(0x412f70, "runtime.mallocgc", `${GOROOT}/runtime/malloc.go`, 1167),
    frame(0x4a3820, "main.buildIndex", `${APP}/index.go`, 72),
  ],
  sweep: [
    frame(0x424c11, "runtime.(*mheap).alloc", `${GOROOT}/runtime/mheap.go`, 964),
    frame(0x412f70, "runtime.mallocgc", `${GOROOT}/runtime/malloc.go`, 1167),
  ],
  gomaxprocs: [
    frame(0x4592a3, "runtime.startTheWorld", `${GOROOT}/runtime/proc.go`, 1514),
    frame(0x4a2f20, "main.main", `${APP}/main.go`, 44),
  ],
  cpuHot: [
    frame(0x4a3900, "main.checksum", `${APP}/hash.go`, 12),
    frame(0x4a3990, "main.verify", `${APP}/hash.go`, 30),
    frame(0x4a2f44, "main.main", `${APP}/main.go`, 48),
  ],
  cpuRuntime: [frame(0x416e20, "runtime.scanobject", `${GOROOT}/runtime/mgcmark.go`, 1446)],
  iterPull: [
    frame(0x4a1020, "iter.Pull[...].func1", `${GOROOT}/iter/iter.go`, 69),
    frame(0x4a3a10, "main.consume", `${APP}/iter.go`, 15),
  ],
} satisfies Record<string, Frame[]>;

const { Running: P_RUNNING, Idle: P_IDLE, SyscallAbandoned: P_ABANDONED } = WireProcStatus;
const { Running: G_RUNNING, Runnable: G_RUNNABLE, Waiting: G_WAITING, Syscall: G_SYSCALL } =
  WireGoStatus;

/**
 * Every test trace except the demo.
 *
 * @example
 * ```ts
 * import { TRACES } from "./generate.ts";
 * console.assert(TRACES.filter((t) => t.failure).every((t) => t.name.startsWith("fail-")));
 * ```
 */
export const TRACES: TestTrace[] = [
  {
    name: "syscall-simple",
    description: "G1 on P0/M0 makes a syscall that returns quickly: no steal, P0 stays with M0.",
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("GoSyscallBegin", { p_seq: 1, stack: STK.read })
        .at(1050).event("GoSyscallEnd")
        .at(1060).event("GoBlock", { reason_string: "chan receive", stack: STK.chanrecv });
      return t;
    },
  },
  {
    name: "syscall-steal",
    description: "G1 blocks in a syscall on P0/M0; M1 (running G2 on P1) steals P0; the syscall " +
      "returns blocked, and M0 gets P0 back with ProcStart to run G1 again.",
    build() {
      const t = new TraceBuilder(22);
      const g = t.generation(1);
      g.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("GoSyscallBegin", { p_seq: 1, stack: STK.read })
        .at(1050).event("GoSyscallEndBlocked")
        .at(1060).event("ProcStart", { p: 0, p_seq: 3 })
        .at(1070).event("GoStart", { g: 1, g_seq: 1 });
      g.batch(1, 1000)
        .event("ProcStatus", { dt: 0, p: 1, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 2, m: 1, gstatus: G_RUNNING })
        .at(1030).event("ProcSteal", { p: 0, p_seq: 2, m: 0 });
      return t;
    },
  },
  {
    name: "syscall-steal-ambiguous",
    description: "G1 makes two syscalls on P0; only the second loses P0 to a steal by M1. The " +
      "steal's timestamp (1005) is earlier than both syscalls, so only its p_seq (3: after the " +
      "second GoSyscallBegin's 2) binds it: it must come after the second GoSyscallBegin and " +
      "before GoSyscallEndBlocked.",
    build() {
      const t = new TraceBuilder(22);
      const g = t.generation(1);
      g.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("GoSyscallBegin", { p_seq: 1, stack: STK.read })
        .at(1020).event("GoSyscallEnd")
        .at(1030).event("GoSyscallBegin", { p_seq: 2, stack: STK.write })
        .at(1040).event("GoSyscallEndBlocked");
      g.batch(1, 1000)
        .event("ProcStatus", { dt: 0, p: 2, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 2, m: 1, gstatus: G_RUNNING })
        .at(1005).event("ProcSteal", { p: 0, p_seq: 3, m: 0 });
      return t;
    },
  },
  {
    name: "syscall-bare-m",
    description: "G1's P0 is stolen during a syscall by M1, a bare M (no P, no G, like sysmon). " +
      "G1's syscall returns with no P on M0 (GoSyscallEndBlocked), and M2 later takes P0 and runs G1.",
    build() {
      const t = new TraceBuilder(22);
      const g = t.generation(1);
      g.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("GoSyscallBegin", { p_seq: 1, stack: STK.read })
        .at(1040).event("GoSyscallEndBlocked");
      g.batch(1, 1020).event("ProcSteal", { dt: 0, p: 0, p_seq: 2, m: 0 });
      g.batch(2, 1050)
        .event("ProcStart", { dt: 0, p: 0, p_seq: 3 })
        .at(1060).event("GoStart", { g: 1, g_seq: 1 });
      return t;
    },
  },
  {
    name: "syscall-reacquire-new-proc",
    description: "G1 is in a syscall on P0 when M1 steals P0; M0 then acquires idle P1 " +
      "(ProcStart) before GoSyscallEndBlocked, and G1 continues on P1.",
    build() {
      const t = new TraceBuilder(22);
      const g = t.generation(1);
      g.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 1, pstatus: P_IDLE })
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("GoSyscallBegin", { p_seq: 1, stack: STK.read })
        .at(1030).event("ProcStart", { p: 1, p_seq: 1 })
        .at(1031).event("GoSyscallEndBlocked")
        .at(1032).event("GoStart", { g: 1, g_seq: 1 });
      g.batch(1, 1000)
        .event("ProcStatus", { dt: 0, p: 2, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 2, m: 1, gstatus: G_RUNNING })
        .at(1020).event("ProcSteal", { p: 0, p_seq: 2, m: 0 });
      return t;
    },
  },
  {
    name: "syscall-steal-gen-boundary",
    description: "G1 enters a syscall on P0 in generation 1; in generation 2, M1 reports P0 as " +
      "SyscallAbandoned and steals it; M0 reports G1 still in its syscall, which then returns blocked.",
    build() {
      const t = new TraceBuilder(22);
      const g1 = t.generation(1);
      g1.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("GoSyscallBegin", { p_seq: 1, stack: STK.read });
      g1.batch(1, 1000)
        .event("ProcStatus", { dt: 0, p: 1, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 2, m: 1, gstatus: G_RUNNING });
      const g2 = t.generation(2);
      g2.batch(1, 2000)
        .event("ProcStatus", { dt: 0, p: 1, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 2, m: 1, gstatus: G_RUNNING })
        .at(2002).event("ProcStatus", { p: 0, pstatus: P_ABANDONED })
        .at(2003).event("ProcSteal", { p: 0, p_seq: 1, m: 0 });
      g2.batch(0, 2001)
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_SYSCALL })
        .at(2010).event("GoSyscallEndBlocked");
      return t;
    },
  },
  {
    name: "syscall-sitting-in-syscall",
    description: "G1 has been in a syscall on M1 since before the trace started; M0 finds P0 " +
      "abandoned and steals it (a bare steal: the P was never seen running).",
    build() {
      const t = new TraceBuilder(22);
      const g = t.generation(1);
      g.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_ABANDONED })
        .at(1010).event("ProcSteal", { p: 0, p_seq: 1, m: 1 });
      g.batch(-1, 1000).event("GoStatus", { dt: 0, g: 1, m: 1, gstatus: G_SYSCALL });
      return t;
    },
  },
  {
    name: "go-create-without-running-g",
    description: "M0 holds P0 but runs no goroutine (the scheduler itself) and creates G5, then " +
      "starts it: GoCreate has no G in its context.",
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .at(1010).event("GoCreate", { new_g: 5, new_stack: STK.goWorker, stack: 0 })
        .at(1020).event("GoStart", { g: 5, g_seq: 1 })
        .at(1030).event("GoStop", { reason_string: "preempted", stack: 0 });
      return t;
    },
  },
  {
    name: "task-across-generations",
    description: 'Task 2 "checkout" (no parent) and its child task 3 "payment" begin in ' +
      "generation 1 and end in generation 2, whose string table does not have their names: the " +
      "TaskEnd events still report name and parent from the begin.",
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("UserTaskBegin", {
          task: 2,
          parent_task: 0,
          name_string: "checkout",
          stack: STK.task,
        })
        .at(1020).event("UserTaskBegin", {
          task: 3,
          parent_task: 2,
          name_string: "payment",
          stack: STK.task,
        });
      t.generation(2).batch(0, 2000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(2010).event("UserTaskEnd", { task: 3, stack: 0 })
        .at(2020).event("UserTaskEnd", { task: 2, stack: 0 })
        .at(2030).event("UserTaskEnd", { task: 9, stack: 0 }); // never began: no name, no parent
      return t;
    },
  },
  {
    name: "go126-end-of-generation",
    description: "A go1.26 trace of two generations, each closed by a lone EndOfGeneration " +
      "byte after its Strings batch; G1 blocks in generation 1 and is unblocked and run in 2.",
    build() {
      const t = new TraceBuilder(26);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("GoBlock", { reason_string: "sleep", stack: STK.main });
      t.generation(2).batch(0, 2000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_WAITING })
        .at(2010).event("GoUnblock", { g: 1, g_seq: 1, stack: 0 })
        .at(2020).event("GoStart", { g: 1, g_seq: 2 })
        .at(2030).event("GoDestroy");
      return t;
    },
  },
  {
    name: "go125-clock-snapshot",
    description: "A go1.25 trace: each generation opens with a Sync batch holding Frequency and " +
      "a ClockSnapshot (trace time, monotonic and wall clock), which the Sync events report.",
    build() {
      const t = new TraceBuilder(25);
      t.generation(1)
        .frequency(1_000_000_000, { time: 1000, mono: 5_000_000, sec: 1740755049, nsec: 123 })
        .batch(0, 1000)
        .event("ProcStatus", { dt: 5, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING });
      t.generation(2)
        .frequency(1_000_000_000, { time: 2000, mono: 5_001_000, sec: 1740755049, nsec: 1123 })
        .batch(0, 2000)
        .event("ProcStatus", { dt: 5, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(2010).event("GoStop", { reason_string: "runtime.Gosched", stack: STK.main });
      return t;
    },
  },
  {
    name: "gc-stw",
    description: "A GC cycle started by runtime.GC on G1: stop-the-world (GC sweep termination), " +
      "GCBegin, start-the-world, then stop-the-world (GC mark termination) around GCEnd.",
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("STWBegin", { kind_string: "GC sweep termination", stack: STK.stw })
        .at(1020).event("GCBegin", { gc_seq: 1, stack: STK.gc })
        .at(1030).event("STWEnd")
        .at(1100).event("STWBegin", { kind_string: "GC mark termination", stack: STK.gc })
        .at(1110).event("GCEnd", { gc_seq: 2 })
        .at(1120).event("STWEnd");
      return t;
    },
  },
  {
    name: "mark-assist",
    description: "During a GC cycle (in progress since before the trace: GCActive), G1 does a " +
      "mark assist (GCMarkAssistBegin/End) and waiting G2 is reported mid-assist " +
      "(GCMarkAssistActive) in both generations; G2 finishes its assist in generation 2.",
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .event("GoStatus", { dt: 0, g: 2, m: -1, gstatus: G_WAITING })
        .event("GCActive", { dt: 0, gc_seq: 4 })
        .event("GCMarkAssistActive", { dt: 0, g: 2 })
        .at(1010).event("GCMarkAssistBegin", { stack: STK.assist })
        .at(1050).event("GCMarkAssistEnd");
      const g2 = t.generation(2);
      g2.batch(0, 2000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .event("GoStatus", { dt: 0, g: 2, m: -1, gstatus: G_WAITING })
        .event("GCActive", { dt: 0, gc_seq: 5 })
        .event("GCMarkAssistActive", { dt: 0, g: 2 })
        .at(2010).event("GoUnblock", { g: 2, g_seq: 1, stack: 0 })
        .at(2020).event("GoBlock", { reason_string: "chan receive", stack: STK.chanrecv })
        .at(2030).event("GoStart", { g: 2, g_seq: 2 })
        .at(2040).event("GCMarkAssistEnd")
        .at(2050).event("GCEnd", { gc_seq: 6 });
      return t;
    },
  },
  {
    name: "regions-logs",
    description: 'G1 runs task 1 "order" with nested regions ("validate", "charge") and ' +
      "logs, a region in the background task (0), and ends the task.",
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("UserTaskBegin", {
          task: 1,
          parent_task: 0,
          name_string: "order",
          stack: STK.task,
        })
        .at(1020).event("UserRegionBegin", { task: 1, name_string: "validate", stack: STK.region })
        .at(1030).event("UserLog", {
          task: 1,
          key_string: "orderID",
          value_string: "A-1001",
          stack: STK.log,
        })
        .at(1040).event("UserRegionBegin", { task: 1, name_string: "charge", stack: STK.region })
        .at(1050).event("UserLog", {
          task: 1,
          key_string: "",
          value_string: "card declined, retrying",
          stack: STK.log,
        })
        .at(1060).event("UserRegionEnd", { task: 1, name_string: "charge", stack: STK.region })
        .at(1070).event("UserRegionEnd", { task: 1, name_string: "validate", stack: STK.region })
        .at(1080).event("UserRegionBegin", { task: 0, name_string: "flush", stack: STK.region })
        .at(1090).event("UserRegionEnd", { task: 0, name_string: "flush", stack: STK.region })
        .at(1100).event("UserTaskEnd", { task: 1, stack: STK.task });
      return t;
    },
  },
  {
    name: "labels",
    description: 'GC worker goroutines are labelled: G20 gets "GC (dedicated)" on P0 and G21 ' +
      '"GC (idle)" on P1, each when it starts running.',
    build() {
      const t = new TraceBuilder(22);
      const g = t.generation(1);
      g.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 20, m: -1, gstatus: G_RUNNABLE })
        .at(1010).event("GoStart", { g: 20, g_seq: 1 })
        .at(1011).event("GoLabel", { label_string: "GC (dedicated)" })
        .at(1050).event("GoBlock", { reason_string: "system goroutine wait", stack: 0 });
      g.batch(1, 1000)
        .event("ProcStatus", { dt: 0, p: 1, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 21, m: -1, gstatus: G_RUNNABLE })
        .at(1020).event("GoStart", { g: 21, g_seq: 1 })
        .at(1021).event("GoLabel", { label_string: "GC (idle)" })
        .at(1060).event("GoStop", { reason_string: "preempted", stack: 0 });
      return t;
    },
  },
  {
    name: "cpu-samples",
    description: "CPU profile samples interleave with the events by time: two in G1's code on " +
      "P0/M0 and one in the runtime on M1 with no P and no goroutine (g=0).",
    build() {
      const t = new TraceBuilder(22);
      const g = t.generation(1);
      g.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1100).event("GoBlock", { reason_string: "sleep", stack: STK.main });
      g.cpuSample({ time: 1020, m: 0, p: 0, g: 1, stack: STK.cpuHot })
        .cpuSample({ time: 1050, m: 1, p: -1, g: 0, stack: STK.cpuRuntime })
        .cpuSample({ time: 1080, m: 0, p: 0, g: 1, stack: STK.cpuHot });
      return t;
    },
  },
  {
    name: "block-unblock",
    description: "G1 blocks on a channel receive; G2 (on P1) unblocks it from a channel send and " +
      "later blocks on a mutex; G1 runs again on P0 and yields (runtime.Gosched).",
    build() {
      const t = new TraceBuilder(22);
      const g = t.generation(1);
      g.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("GoBlock", { reason_string: "chan receive", stack: STK.chanrecv })
        .at(1040).event("GoStart", { g: 1, g_seq: 2 })
        .at(1050).event("GoStop", { reason_string: "runtime.Gosched", stack: STK.main });
      g.batch(1, 1000)
        .event("ProcStatus", { dt: 0, p: 1, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 2, m: 1, gstatus: G_RUNNING })
        .at(1020).event("GoUnblock", { g: 1, g_seq: 1, stack: STK.chansend })
        .at(1030).event("GoBlock", { reason_string: "sync", stack: STK.mutex });
      return t;
    },
  },
  {
    name: "cgo-callback",
    description: "A C thread (M0) calls into Go: GoCreateSyscall makes G4 in a syscall, M0 " +
      "takes P0 to run it, G4 returns to C (GoSyscallBegin, P0 handed off by a self-steal) and " +
      "is destroyed with GoDestroySyscall.",
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("GoCreateSyscall", { dt: 0, new_g: 4 })
        .at(1010).event("ProcStatus", { p: 0, pstatus: P_IDLE })
        .at(1011).event("ProcStart", { p: 0, p_seq: 1 })
        .at(1012).event("GoSyscallEndBlocked")
        .at(1013).event("GoStart", { g: 4, g_seq: 1 })
        .at(1050).event("GoSyscallBegin", { p_seq: 2, stack: 0 })
        .at(1051).event("ProcSteal", { p: 0, p_seq: 3, m: 0 })
        .at(1052).event("GoDestroySyscall");
      return t;
    },
  },
  {
    name: "sweep-metrics",
    description: "Metrics (GOMAXPROCS via ProcsChange, heap alloc, heap goal) and sweeping: P1 " +
      "is mid-sweep at the start (GCSweepActive) and P0 sweeps a span (GCSweepBegin/End with " +
      "bytes swept and reclaimed).",
    build() {
      const t = new TraceBuilder(22);
      const g = t.generation(1);
      g.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("ProcStatus", { dt: 0, p: 1, pstatus: P_IDLE })
        .event("GCSweepActive", { dt: 0, p: 1 })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("ProcsChange", { procs_value: 4, stack: STK.gomaxprocs })
        .at(1020).event("HeapAlloc", { heapalloc_value: 4_194_304 })
        .at(1030).event("GCSweepBegin", { stack: STK.sweep })
        .at(1040).event("GCSweepEnd", { swept_value: 8192, reclaimed_value: 4096 })
        .at(1050).event("HeapGoal", { heapgoal_value: 8_388_608 });
      return t;
    },
  },
  {
    name: "go123-coroutines",
    description: "A go1.23 iter.Pull-style coroutine: G1 creates G2 blocked (GoCreateBlocked) " +
      "and switches to it (GoSwitch); they switch back and forth and G2 exits with " +
      "GoSwitchDestroy. Each switch reads as a block/destroy, an unblock and a start.",
    build() {
      const t = new TraceBuilder(23);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("GoCreateBlocked", { new_g: 2, new_stack: STK.iterPull, stack: STK.main })
        .at(1020).event("GoSwitch", { g: 2, g_seq: 1 }) // G1 -> G2
        .at(1030).event("GoSwitch", { g: 1, g_seq: 1 }) // G2 -> G1
        .at(1040).event("GoSwitch", { g: 2, g_seq: 2 }) // G1 -> G2
        .at(1050).event("GoSwitchDestroy", { g: 1, g_seq: 2 }); // G2 exits -> G1
      return t;
    },
  },
  {
    name: "go123-status-stack",
    description: "A go1.23 trace whose waiting goroutine's status comes with its stack " +
      "(GoStatusStack), as the runtime writes for goroutines blocked when tracing starts.",
    build() {
      const t = new TraceBuilder(23);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .event("GoStatusStack", { dt: 0, g: 7, m: -1, gstatus: G_WAITING, stack: STK.chansend })
        .at(1010).event("GoUnblock", { g: 7, g_seq: 1, stack: 0 });
      return t;
    },
  },
  {
    name: "goroutine-lifecycle",
    description: "Three generations: G1 creates G2 on P0 and blocks; G2 runs on P0 and is " +
      "preempted; in generation 2 (statuses re-emitted, seqs restart) G2 runs again and exits " +
      "and P0 stops; in generation 3 P0 is idle and G1 is still waiting.",
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("GoCreate", { new_g: 2, new_stack: STK.goWorker, stack: STK.goStatement })
        .at(1020).event("GoBlock", { reason_string: "chan receive", stack: STK.chanrecv })
        .at(1030).event("GoStart", { g: 2, g_seq: 1 })
        .at(1040).event("GoStop", { reason_string: "preempted", stack: STK.goWorker });
      t.generation(2).batch(0, 2000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: -1, gstatus: G_WAITING })
        .event("GoStatus", { dt: 0, g: 2, m: -1, gstatus: G_RUNNABLE })
        .at(2010).event("GoStart", { g: 2, g_seq: 1 })
        .at(2020).event("GoDestroy")
        .at(2030).event("ProcStop");
      t.generation(3).batch(0, 3000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_IDLE })
        .event("GoStatus", { dt: 0, g: 1, m: -1, gstatus: G_WAITING });
      return t;
    },
  },
  {
    name: "go123-allocfree",
    description: "A go1.23 trace with the AllocFree experiment: an ExperimentalBatch of opaque " +
      "bytes (reported with the Sync event) and experimental span/object events in an ordinary " +
      "batch.",
    build() {
      const t = new TraceBuilder(23);
      const g = t.generation(1);
      g.experimentalBatch(1, -1, 1000, Uint8Array.of(0x01, 0x80, 0x40, 0x08));
      g.batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .at(1010).event("SpanAlloc", { id: 0x4000, npages_value: 1, kindclass: 14 })
        .at(1020).event("HeapObjectAlloc", { id: 0x4010, type: 3 })
        .at(1030).event("HeapObjectFree", { id: 0x4010 });
      return t;
    },
  },
  {
    name: "fail-go-start-missing",
    description: "BROKEN: GoStart for G7, which was never created nor given a status: it can " +
      "never advance, so the reader fails.",
    failure: /failed to advance/,
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .at(1010).event("GoStart", { g: 7, g_seq: 1 });
      return t;
    },
  },
  {
    name: "fail-no-proc",
    description: "BROKEN: M0 creates a goroutine without holding a P.",
    failure: /expected a proc but didn't have one/,
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("GoCreate", { dt: 0, new_g: 5, new_stack: 0, stack: 0 });
      return t;
    },
  },
  {
    name: "fail-new-goroutine-status",
    description: "BROKEN: generation 2 reports the status of G9, a goroutine generation 1 never " +
      "mentioned (it should have been created by an event).",
    failure: /found goroutine status for new goroutine after the first generation/,
    build() {
      const t = new TraceBuilder(22);
      t.generation(1).batch(0, 1000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING });
      t.generation(2).batch(0, 2000)
        .event("ProcStatus", { dt: 0, p: 0, pstatus: P_RUNNING })
        .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: G_RUNNING })
        .event("GoStatus", { dt: 0, g: 9, m: -1, gstatus: G_RUNNABLE });
      return t;
    },
  },
];

/**
 * The richer demo trace (go1.25), described in demo.ts.
 *
 * @example
 * ```ts
 * import { DEMO } from "./generate.ts";
 * console.assert(DEMO.build().version === 25);
 * ```
 */
export const DEMO: TestTrace = {
  name: "demo",
  description: "A small web shop over three generations (go1.25): several goroutines on four " +
    "Ps, syscalls including one whose P is stolen, an order task with regions and logs, a GC " +
    "cycle with stop-the-world phases, a mark assist and sweeping, CPU samples.",
  build: buildDemo,
};

/**
 * Textual form with the description as comments on top.
 *
 * @example
 * ```ts
 * import { textWithComments, TRACES } from "./generate.ts";
 * console.assert(textWithComments(TRACES[0]).startsWith("# "));
 * ```
 */
export function textWithComments(t: TestTrace): string {
  const words = t.description.split(" ");
  const lines: string[] = [];
  let cur = "#";
  for (const w of words) {
    if (cur.length + w.length + 1 > 98) {
      lines.push(cur);
      cur = "#";
    }
    cur += " " + w;
  }
  lines.push(cur);
  lines.push(`# expect: ${t.failure ? `FAILURE /${t.failure.source}/` : "SUCCESS"}`);
  lines.push("# generated by testdata/generate.ts; edit that, not this", "");
  return lines.join("\n") + "\n" + t.build().toText();
}

if (import.meta.main) {
  const dir = new URL(".", import.meta.url);
  const all = [...TRACES, DEMO];
  for (const t of all) {
    Deno.writeFileSync(new URL(`${t.name}.trace`, dir), t.build().toBytes());
    Deno.writeTextFileSync(new URL(`${t.name}.txt`, dir), textWithComments(t));
  }
  console.log(`wrote ${all.length} traces to ${dir.pathname}`);
}
