// The `trace` commands run as `deno task trace` runs them, on real traces
// from ../shared/corpus, their output checked against the reference's text
// (NAME.expect.gz) and summary (NAME.summary.json) where it has the numbers,
// and for consistency where it does not. Exit codes: 0, 1 bad trace, 2 usage.
import assert from "node:assert/strict";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { trace } from "../helpers/run.ts";
import { gunzipText, gzip } from "../helpers/gzip.ts";
import { progressLine, withProgress } from "../../scripts/commands/progress.ts";
import {
  analysisThreads,
  analysisThreadsFor,
  AUTO_MAX_BYTES,
  AUTO_MIN_BYTES,
} from "../../scripts/commands/threads.ts";
import { pingPongTrace } from "../../benches/synthetic.ts";

const real = (name: string) => `${CORPUS_DIR}/real/${name}`;
// cgo-callback: many syscalls (cgo calls) and some stolen Ps; annotations: tasks and regions.
const CGO = "go1.25/cgo-callback";
const ANN = "go1.25/annotations";

/** The reference's event lines (first line of each block) for a real trace. */
async function expectLines(name: string): Promise<string[]> {
  return (await gunzipText(real(`${name}.expect.gz`))).split("\n").filter((l) =>
    l.startsWith("M=")
  );
}

