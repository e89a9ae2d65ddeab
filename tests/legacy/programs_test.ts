// Traces written by a real Go runtime (Debian's golang-1.19-go, which writes
// the old format) for the project's own programs in testdata/programs/: each
// reads without error and shows what its program is known to do.
//
// The traces come from $GOTRACE_PROGRAM_TRACES (a directory that
// testdata/programs/build.sh filled, as .ci/run does), or else are built and
// run here when a Go toolchain is found. Without Go the tests are skipped,
// loudly.
import assert from "node:assert/strict";
import { type Event, Reader } from "../../mod.ts";

const PROGRAMS = ["annotations", "channels", "gc", "mutexes", "syscalls"];
const BUILD = decodeURIComponent(
  new URL("../../testdata/programs/build.sh", import.meta.url).pathname,
);

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

// A directory holding <program>.trace for every program, or why there is none.
async function traceDir(): Promise<{ dir: string } | { skip: string }> {
  const given = Deno.env.get("GOTRACE_PROGRAM_TRACES");
  if (given) {
    const missing = PROGRAMS.filter((p) => !exists(`${given}/${p}.trace`));
    // Set but incomplete is a broken CI step, not a reason to skip.
    if (missing.length > 0) throw new Error(`$GOTRACE_PROGRAM_TRACES=${given} lacks ${missing}`);
    return { dir: given };
  }
  const go = Deno.env.get("GO") ?? "/usr/lib/go-1.19/bin/go";
  let found = exists(go);
  if (!found) {
    const which = await new Deno.Command("bash", { args: ["-c", "command -v go"], stdout: "null" })
      .output().catch(() => null);
    found = which?.success ?? false;
  }
  if (!found) {
    return {
      skip: `no Go toolchain (${go} missing, no go on PATH): apt-get install golang-1.19-go`,
    };
  }
  const dir = await Deno.makeTempDir({ prefix: "gotrace-programs-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  const out = await new Deno.Command("bash", {
    args: [BUILD, dir],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    throw new Error(`${BUILD} failed:\n${text}`);
  }
  return { dir };
}

const where = await traceDir();
if ("skip" in where) {
  console.warn(
    `\n*** WARNING: Go program traces SKIPPED: ${where.skip}.\n` +
      `*** tests/legacy/programs_test.ts needs Go to build testdata/programs/.\n`,
  );
}

function events(name: string): { version: number; list: Event[] } {
  if (!("dir" in where)) throw new Error("unreachable");
  const r = Reader.fromBytes(Deno.readFileSync(`${where.dir}/${name}.trace`));
  return { version: r.version, list: [...r.events()] };
}

// Entry function of each goroutine created during the trace, by id.
function created(list: Event[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const ev of list) {
    if (ev.kind !== "StateTransition") continue;
    const t = ev.stateTransition();
    if (t.resource.kind === "Goroutine" && t.from === "NotExist" && t.stack) {
      out.set(t.resource.id, t.stack.frames[0]?.func ?? "");
    }
  }
  return out;
}

function countOf(names: Iterable<string>, name: string): number {
  let n = 0;
  for (const x of names) if (x === name) n++;
  return n;
}

// Goroutine transitions into `to`, with their reasons and stacks.
function transitionsTo(list: Event[], to: string) {
  return list.filter((ev) => ev.kind === "StateTransition").map((ev) => ev.stateTransition())
    .filter((t) => t.resource.kind === "Goroutine" && t.to === to);
}

function stackHas(t: { stack: { frames: { func: string }[] } | null }, func: string): boolean {
  return t.stack?.frames.some((f) => f.func === func) ?? false;
}

function test(name: string, fn: () => void): void {
  Deno.test({ name: `go programs: ${name}`, ignore: "skip" in where, fn });
}

test("every program's trace is an old-format trace that reads to the end", () => {
  const goVersion = Deno.readTextFileSync(`${(where as { dir: string }).dir}/go-version`);
  for (const p of PROGRAMS) {
    const { version, list } = events(p);
    // Debian's Go 1.19 writes format 1.19; another Go writes its own.
    if (goVersion.includes("go1.19")) assert.equal(version, 19, p);
    assert.equal(list[0].kind, "Sync", p);
    assert.equal(list.at(-1)!.kind, "Sync", p);
    assert.ok(list.length > 20, `${p}: ${list.length} events`);
  }
});

test("channels: four producers and a consumer, blocked on chan send and in select", () => {
  const { list } = events("channels");
  const entries = [...created(list).values()];
  assert.equal(countOf(entries, "main.producer"), 4, `${entries}`);
  assert.equal(countOf(entries, "main.consumer"), 1, `${entries}`);
  const waits = transitionsTo(list, "Waiting");
  assert.ok(waits.some((t) => t.reason === "chan send" && stackHas(t, "main.producer")));
  assert.ok(waits.some((t) => t.reason === "select" && stackHas(t, "main.consumer")));
});

test("mutexes: eight workers block in sync.(*Mutex).Lock and sleep", () => {
  const { list } = events("mutexes");
  assert.equal(countOf(created(list).values(), "main.worker"), 8);
  const waits = transitionsTo(list, "Waiting");
  assert.ok(waits.some((t) => t.reason === "sync" && stackHas(t, "sync.(*Mutex).Lock")));
  assert.ok(waits.some((t) => t.reason === "sleep" && stackHas(t, "main.worker")));
});

test("syscalls: a read(2) that blocks and loses its P, and quick writes", () => {
  const { list } = events("syscalls");
  const entries = [...created(list).entries()];
  const reader = entries.find(([, f]) => f === "main.reader")?.[0];
  assert.ok(reader !== undefined && entries.some(([, f]) => f === "main.writer"), `${entries}`);
  const trs = list.filter((ev) => ev.kind === "StateTransition").map((ev) => ev.stateTransition());
  const mine = trs.filter((t) => t.resource.kind === "Goroutine" && t.resource.id === reader);
  const enter = mine.findIndex((t) => t.to === "Syscall" && stackHas(t, "syscall.Read"));
  assert.ok(enter >= 0, "the reader enters read(2)");
  // Blocked: it comes back runnable (its P was taken), not running.
  assert.equal(mine[enter + 1]?.from, "Syscall");
  assert.equal(mine[enter + 1]?.to, "Runnable");
  const writes = trs.filter((t) => t.to === "Syscall" && stackHas(t, "syscall.Write"));
  assert.ok(writes.length >= 20, `${writes.length} write syscalls`);
  const quick = trs.filter((t) => t.from === "Syscall" && t.to === "Running");
  assert.ok(quick.length >= 20, `${quick.length} syscalls that returned at once`);
});

test("annotations: tasks checkout and payment, their regions and logs", () => {
  const { list } = events("annotations");
  const begins = list.filter((ev) => ev.kind === "TaskBegin").map((ev) => ev.task());
  const checkout = begins.find((t) => t.type === "checkout");
  const payment = begins.find((t) => t.type === "payment");
  assert.ok(checkout && payment, `${JSON.stringify(begins)}`);
  assert.equal(payment.parent, checkout.id);
  const ends = list.filter((ev) => ev.kind === "TaskEnd").map((ev) => ev.task().type);
  assert.deepEqual(ends, ["payment", "checkout"]);
  const regions = list.filter((ev) => ev.kind === "RegionBegin" || ev.kind === "RegionEnd")
    .map((ev) => `${ev.kind === "RegionBegin" ? "+" : "-"}${ev.region().type}@${ev.region().task}`);
  const c = checkout.id, p = payment.id;
  assert.deepEqual(regions, [
    `+validate@${c}`,
    `-validate@${c}`,
    `+charge@${p}`,
    `-charge@${p}`,
    `+ship@${c}`,
    `+label@${c}`,
    `-label@${c}`,
    `-ship@${c}`,
  ]);
  const logs = list.filter((ev) => ev.kind === "Log").map((ev) => ev.log());
  assert.deepEqual(logs, [
    { task: c, category: "order", message: "id=42" },
    { task: p, category: "amount", message: "1999 cents" },
    { task: c, category: "", message: "printed" },
  ]);
  // The charge region ran on its own goroutine.
  const charge = list.find((ev) => ev.kind === "RegionBegin" && ev.region().type === "charge")!;
  assert.equal(created(list).get(charge.goroutine), "main.charge");
});

test("gc: two churning goroutines, GC cycles with their stop-the-world pauses", () => {
  const { list } = events("gc");
  assert.equal(countOf(created(list).values(), "main.churn"), 2);
  const ranges = list.filter((ev) => ev.kind === "RangeBegin").map((ev) => ev.range().name);
  assert.ok(countOf(ranges, "GC concurrent mark phase") >= 2, "the two forced GCs at least");
  assert.ok(ranges.includes("stop-the-world (GC sweep termination)"), `${new Set(ranges)}`);
  assert.ok(ranges.includes("stop-the-world (GC mark termination)"), `${new Set(ranges)}`);
  assert.ok(ranges.includes("GC incremental sweep"), `${new Set(ranges)}`);
  const ends = list.filter((ev) => ev.kind === "RangeEnd" && ev.range().name.startsWith("GC conc"));
  assert.ok(ends.length >= 2);
  const metrics = new Set(list.filter((ev) => ev.kind === "Metric").map((ev) => ev.metric().name));
  assert.ok(metrics.has("/memory/classes/heap/objects:bytes"));
  assert.ok(metrics.has("/gc/heap/goal:bytes"));
});
