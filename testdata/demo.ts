/**
 * The demo trace: a small web shop handling one order, over three
 * generations in the go1.25 format. Timestamps are nanoseconds.
 *
 * Cast: P0-P3 (GOMAXPROCS 4); M0 main thread, M1-M3 workers, M4 sysmon
 * (no P). G1 main.main, G2 bgsweep, G3 bgscavenge, G10 the accept loop,
 * G11 and G12 order handlers, G20 a GC mark worker.
 *
 * - Generation 1: tracing starts (stop-the-world "start trace", GOMAXPROCS
 *   4); G1 starts G10-G12 and waits. G10 blocks in accept(2); sysmon steals
 *   P0 and M0 takes it back afterwards. G11 begins task "order" with regions
 *   "validate" and "charge card" and logs, and a network wait; G12 burns CPU
 *   (CPU samples) and blocks on a mutex.
 * - Generation 2: G11's allocation starts a GC cycle (sweep termination
 *   stop-the-world, GCBegin); G20, labelled "GC (dedicated)", marks; G11
 *   does a mark assist; G20 finishes the cycle (mark termination, GCEnd);
 *   P0 sweeps. G11 unblocks G12, which exits. G11 blocks in write(2), sysmon
 *   steals P0 and G11 continues on P1.
 * - Generation 3: G11 ends task "order" (begun two generations earlier),
 *   wakes G1 and exits; G1 runs and writes to stdout.
 *
 * @module
 */

import { type Frame, TraceBuilder } from "../src/wire/builder.ts";
import { WireGoStatus, WireProcStatus } from "../src/wire/spec.ts";

const GOROOT = "/usr/local/go/src";
const APP = "/home/dev/shop";
const f = (pc: number, func: string, file: string, line: number): Frame => ({
  pc,
  func,
  file,
  line,
});