function jsonLines(out: string): Record<string, unknown>[] {
  return out.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

Deno.test("trace: help, unknown command and no command", async () => {
  const help = await trace(["--help"]);
  assert.equal(help.code, 0);
  for (const c of ["summary", "events", "goroutines", "syscalls", "steals", "validate", "step"]) {
    assert.match(help.out, new RegExp(`^  ${c} `, "m"));
  }
  assert.match(help.out, /^ {2}export /m);
  assert.match(help.out, /^ {2}text /m);
  const none = await trace([]);
  assert.equal(none.code, 2);
  const bad = await trace(["frobnicate", "x"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown command "frobnicate"/);
});

Deno.test("trace: every command has --help, and usage errors exit 2", async () => {
  for (
    const c of [
      "summary",
      "events",
      "goroutines",
      "syscalls",
      "steals",
      "validate",
      "step",
      "export",
      "text",
    ]
  ) {
    const r = await trace([c, "--help"]);
    assert.equal(r.code, 0, `${c} --help`);
    assert.match(r.out, new RegExp(`^Usage: deno task trace ${c} `), c);
    const bogus = await trace([c, "--bogus", "testdata/demo.trace"]);
    assert.equal(bogus.code, 2, `${c} --bogus`);
    assert.match(bogus.err, new RegExp(`^trace ${c}: unknown option --bogus `), c);
    assert.match(bogus.err, new RegExp(`Run "deno task trace ${c} --help"`));
    const noFile = await trace([c]);
    assert.equal(noFile.code, 2, `${c} without FILE`);
    assert.match(noFile.err, /expected one FILE/);
  }
  const badTime = await trace(["events", "--from", "soon", "testdata/demo.trace"]);
  assert.equal(badTime.code, 2);
  assert.match(badTime.err, /--from wants a time/);
  const badSort = await trace(["goroutines", "--sort", "colour", "testdata/demo.trace"]);
  assert.equal(badSort.code, 2);
  const badInt = await trace(["events", "-g", "seven", "testdata/demo.trace"]);
  assert.equal(badInt.code, 2);
  assert.match(badInt.err, /--goroutine wants an integer/);
});

Deno.test("trace: a bad or truncated trace prints its TraceError as one paragraph and exits 1", async () => {
  const bad = await trace(["summary", "testdata/fail-no-proc.trace"]);
  assert.equal(bad.code, 1);
  // The summary of what was read before the error comes first.
  assert.match(bad.out, /^Events +1 \(Sync 1\)$/m);
  assert.match(bad.err, /^trace summary: TraceError \[ordering\]: expected a proc/);
  // One paragraph: no blank line, lines of at most 80 columns.
  assert.ok(!bad.err.trim().includes("\n\n"));
  assert.ok(bad.err.split("\n").every((l) => l.length <= 80), bad.err);

  const missing = await trace(["goroutines", "/nonexistent/x.trace"]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^trace goroutines: TraceError \[io\]: cannot open \/nonexistent/);

  if (!corpusAvailable()) return;
  const bytes = Deno.readFileSync(real(`${CGO}.trace`));
  const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
  for (const cmd of ["summary", "goroutines", "syscalls", "steals", "export", "validate"]) {
    const r = await trace([cmd, "-"], cut);
    assert.equal(r.code, 1, `${cmd} on a truncated trace`);
    // What the cut lost, on one line, then the error as one paragraph.
    assert.match(
      r.err,
      new RegExp(
        `^trace ${cmd}: trace truncated at byte \\d+(, unusable from byte \\d+,)? of ${cut.length} \\(\\d+\\.\\d% lost\\); ` +
          `\\d+ events read\ntrace ${cmd}: TraceError \\[truncated\\]`,
      ),
      r.err,
    );
    assert.ok(!r.err.trim().includes("\n\n"));
  }
  // events prints what it read before the problem, then the error.
  const ev = await trace(["events", "-"], cut);
  assert.equal(ev.code, 1);
  assert.ok(ev.out.split("\n").length > 10, ev.out);
  assert.ok(ev.out.endsWith("\n"));
});

Deno.test("trace summary: counts match the reference's events, on a file, gzip and stdin", async () => {
  if (!corpusAvailable()) return;
  const lines = await expectLines(CGO);
  const syscalls = lines.filter((l) => {
    const m = / GoID=\d+ (\w+)->Syscall /.exec(l);
    return m && m[1] !== "Syscall";
  }).length;
  const r = await trace(["summary", "--json", real(`${CGO}.trace`)]);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.events, lines.length);
  assert.equal(s.version, 25);
  assert.equal(s.syscalls, syscalls);
  assert.equal(s.generations, lines.filter((l) => / Sync /.test(l)).length - 1);
  assert.ok(s.steals > 0);
  // The top goroutines are the reference's (summary.json), busiest first.
  const ref = JSON.parse(Deno.readTextFileSync(real(`${CGO}.summary.json`)));
  const refTop =
    ref.goroutines.slice().sort((a: { execTime: number }, b: { execTime: number }) =>
      b.execTime - a.execTime
    )[0];
  assert.equal(s.top[0].id, refTop.id);
  assert.equal(s.top[0].execTime, refTop.execTime);

  const text = await trace(["summary", real(`${CGO}.trace`)]);
  assert.equal(text.code, 0);
  assert.match(text.out, /^Format +Go 1\.25$/m);
  assert.match(text.out, new RegExp(`^Events +${lines.length} \\(`, "m"));
  assert.match(text.out, new RegExp(`^Syscalls +${syscalls}, ${s.steals} ProcSteals$`, "m"));
  assert.match(text.out, /^Top 5 goroutines by running time$/m);

  const gz = await gzip(Deno.readFileSync(real(`${CGO}.trace`)));
  const viaStdin = await trace(["summary", "--json", "-"], gz);
  assert.equal(viaStdin.code, 0);
  assert.equal(JSON.parse(viaStdin.out).events, lines.length);
});

Deno.test("trace events: filters by kind, goroutine and time window, like the reference's lines", async () => {
  if (!corpusAvailable()) return;
  const lines = await expectLines(ANN);
  const all = await trace(["events", real(`${ANN}.trace`)]);
  assert.equal(all.code, 0);
  // Without --stacks each event is the first line of the reference's block.
  assert.deepEqual(all.out.trimEnd().split("\n"), lines);

  const logs = await trace(["events", "-k", "Log", real(`${ANN}.trace`)]);
  assert.deepEqual(logs.out.trimEnd().split("\n"), lines.filter((l) => / Log /.test(l)));

  const byWire = await trace([
    "events",
    "--kind",
    "GoCreate,GoStart",
    "--json",
    real(`${ANN}.trace`),
  ]);
  const kinds = new Set(jsonLines(byWire.out).map((e) => e.event));
  assert.deepEqual([...kinds].sort(), ["GoCreate", "GoStart"]);

  // Goroutine 1: events it runs, and transitions of it (started, unblocked...).
  const g1 = await trace(["events", "-g", "1", real(`${ANN}.trace`)]);
  const want = lines.filter((l) => / G=1 /.test(l) || / GoID=1 /.test(l));
  assert.deepEqual(g1.out.trimEnd().split("\n"), want);

  // A window relative to the first event, and the same window in absolute ns.
  const t0 = Number(/Time=(\d+)/.exec(lines[0])![1]);
  const rel = await trace([
    "events",
    "--json",
    "--from",
    "+100us",
    "--to",
    "+1ms",
    real(`${ANN}.trace`),
  ]);
  const evs = jsonLines(rel.out);
  assert.ok(evs.length > 0);
  assert.ok(evs.every((e) => (e.ns as number) >= t0 + 100_000 && (e.ns as number) <= t0 + 1e6));
  const abs = await trace([
    "events",
    "--json",
    "--from",
    `@${t0 + 100_000}`,
    "--to",
    `@${t0 + 1_000_000}ns`,
    real(`${ANN}.trace`),
  ]);
  assert.equal(abs.out, rel.out);
  const limited = await trace(["events", "-n", "3", real(`${ANN}.trace`)]);
  assert.equal(limited.out.trimEnd().split("\n").length, 3);
  const stacks = await trace(["events", "--stacks", "-n", "40", real(`${ANN}.trace`)]);
  assert.match(stacks.out, /\nStack=\n\t/);
});

Deno.test("trace goroutines: every goroutine, with the reference's time breakdown", async () => {
  if (!corpusAvailable()) return;
  const ref = JSON.parse(Deno.readTextFileSync(real(`${CGO}.summary.json`)));
  const r = await trace(["goroutines", "--json", "-n", "0", real(`${CGO}.trace`)]);
  assert.equal(r.code, 0, r.err);
  const rows = jsonLines(r.out);
  assert.equal(rows.length, ref.goroutines.length);
  const byId = new Map(rows.map((g) => [g.id as number, g]));
  for (const g of ref.goroutines) {
    const mine = byId.get(g.id)!;
    assert.ok(mine, `goroutine ${g.id}`);
    for (const k of ["execTime", "schedWaitTime", "syscallTime", "syscallBlockTime", "totalTime"]) {
      assert.equal(mine[k], g[k], `G${g.id} ${k}`);
    }
  }
  // Sorted by running time, busiest first.
  const exec = rows.map((g) => g.execTime as number);
  assert.deepEqual(exec, exec.slice().sort((a, b) => b - a));

  const byName = await trace(["goroutines", "--json", "--name", "^main\\.", real(`${CGO}.trace`)]);
  const named = jsonLines(byName.out);
  assert.ok(named.length > 0 && named.every((g) => /^main\./.test(g.name as string)));

  const table = await trace(["goroutines", "-n", "5", "--sort", "id", real(`${CGO}.trace`)]);
  const body = table.out.split("\n");
  assert.match(body[0], new RegExp(`^${ref.goroutines.length} goroutines, by id$`));
  assert.match(body[1], /^ {2}G +function +state +running +waiting +blocked +syscall +blocked on$/);
  assert.match(body[2], /^\s+1 +main\.main /);
  assert.match(table.out, new RegExp(`… ${ref.goroutines.length - 5} more rows`));
});

Deno.test("trace syscalls and steals: records, filters, and steals that pair with stolen syscalls", async () => {
  if (!corpusAvailable()) return;
  const file = real(`${CGO}.trace`);
  const all = jsonLines((await trace(["syscalls", "--json", "-n", "0", file])).out);
  const lines = await expectLines(CGO);
  assert.equal(
    all.length,
    lines.filter((l) => /GoID=\d+ (?!Syscall)\w+->Syscall /.test(l)).length,
  );
  const stolen = jsonLines((await trace(["syscalls", "--json", "--stolen", "-n", "0", file])).out);
  assert.ok(stolen.length > 0);
  // --stolen: another M took the P (an M giving up its own P is no steal).
  assert.ok(stolen.every((s) => s.steal !== null && !(s.steal as { self: boolean }).self));

  const longest = jsonLines(
    (await trace(["syscalls", "--json", "--longest", "-n", "5", file])).out,
  );
  const durations = all.map((s) => s.duration as number).sort((a, b) => b - a);
  assert.deepEqual(longest.map((s) => s.duration), durations.slice(0, 5));
  const min = jsonLines(
    (await trace(["syscalls", "--json", "--min", "50us", "-n", "0", file])).out,
  );
  assert.equal(min.length, all.filter((s) => (s.duration as number) >= 50_000).length);

  const steals = jsonLines((await trace(["steals", "--json", file])).out) as {
    steal: { time: number; thread: number; proc: number; self: boolean };
    syscall: { thread: number; start: number; duration: number };
  }[];
  assert.equal(steals.filter((s) => !s.steal.self).length, stolen.length);
  for (const s of steals) {
    // The steal happens during its syscall, on the P the syscall held.
    assert.ok(s.steal.time >= s.syscall.start);
    assert.ok(s.steal.time <= s.syscall.start + s.syscall.duration);
  }
  const table = await trace(["steals", file]);
  assert.match(table.out, new RegExp(`^${steals.length} steals\n`));
  assert.match(table.out, /^ {2}time +P +stolen by +from +G in syscall +syscall +called from/m);
});

Deno.test("trace validate: real traces are consistent; broken ones exit 1", async () => {
  const demo = await trace(["validate", "testdata/demo.trace"]);
  assert.equal(demo.code, 0);
  assert.equal(demo.out, "testdata/demo.trace: 112 events, consistent\n");
  if (!corpusAvailable()) return;
  const r = await trace(["validate", real(`${CGO}.trace`)]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /: 31218 events, consistent\n$/);
  // A pre-1.22 trace, converted by the reader, is checked with the legacy rules.
  const old = await trace(["validate", real("go1.19/http.trace")]);
  assert.equal(old.code, 0, old.out);
  assert.match(old.out, /: 2326 events, consistent\n$/);
});

/** Chrome trace-event JSON, as the export writes it. */
interface ChromeDoc {
  traceEvents: {
    ph: string;
    name: string;
    ts: number;
    dur?: number;
    pid: number;
    tid: number;
    id?: number;
    bp?: string;
  }[];
  displayTimeUnit: string;
}

function checkChromeStructure(doc: ChromeDoc): { flows: number; slices: number } {
  const evs = doc.traceEvents;
  assert.ok(evs.length > 0);
  for (const e of evs) {
    assert.ok(typeof e.ph === "string", JSON.stringify(e));
    assert.ok(typeof e.ts === "number" && Number.isFinite(e.ts), JSON.stringify(e));
    assert.ok(Number.isInteger(e.pid) && Number.isInteger(e.tid), JSON.stringify(e));
    assert.ok(["X", "s", "f", "M"].includes(e.ph), e.ph);
  }
  // Slices nest on every track: sorted by start (longest first on ties),
  // each one ends within the slice that encloses it.
  const tracks = new Map<string, { ts: number; end: number }[]>();
  for (const e of evs) {
    if (e.ph !== "X") continue;
    assert.ok(e.dur! >= 0);
    const k = `${e.pid}/${e.tid}`;
    if (!tracks.has(k)) tracks.set(k, []);
    tracks.get(k)!.push({ ts: e.ts, end: e.ts + e.dur! });
  }
  let slices = 0;
  for (const [k, list] of tracks) {
    list.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const open: number[] = [];
    for (const s of list) {
      // Within a rounding error of µs: a slice that ends where the next starts
      // does not enclose it (Perfetto reads times to the ns).
      while (open.length && open[open.length - 1] <= s.ts + 1e-9) open.pop();
      if (open.length) {
        assert.ok(s.end <= open[open.length - 1] + 1e-9, `${k}: ${JSON.stringify(s)}`);
      }
      open.push(s.end);
      slices++;
    }
  }
  // Flows pair up: each id once as "s" and once as "f" (bound to its enclosing slice).
  const starts = new Map<number, number>(), finishes = new Map<number, number>();
  for (const e of evs) {
    if (e.ph === "s") starts.set(e.id!, (starts.get(e.id!) ?? 0) + 1);
    if (e.ph === "f") {
      assert.equal(e.bp, "e");
      finishes.set(e.id!, (finishes.get(e.id!) ?? 0) + 1);
    }
  }
  assert.deepEqual([...starts.keys()].sort(), [...finishes.keys()].sort());
  for (const [, n] of [...starts, ...finishes]) assert.equal(n, 1);
  // Each flow starts inside a slice of its track (the syscall that lost its P).
  for (const e of evs) {
    if (e.ph !== "s" && e.ph !== "f") continue;
    const list = tracks.get(`${e.pid}/${e.tid}`) ?? [];
    assert.ok(list.some((s) => s.ts <= e.ts && e.ts <= s.end), `flow ${e.id} ${e.ph} in a slice`);
  }
  return { flows: starts.size, slices };
}

Deno.test("trace export: Chrome trace JSON that Perfetto opens (ph/ts/pid/tid, nesting, flows)", async () => {
  const demo = await trace(["export", "testdata/demo.trace"]);
  assert.equal(demo.code, 0, demo.err);
  const d = checkChromeStructure(JSON.parse(demo.out));
  assert.equal(d.flows, 2); // the demo's two steals
  if (!corpusAvailable()) return;
  for (const name of [CGO, "go1.25/gc-stress", "go1.22/stress"]) {
    const out = await Deno.makeTempFile({ suffix: ".json" });
    try {
      const r = await trace(["export", "-o", out, real(`${name}.trace`)]);
      assert.equal(r.code, 0, r.err);
      const doc: ChromeDoc = JSON.parse(Deno.readTextFileSync(out));
      const { flows } = checkChromeStructure(doc);
      const steals = jsonLines((await trace(["steals", "--json", real(`${name}.trace`)])).out);
      assert.equal(flows, steals.length, name);
      // One track per P, per M and per goroutine, named.
      const names = doc.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name");
      for (const pid of [1, 2, 3]) {
        assert.ok(names.some((e) => e.pid === pid), `${name} pid ${pid}`);
      }
    } finally {
      await Deno.remove(out);
    }
  }
});

Deno.test("trace text: binary → text → binary keeps every event; text matches testdata", async () => {
  const txt = await trace(["text", "testdata/syscall-steal.trace"]);
  assert.equal(txt.code, 0);
  // The committed .txt is the same text after its "#" comment lines.
  const committed = Deno.readTextFileSync("testdata/syscall-steal.txt").split("\n")
    .filter((l) => !l.startsWith("#")).join("\n").trimStart();
  assert.equal(txt.out, committed);
  if (!corpusAvailable()) return;
  const bin = real(`${CGO}.trace`);
  const text = await trace(["text", bin]);
  assert.equal(text.code, 0);
  assert.match(text.out, /^Trace Go1\.25\n/);
  const out = await Deno.makeTempFile({ suffix: ".trace" });
  try {
    const back = await trace(["text", "-o", out, "-"], text.out);
    assert.equal(back.code, 0, back.err);
    // The runtime pads batch sizes to a fixed width and the encoder does not,
    // so the bytes may differ; the events may not.
    assert.equal((await trace(["text", out])).out, text.out);
    assert.equal((await trace(["events", out])).out, (await trace(["events", bin])).out);
  } finally {
    await Deno.remove(out);
  }
  const badText = await trace(["text", "-"], "Trace Go1.22\nNoSuchEvent x=1\n");
  assert.equal(badText.code, 1);
  assert.match(badText.err, /TraceError \[bad-text\]/);
});

Deno.test("progress bar: redraws on stderr while a big input is read", async () => {
  assert.equal(progressLine(0, 100, 10), "[..........]   0%  0.0 / 0.0 MB");
  assert.match(
    progressLine(30 << 20, 40 << 20, 20),
    /^\[#{15}\.{5}\] {2}75% {2}30\.0 \/ 40\.0 MB$/,
  );
  const drawn: string[] = [];
  let t = 0;
  const chunks = [new Uint8Array(40), new Uint8Array(30), new Uint8Array(30)];
  const src = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks.shift();
      if (next) c.enqueue(next);
      else c.close();
    },
  });
  const s = withProgress(src, 100, (x) => drawn.push(x), () => (t += 150));
  assert.equal((await new Response(s).arrayBuffer()).byteLength, 100);
  assert.deepEqual(drawn.map((d) => /(\d+)%/.exec(d)?.[1] ?? "clear"), [
    "40",
    "70",
    "100",
    "clear",
  ]);
  assert.ok(drawn.every((d) => d.startsWith("\r")));
});

Deno.test("progress bar: shown for a file over 10 MB on a terminal, never in a pipe", async () => {
  if (!corpusAvailable()) return;
  const big = `${CORPUS_DIR}/perf/pingpong-1s.go1.25.trace.gz`;
  const trace_ = new URL("../../scripts/trace.ts", import.meta.url).pathname;
  const cmd = [Deno.execPath(), "run", "--allow-read", trace_, "events", "-n", "2", big]
    .map((a) => `'${a}'`).join(" ");
  let tty;
  try {
    // util-linux `script` runs the command on a pseudo-terminal.
    tty = await new Deno.Command("script", {
      args: ["-qec", cmd, "/dev/null"],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
  } catch {
    console.warn("*** WARNING: `script` is not installed; progress bar on a terminal not tested");
    return;
  }
  const out = new TextDecoder().decode(tty.stdout);
  assert.match(out, /\r\[#{30}\] 100% {2}13\.8 \/ 13\.8 MB/);
  assert.ok(out.includes("\r\x1b[2K"), "the bar is cleared when done");
  assert.match(out, /M=-1 P=-1 G=-1 Sync Time=\d+ N=1/);
  const piped = await trace(["events", "-n", "2", big]);
  assert.equal(piped.code, 0);
  assert.equal(piped.err, "");
});

Deno.test("trace --workers: summary, goroutines, syscalls and steals print what the sequential read prints", async () => {
  // demo.trace has several generations, syscalls and steals, and one
  // generation the workers cannot order alone (the main thread does).
  const demo = new URL("../../testdata/demo.trace", import.meta.url).pathname;
  for (const cmd of ["summary", "goroutines", "syscalls", "steals"]) {
    const seq = await trace([cmd, "--json", demo]);
    assert.equal(seq.code, 0, seq.err);
    assert.ok(seq.out.length > 100, `${cmd}: ${seq.out}`);
    // Two threads: one worker orders while this one analyzes; three: two workers.
    for (const n of [2, 3]) {
      const par = await trace([cmd, "--json", `--workers=${n}`, demo]);
      assert.equal(par.code, 0, par.err);
      assert.equal(par.out, seq.out, `${cmd} --workers=${n}`);
    }
  }
  const bad = await trace(["summary", "--workers=many", demo]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--workers must be a whole number/);
});

Deno.test("analysis threads: two for a regular file of 8 to 256 MB of trace on two cores, else one", () => {
  const mb = 1 << 20;
  const base = { size: 48 * mb, gzip: false, cores: 2, partial: false };
  assert.equal(analysisThreads(base), 2);
  assert.equal(analysisThreads({ ...base, size: AUTO_MIN_BYTES }), 2);
  assert.equal(analysisThreads({ ...base, size: AUTO_MIN_BYTES - 1 }), 1);
  assert.equal(analysisThreads({ ...base, size: AUTO_MAX_BYTES }), 2);
  assert.equal(analysisThreads({ ...base, size: AUTO_MAX_BYTES + 1 }), 1);
  // gzip counts four times its size: 3 MB of it is 12 MB of trace; 65 MB is 260.
  assert.equal(analysisThreads({ ...base, size: 3 * mb, gzip: true }), 2);
  assert.equal(analysisThreads({ ...base, size: 65 * mb, gzip: true }), 1);
  assert.equal(analysisThreads({ ...base, cores: 1 }), 1);
  assert.equal(analysisThreads({ ...base, partial: true }), 1);
  assert.equal(analysisThreads({ ...base, size: null }), 1); // stdin, a URL
});

Deno.test("analysis threads: trace summary and goroutines read a 9 MB trace on two threads by default, and print what one prints", async () => {
  // Four generations of 400,000 ping-pong events: 8.8 MB.
  const file = await Deno.makeTempFile({ suffix: ".trace" });
  try {
    await Deno.writeFile(file, pingPongTrace(4, 400_000));
    assert.ok((await Deno.stat(file)).size >= AUTO_MIN_BYTES);
    assert.equal(await analysisThreadsFor(file, false), 2);
    assert.equal(await analysisThreadsFor(file, true), 1); // --partial
    const small = new URL("../../testdata/demo.trace", import.meta.url).pathname;
    assert.equal(await analysisThreadsFor(small, false), 1);
    assert.equal(await analysisThreadsFor("-", false), 1);
    // What --workers asked for stands, whatever the file.
    assert.equal(await analysisThreadsFor(file, false, 1), 1);
    assert.equal(await analysisThreadsFor(small, false, 3), 3);
    for (const cmd of ["summary", "goroutines"]) {
      const one = await trace([cmd, "--json", "--workers=1", file]);
      const two = await trace([cmd, "--json", file]);
      assert.equal(one.code, 0, one.err);
      assert.equal(two.code, 0, two.err);
      if (cmd === "summary") assert.match(one.out, /"generations": 4/);
      else assert.match(one.out, /^{"id":\d+,/);
      assert.equal(two.out, one.out, cmd);
    }
  } finally {
    await Deno.remove(file);
  }
});