const rt = (name: string) => `${GOROOT}/runtime/${name}`;
const S = {
  gomaxprocs: [
    f(0x45bfab, "runtime.traceLocker.Gomaxprocs", rt("traceruntime.go"), 260),
    f(0x45f21d, "runtime.StartTrace", rt("trace.go"), 288),
    f(0x4aec44, "runtime/trace.Start", rt("trace/trace.go"), 125),
    f(0x4b1f3c, "main.main", `${APP}/main.go`, 31),
  ],
  startTrace: [
    f(0x45f231, "runtime.StartTrace", rt("trace.go"), 289),
    f(0x4aec44, "runtime/trace.Start", rt("trace/trace.go"), 125),
    f(0x4b1f3c, "main.main", `${APP}/main.go`, 31),
  ],
  goServe: [f(0x4b1f80, "main.main", `${APP}/main.go`, 38)],
  goHandle: [f(0x4b1fa8, "main.main", `${APP}/main.go`, 40)],
  serve: [f(0x4b2100, "main.serve", `${APP}/server.go`, 22)],
  handle: [f(0x4b2400, "main.handleOrder", `${APP}/orders.go`, 35)],
  chanrecv: [
    f(0x40a8d2, "runtime.chanrecv1", rt("chan.go"), 489),
    f(0x4b1fd0, "main.main", `${APP}/main.go`, 44),
  ],
  chansend: [
    f(0x40a1c7, "runtime.chansend1", rt("chan.go"), 161),
    f(0x4b2590, "main.handleOrder", `${APP}/orders.go`, 71),
  ],
  accept: [
    f(0x48f0c5, "syscall.accept4", `${GOROOT}/syscall/zsyscall_linux_amd64.go`, 1263),
    f(0x4a21b3, "internal/poll.accept", `${GOROOT}/internal/poll/sock_cloexec.go`, 17),
    f(0x4a1e2a, "internal/poll.(*FD).Accept", `${GOROOT}/internal/poll/fd_unix.go`, 611),
    f(0x4b2150, "main.serve", `${APP}/server.go`, 27),
  ],
  netWait: [
    f(0x4315e7, "runtime.netpollblock", rt("netpoll.go"), 575),
    f(0x46a1b9, "internal/poll.runtime_pollWait", rt("netpoll.go"), 351),
    f(0x4a0e25, "internal/poll.(*pollDesc).wait", `${GOROOT}/internal/poll/fd_poll_runtime.go`, 84),
    f(0x4b2470, "main.handleOrder", `${APP}/orders.go`, 52),
  ],
  netReady: [
    f(0x4313a0, "runtime.netpollready", rt("netpoll.go"), 511),
    f(0x4b2180, "main.serve", `${APP}/server.go`, 31),
  ],
  acceptWait: [
    f(0x4315e7, "runtime.netpollblock", rt("netpoll.go"), 575),
    f(0x4a1e2a, "internal/poll.(*FD).Accept", `${GOROOT}/internal/poll/fd_unix.go`, 611),
    f(0x4b2150, "main.serve", `${APP}/server.go`, 27),
  ],
  writeSock: [
    f(0x48c6ba, "syscall.write", `${GOROOT}/syscall/zsyscall_linux_amd64.go`, 964),
    f(0x49b3f3, "syscall.Write", `${GOROOT}/syscall/syscall_unix.go`, 211),
    f(0x4a1a7b, "internal/poll.(*FD).Write", `${GOROOT}/internal/poll/fd_unix.go`, 380),
    f(0x4b2450, "main.handleOrder", `${APP}/orders.go`, 49),
  ],
  writeResp: [
    f(0x48c6ba, "syscall.write", `${GOROOT}/syscall/zsyscall_linux_amd64.go`, 964),
    f(0x49b3f3, "syscall.Write", `${GOROOT}/syscall/syscall_unix.go`, 211),
    f(0x4a1a7b, "internal/poll.(*FD).Write", `${GOROOT}/internal/poll/fd_unix.go`, 380),
    f(0x4b2560, "main.handleOrder", `${APP}/orders.go`, 66),
  ],
  writeStdout: [
    f(0x48c6ba, "syscall.write", `${GOROOT}/syscall/zsyscall_linux_amd64.go`, 964),
    f(0x49b3f3, "syscall.Write", `${GOROOT}/syscall/syscall_unix.go`, 211),
    f(0x4a8d31, "os.(*File).Write", `${GOROOT}/os/file.go`, 195),
    f(0x4ab6f5, "fmt.Println", `${GOROOT}/fmt/print.go`, 314),
    f(0x4b2000, "main.main", `${APP}/main.go`, 47),
  ],
  mutexLock: [
    f(0x4684e5, "sync.(*Mutex).Lock", `${GOROOT}/sync/mutex.go`, 90),
    f(0x4b2710, "main.(*inventory).reserve", `${APP}/inventory.go`, 28),
    f(0x4b2480, "main.handleOrder", `${APP}/orders.go`, 58),
  ],
  mutexUnlock: [
    f(0x4686a2, "sync.(*Mutex).Unlock", `${GOROOT}/sync/mutex.go`, 223),
    f(0x4b2790, "main.(*inventory).commit", `${APP}/inventory.go`, 41),
    f(0x4b24f0, "main.handleOrder", `${APP}/orders.go`, 61),
  ],
  newTask: [
    f(0x4ae1c5, "runtime/trace.NewTask", rt("trace/annotation.go"), 83),
    f(0x4b2420, "main.handleOrder", `${APP}/orders.go`, 38),
  ],
  endTask: [
    f(0x4ae2a9, "runtime/trace.(*Task).End", rt("trace/annotation.go"), 101),
    f(0x4b25a0, "main.handleOrder", `${APP}/orders.go`, 73),
  ],
  region: [
    f(0x4ae5a0, "runtime/trace.WithRegion", rt("trace/annotation.go"), 141),
    f(0x4b2440, "main.handleOrder", `${APP}/orders.go`, 42),
  ],
  log: [
    f(0x4ae3f1, "runtime/trace.Logf", rt("trace/annotation.go"), 131),
    f(0x4b2460, "main.handleOrder", `${APP}/orders.go`, 45),
  ],
  checksum: [
    f(0x4b2900, "main.checksum", `${APP}/hash.go`, 12),
    f(0x4b2990, "main.verifyCart", `${APP}/hash.go`, 30),
    f(0x4b2470, "main.handleOrder", `${APP}/orders.go`, 55),
  ],
  scan: [
    f(0x416e20, "runtime.scanobject", rt("mgcmark.go"), 1446),
    f(0x4161a5, "runtime.gcDrain", rt("mgcmark.go"), 1201),
    f(0x412c88, "runtime.gcBgMarkWorker.func2", rt("mgc.go"), 1508),
  ],
  alloc: [
    f(0x412f70, "runtime.mallocgc", rt("malloc.go"), 1167),
    f(0x4b2aa0, "main.(*order).encode", `${APP}/encode.go`, 19),
    f(0x4b2540, "main.handleOrder", `${APP}/orders.go`, 63),
  ],
  gcStart: [
    f(0x41d5e2, "runtime.gcStart", rt("mgc.go"), 710),
    f(0x412f70, "runtime.mallocgc", rt("malloc.go"), 1167),
    f(0x4b2aa0, "main.(*order).encode", `${APP}/encode.go`, 19),
  ],
  assist: [
    f(0x420a31, "runtime.gcAssistAlloc", rt("mgcmark.go"), 519),
    f(0x412f70, "runtime.mallocgc", rt("malloc.go"), 1167),
    f(0x4b2aa0, "main.(*order).encode", `${APP}/encode.go`, 19),
  ],
  markDone: [
    f(0x41e8c5, "runtime.gcMarkDone", rt("mgc.go"), 860),
    f(0x412c88, "runtime.gcBgMarkWorker", rt("mgc.go"), 1535),
  ],
  sweep: [
    f(0x424c11, "runtime.(*mheap).alloc", rt("mheap.go"), 964),
    f(0x412f70, "runtime.mallocgc", rt("malloc.go"), 1167),
    f(0x4b2aa0, "main.(*order).encode", `${APP}/encode.go`, 19),
  ],
  bgsweep: [
    f(0x4282b0, "runtime.gopark", rt("proc.go"), 435),
    f(0x42a1f5, "runtime.bgsweep", rt("mgcsweep.go"), 279),
  ],
  scavenge: [
    f(0x4282b0, "runtime.gopark", rt("proc.go"), 435),
    f(0x4297d0, "runtime.bgscavenge", rt("mgcscavenge.go"), 658),
  ],
  markWorker: [
    f(0x4282b0, "runtime.gopark", rt("proc.go"), 435),
    f(0x412b10, "runtime.gcBgMarkWorker", rt("mgc.go"), 1423),
  ],
} satisfies Record<string, Frame[]>;

/** Per-generation sequence counters: each generation's statuses reset them. */
function counters() {
  const g = new Map<number, number>();
  const p = new Map<number, number>();
  const next = (m: Map<number, number>, id: number) => {
    const v = (m.get(id) ?? 0) + 1;
    m.set(id, v);
    return v;
  };
  return { g: (id: number) => next(g, id), p: (id: number) => next(p, id) };
}

const { Running: PR, Idle: PI } = WireProcStatus;

/** Clock snapshot readings for a generation starting at trace time `time` (ns). */
function wallClock(time: number) {
  // The program started at 2026-03-14T09:26:53.25Z; the monotonic clock reads trace time.
  const ns = 250_000_000 + time;
  return { time, mono: time, sec: 1_773_480_413 + Math.floor(ns / 1e9), nsec: ns % 1e9 };
}
const { Running: GR, Waiting: GW } = WireGoStatus;

/**
 * Builds the demo trace (see the module documentation for the story).
 *
 * @example
 * ```ts
 * import { buildDemo } from "./demo.ts";
 * console.assert(buildDemo().version === 25);
 * ```
 */
export function buildDemo(): TraceBuilder {
  const t = new TraceBuilder(25);

  // Generation 1.
  {
    const T = 1_000_000;
    const g = t.generation(1).frequency(1e9, wallClock(T));
    const seq = counters();
    const m0 = g.batch(0, T)
      .event("ProcStatus", { dt: 0, p: 0, pstatus: PR })
      .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: GR })
      .event("GoStatusStack", { dt: 0, g: 2, m: -1, gstatus: GW, stack: S.bgsweep })
      .event("GoStatusStack", { dt: 0, g: 3, m: -1, gstatus: GW, stack: S.scavenge })
      .event("GoStatusStack", { dt: 0, g: 20, m: -1, gstatus: GW, stack: S.markWorker })
      .event("ProcStatus", { dt: 0, p: 1, pstatus: PI })
      .event("ProcStatus", { dt: 0, p: 2, pstatus: PI })
      .event("ProcStatus", { dt: 0, p: 3, pstatus: PI });
    m0.at(T + 10).event("STWBegin", { kind_string: "start trace", stack: S.startTrace })
      .at(T + 20).event("ProcsChange", { procs_value: 4, stack: S.gomaxprocs })
      .at(T + 25).event("HeapGoal", { heapgoal_value: 4_194_304 })
      .at(T + 30).event("STWEnd")
      .at(T + 50).event("GoCreate", { new_g: 10, new_stack: S.serve, stack: S.goServe })
      .at(T + 60).event("GoCreate", { new_g: 11, new_stack: S.handle, stack: S.goHandle })
      .at(T + 70).event("GoCreate", { new_g: 12, new_stack: S.handle, stack: S.goHandle })
      .at(T + 80).event("HeapAlloc", { heapalloc_value: 2_621_440 })
      .at(T + 100).event("GoBlock", { reason_string: "chan receive", stack: S.chanrecv })
      .at(T + 120).event("GoStart", { g: 10, g_seq: seq.g(10) })
      .at(T + 130).event("GoSyscallBegin", { p_seq: seq.p(0), stack: S.accept });
    // Sysmon sees P0 stuck in accept(2) and retakes it.
    g.batch(4, T + 400).event("ProcSteal", { dt: 0, p: 0, p_seq: seq.p(0), m: 0 });
    m0.at(T + 600).event("GoSyscallEndBlocked")
      .at(T + 610).event("ProcStart", { p: 0, p_seq: seq.p(0) })
      .at(T + 611).event("GoStart", { g: 10, g_seq: seq.g(10) });

    // M1 runs the order handler G11.
    g.batch(1, T + 150)
      .event("ProcStart", { dt: 0, p: 1, p_seq: seq.p(1) })
      .at(T + 151).event("GoStart", { g: 11, g_seq: seq.g(11) })
      .at(T + 200).event("UserTaskBegin", {
        task: 1,
        parent_task: 0,
        name_string: "order",
        stack: S.newTask,
      })
      .at(T + 210).event("UserRegionBegin", { task: 1, name_string: "validate", stack: S.region })
      .at(T + 230).event("UserLog", {
        task: 1,
        key_string: "orderID",
        value_string: "A-1001",
        stack: S.log,
      })
      .at(T + 260).event("UserRegionEnd", { task: 1, name_string: "validate", stack: S.region })
      .at(T + 270).event("UserRegionBegin", {
        task: 1,
        name_string: "charge card",
        stack: S.region,
      })
      .at(T + 280).event("GoSyscallBegin", { p_seq: seq.p(1), stack: S.writeSock })
      .at(T + 300).event("GoSyscallEnd")
      .at(T + 320).event("GoBlock", { reason_string: "network", stack: S.netWait })
      .at(T + 330).event("ProcStop");

    // M2 runs G12, which computes, is preempted, and blocks on a mutex.
    g.batch(2, T + 160)
      .event("ProcStart", { dt: 0, p: 2, p_seq: seq.p(2) })
      .at(T + 161).event("GoStart", { g: 12, g_seq: seq.g(12) })
      .at(T + 500).event("GoStop", { reason_string: "preempted", stack: S.checksum })
      .at(T + 510).event("GoStart", { g: 12, g_seq: seq.g(12) })
      .at(T + 700).event("GoBlock", { reason_string: "sync", stack: S.mutexLock })
      .at(T + 710).event("ProcStop");
    g.cpuSample({ time: T + 300, m: 2, p: 2, g: 12, stack: S.checksum })
      .cpuSample({ time: T + 450, m: 2, p: 2, g: 12, stack: S.checksum });

    // Back on M0: G10's connection wakes G11, G10 parks in accept, G11 continues on P0.
    m0.at(T + 650).event("GoUnblock", { g: 11, g_seq: seq.g(11), stack: S.netReady })
      .at(T + 700).event("GoSyscallBegin", { p_seq: seq.p(0), stack: S.accept })
      .at(T + 720).event("GoSyscallEnd")
      .at(T + 730).event("GoBlock", { reason_string: "network", stack: S.acceptWait })
      .at(T + 740).event("GoStart", { g: 11, g_seq: seq.g(11) })
      .at(T + 760).event("UserLog", {
        task: 1,
        key_string: "payment",
        value_string: "approved",
        stack: S.log,
      })
      .at(T + 780).event("UserRegionEnd", {
        task: 1,
        name_string: "charge card",
        stack: S.region,
      });
  }

  // Generation 2: a GC cycle; G12 finishes; G11's write blocks and P0 is stolen.
  {
    const T = 2_000_000;
    const g = t.generation(2).frequency(1e9, wallClock(T));
    const seq = counters();
    const m0 = g.batch(0, T)
      .event("ProcStatus", { dt: 0, p: 0, pstatus: PR })
      .event("GoStatus", { dt: 0, g: 11, m: 0, gstatus: GR })
      .event("GoStatusStack", { dt: 0, g: 1, m: -1, gstatus: GW, stack: S.chanrecv })
      .event("GoStatusStack", { dt: 0, g: 2, m: -1, gstatus: GW, stack: S.bgsweep })
      .event("GoStatusStack", { dt: 0, g: 3, m: -1, gstatus: GW, stack: S.scavenge })
      .event("GoStatusStack", { dt: 0, g: 10, m: -1, gstatus: GW, stack: S.acceptWait })
      .event("GoStatusStack", { dt: 0, g: 12, m: -1, gstatus: GW, stack: S.mutexLock })
      .event("GoStatusStack", { dt: 0, g: 20, m: -1, gstatus: GW, stack: S.markWorker })
      .event("ProcStatus", { dt: 0, p: 1, pstatus: PI })
      .event("ProcStatus", { dt: 0, p: 2, pstatus: PI })
      .event("ProcStatus", { dt: 0, p: 3, pstatus: PI });
    m0.at(T + 10).event("HeapAlloc", { heapalloc_value: 4_325_376 })
      .at(T + 20).event("STWBegin", { kind_string: "GC sweep termination", stack: S.gcStart })
      .at(T + 30).event("GCBegin", { gc_seq: 1, stack: S.gcStart })
      .at(T + 40).event("STWEnd")
      .at(T + 45).event("GoUnblock", { g: 20, g_seq: seq.g(20), stack: 0 })
      .at(T + 100).event("GCMarkAssistBegin", { stack: S.assist })
      .at(T + 180).event("GCMarkAssistEnd")
      .at(T + 250).event("UserLog", {
        task: 1,
        key_string: "items",
        value_string: "3",
        stack: S.log,
      })
      .at(T + 450).event("GCSweepBegin", { stack: S.sweep })
      .at(T + 470).event("GCSweepEnd", { swept_value: 16_384, reclaimed_value: 8_192 })
      .at(T + 500).event("GoUnblock", { g: 12, g_seq: seq.g(12), stack: S.mutexUnlock })
      .at(T + 700).event("GoSyscallBegin", { p_seq: seq.p(0), stack: S.writeResp });

    // M3 runs the dedicated mark worker, which finishes the cycle.
    g.batch(3, T + 50)
      .event("ProcStart", { dt: 0, p: 3, p_seq: seq.p(3) })
      .at(T + 51).event("GoStart", { g: 20, g_seq: seq.g(20) })
      .at(T + 52).event("GoLabel", { label_string: "GC (dedicated)" })
      .at(T + 380).event("STWBegin", { kind_string: "GC mark termination", stack: S.markDone })
      .at(T + 390).event("GCEnd", { gc_seq: 2 })
      .at(T + 395).event("STWEnd")
      .at(T + 396).event("HeapGoal", { heapgoal_value: 8_388_608 })
      .at(T + 400).event("GoBlock", { reason_string: "system goroutine wait", stack: 0 })
      .at(T + 410).event("ProcStop");
    g.cpuSample({ time: T + 200, m: 3, p: 3, g: 20, stack: S.scan })
      .cpuSample({ time: T + 300, m: 3, p: 3, g: 20, stack: S.scan });

    // M2 runs G12 to completion.
    g.batch(2, T + 520)
      .event("ProcStart", { dt: 0, p: 2, p_seq: seq.p(2) })
      .at(T + 521).event("GoStart", { g: 12, g_seq: seq.g(12) })
      .at(T + 600).event("GoDestroy")
      .at(T + 610).event("ProcStop");

    // G11's write(2) blocks; sysmon steals P0; G11 resumes on P1.
    g.batch(4, T + 900).event("ProcSteal", { dt: 0, p: 0, p_seq: seq.p(0), m: 0 });
    m0.at(T + 1000).event("GoSyscallEndBlocked")
      .at(T + 1010).event("ProcStart", { p: 1, p_seq: seq.p(1) })
      .at(T + 1011).event("GoStart", { g: 11, g_seq: seq.g(11) });
  }

  // Generation 3: the task ends, G1 wakes up and prints.
  {
    const T = 3_000_000;
    const g = t.generation(3).frequency(1e9, wallClock(T));
    const seq = counters();
    g.batch(0, T)
      .event("ProcStatus", { dt: 0, p: 1, pstatus: PR })
      .event("GoStatus", { dt: 0, g: 11, m: 0, gstatus: GR })
      .event("GoStatusStack", { dt: 0, g: 1, m: -1, gstatus: GW, stack: S.chanrecv })
      .event("GoStatusStack", { dt: 0, g: 2, m: -1, gstatus: GW, stack: S.bgsweep })
      .event("GoStatusStack", { dt: 0, g: 3, m: -1, gstatus: GW, stack: S.scavenge })
      .event("GoStatusStack", { dt: 0, g: 10, m: -1, gstatus: GW, stack: S.acceptWait })
      .event("GoStatusStack", { dt: 0, g: 20, m: -1, gstatus: GW, stack: S.markWorker })
      .event("ProcStatus", { dt: 0, p: 0, pstatus: PI })
      .event("ProcStatus", { dt: 0, p: 2, pstatus: PI })
      .event("ProcStatus", { dt: 0, p: 3, pstatus: PI })
      .at(T + 20).event("UserLog", {
        task: 1,
        key_string: "status",
        value_string: "shipped",
        stack: S.log,
      })
      .at(T + 30).event("UserTaskEnd", { task: 1, stack: S.endTask })
      .at(T + 40).event("GoUnblock", { g: 1, g_seq: seq.g(1), stack: S.chansend })
      .at(T + 50).event("GoDestroy")
      .at(T + 60).event("GoStart", { g: 1, g_seq: seq.g(1) })
      .at(T + 100).event("GoSyscallBegin", { p_seq: seq.p(1), stack: S.writeStdout })
      .at(T + 120).event("GoSyscallEnd");
  }
  return t;
}
