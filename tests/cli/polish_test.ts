// Everyday polish of the command line, the REPL views and the notebooks:
// each test here failed before its fix.
import assert from "node:assert/strict";
import { conformanceTrace } from "../helpers/corpus.ts";
import { trace } from "../helpers/run.ts";

const DEMO = "testdata/demo.trace";

function jsonLines(out: string): Record<string, unknown>[] {
  return out.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

Deno.test("time options: a duration is from the first event, with or without +; @ is absolute", async () => {
  const all = jsonLines((await trace(["events", "--json", DEMO])).out);
  const t0 = all[0].ns as number;
  const plain = await trace(["events", "--json", "--from", "500us", "--to", "1500us", DEMO]);
  const plus = await trace(["events", "--json", "--from", "+500us", "--to", "+1500us", DEMO]);
  const abs = await trace([
    "events",
    "--json",
    "--from",
    `@${t0 + 500_000}`,
    "--to",
    `@${t0 + 1_500_000}ns`,
    DEMO,
  ]);
  const got = jsonLines(plain.out);
  assert.ok(got.length > 0 && got.length < all.length, "2ms-style bounds cut a window");
  assert.equal(plus.out, plain.out);
  assert.equal(abs.out, plain.out);
  // pprof takes the same forms (it refused "+").
  for (const from of ["+200us", "200us", `@${t0 + 200_000}`]) {
    const r = await trace([
      "pprof",
      "--kind=sched",
      "--from",
      from,
      "-o",
      "/tmp/polish.pb.gz",
      DEMO,
    ]);
    assert.equal(r.code, 0, r.err);
  }
  // syscalls take a window too; a bad time names both forms.
  const sc = await trace(["syscalls", "--json", "--from", "@0", "--to", "@1", DEMO]);
  assert.equal(sc.code, 0, sc.err);
  assert.equal(sc.out.trim(), "");
  const bad = await trace(["syscalls", "--from", "soon", DEMO]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /duration from the first event .* absolute timestamp \(@/);
  for (const cmd of ["events", "export", "pprof", "syscalls"]) {
    const h = await trace([cmd, "--help"]);
    assert.match(h.out, /"@", an absolute timestamp/, cmd);
  }
  const step = await trace(["step", "--help"]);
  assert.match(step.out, /with "@", an absolute timestamp/);
});

Deno.test("trace step: the frontier shows when events would be placed; n alone steps once", async () => {
  // A conformance case: every recorded time is 0, events get forced-increasing times.
  const file = await Deno.makeTempFile({ suffix: ".trace" });
  try {
    Deno.writeFileSync(file, conformanceTrace("go122-syscall-steal-proc-ambiguous"));
    const r = await trace(["step", file], "n\nn\nf\nq\n");
    assert.equal(r.code, 0, r.err);
    const blocks = r.out.split(/^step \d+> /m).slice(1);
    assert.match(blocks[0], /^n\n#1 .*Sync Time=1 /);
    assert.match(blocks[1], /^n\n#2 /);
    const frontier = blocks[2].split("\n").slice(2).filter((l) => /^ {2}\d/.test(l));
    assert.match(blocks[2], /^f\nFrontier\n {2}M +next +time +recorded +verdict\n/);
    assert.ok(frontier.length > 0);
    for (const l of frontier) {
      const [time, recorded] = l.replace(/^.*?(\d+) +(\d+) +(can advance|waits).*$/, "$1 $2")
        .split(" ").map(Number);
      assert.equal(recorded, 0, l);
      assert.ok(time > 2, l); // past the two events placed
    }
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("bad values are usage errors that list the accepted values", async () => {
  const kind = await trace(["events", "-k", "Bogus", DEMO]);
  assert.equal(kind.code, 2);
  assert.equal(kind.out, "");
  assert.match(kind.err, /--kind must be one of .*StateTransition.*GoSyscallBegin.*got "Bogus"/);
  const state = await trace(["goroutines", "--state", "Bogus", DEMO]);
  assert.equal(state.code, 2);
  assert.match(state.err, /--state must be one of .*Running, Waiting, Syscall; got "Bogus"/);
  const sort = await trace(["goroutines", "--sort", "bogus", DEMO]);
  assert.equal(sort.code, 2);
  assert.match(sort.err, /--sort must be one of running, .*; got "bogus"/);
  // Accepted values are still accepted, in any case.
  assert.equal((await trace(["events", "-k", "gosyscallbegin,Log", DEMO])).code, 0);
  assert.equal((await trace(["goroutines", "--state", "notexist", DEMO])).code, 0);
});

Deno.test("the unknown-option message has balanced quotes", async () => {
  const r = await trace(["events", "--bogus", DEMO]);
  assert.equal(r.code, 2);
  const first = r.err.split("\n")[0];
  assert.match(first, /unknown option --bogus/);
  assert.equal((first.match(/"/g) ?? []).length % 2, 0, first);
  assert.equal((first.match(/'/g) ?? []).length % 2, 0, first);
});

/** A testdata trace with some of its strings replaced (Go-quoted), opened for exploring. */
async function withStrings(name: string, subst: Record<string, string>) {
  const { parseText } = await import("../../src/wire/text.ts");
  const { encodeBinary, encodedSize } = await import("../../src/wire/raw.ts");
  const { Ev } = await import("../../src/wire/spec.ts");
  const { openTrace } = await import("../../src/display/explore.ts");
  let text = Deno.readTextFileSync(`testdata/${name}.txt`);
  for (const [from, to] of Object.entries(subst)) {
    text = text.replace(`data="${from}"`, `data="${to}"`);
  }
  const raw = parseText(text);
  // Longer strings make longer batches: recompute each batch's size.
  let batch: { args: number[] } | null = null;
  for (const ev of raw.events) {
    if (ev.type === Ev.EventBatch) (batch = ev).args[3] = 0;
    else if (batch) batch.args[3] += encodedSize(ev);
  }
  const t = await openTrace(encodeBinary(raw));
  assert.equal(t.error, null);
  return t;
}

// ESC sequences (a colour, an OSC set-title), BEL, C1 CSI and the right-to-left override.
const NASTY = String.raw`\x1b[31mred\x1b]0;title\x07\u202eevil\u009b2J`;
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

Deno.test("text views escape control characters and bidi overrides from the trace", async () => {
  const t = await withStrings("regions-logs", {
    order: NASTY,
    validate: NASTY,
    orderID: NASTY,
    "A-1001": NASTY,
  });
  for (
    const [what, view] of [
      ["logs", t.logs()],
      ["regions", t.regions()],
      ["tasks", t.tasks()],
      ["eventTable", t.eventTable({ kinds: ["Log", "RegionBegin", "TaskBegin"] })],
    ] as const
  ) {
    const text = String(view);
    assert.doesNotMatch(text, CONTROL, what);
    assert.match(text, /\\x1b\[31mred\\x1b\]0;title\\a\\u202eevil\\u009b2J/, what);
    // HTML keeps the characters (escaped for HTML only).
    const html = (view as unknown as Record<symbol, () => Record<string, string>>)
      [Symbol.for("Jupyter.display")]()["text/html"];
    assert.ok(html.includes("\x1b[31mred"), what);
  }
  const l = await withStrings("labels", { "GC (dedicated)": NASTY });
  const text = String(l.goroutines());
  assert.doesNotMatch(text, CONTROL);
  assert.match(text, /\\x1b\[31mred/);
  assert.doesNotMatch(String(l.timeline()), CONTROL);
});

/** The text of every <text> element of an SVG that looks like a duration. */
function durationLabels(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
    .filter((t) => /^-?[\d.]+ (ns|µs|ms|s)$/.test(t));
}

Deno.test("zoomed timelines and chart axes keep their ticks and headers distinct", async () => {
  const { openTrace } = await import("../../src/display/explore.ts");
  const { LineChart } = await import("../../src/display/svg_chart.ts");
  const { histogramView } = await import("../../src/display/histogram.ts");
  const t = await openTrace(DEMO);
  // A few ns of a window 1 µs into the trace.
  for (
    const tl of [
      t.timeline({ from: t.start + 1000, to: t.start + 1006 }),
      t.procTimeline({ from: t.start + 1000, to: t.start + 1006 }),
    ]
  ) {
    const labels = durationLabels(tl.toSvg());
    assert.ok(labels.length >= 3, labels.join(","));
    assert.equal(new Set(labels).size, labels.length, labels.join(", "));
    const head = String(tl).split("\n").find((l) => l.includes(" … "))!;
    const [a, b] = /(\S+ \S+) … (\S+ \S+)/.exec(head)!.slice(1);
    assert.notEqual(a, b, head);
  }
  // A chart whose x is 50 ms into the trace, over 5 µs.
  const { formatTick, formatDuration } = await import("../../src/display/duration.ts");
  const chart = new LineChart([{
    name: "heap",
    color: "#36c",
    points: [{ x: 50_000_000, y: 1 }, { x: 50_005_000, y: 2 }],
  }], { formatX: (x, step) => step ? formatTick(x, step) : formatDuration(x) });
  const xl = durationLabels(chart.toSvg());
  assert.ok(xl.length >= 3);
  assert.equal(new Set(xl).size, xl.length, xl.join(", "));
  // A histogram of durations close together.
  const h = histogramView([1_000_100, 1_000_200, 1_000_300, 1_000_500, 1_000_900]);
  const axis = durationLabels(h.toSvg().split(">count<")[0]);
  assert.ok(axis.length >= 3);
  assert.equal(new Set(axis).size, axis.length, axis.join(", "));
  const ranges = String(h).split("\n").filter((l) => l.includes(" – ")).map((l) => l.split("│")[0]);
  assert.equal(new Set(ranges).size, ranges.length, ranges.join(", "));
});

Deno.test("README: examples run tasks quietly, and the suite's cost is stated", () => {
  const readme = Deno.readTextFileSync("README.md");
  const code = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join("");
  const tasks = code.split("\n").filter((l) => /\bdeno task\b/.test(l));
  assert.ok(tasks.length > 10);
  for (const l of tasks) assert.match(l, /deno task -q /, l);
  assert.match(readme, /takes about \d+ minutes and up to \d+ GB/);
});

Deno.test("syscalls: what became of the P reads as one fact; --stolen means another M took it", async () => {
  const r = await trace(["syscalls", "--longest", DEMO]);
  assert.match(r.out, /what became of its P/);
  assert.doesNotMatch(r.out, /P outcome|P stolen by +$/m);
  assert.match(r.out, /P stolen by M4 after 270 ns; returned without its P$/m);
  const help = await trace(["syscalls", "--help"]);
  for (
    const fate of ["kept its P", "returned without its P", "got the same P back", "gave up its P"]
  ) {
    assert.ok(help.out.includes(fate), fate);
  }
  const { filterSyscalls } = await import("../../src/queries/syscalls.ts");
  const steal = {
    time: 5,
    proc: 0,
    thread: 1,
    stealerProc: -1,
    stealerGoroutine: -1,
    abandoned: false,
  };
  const rec = (self: boolean) => ({
    goroutine: 1,
    thread: 1,
    proc: 0,
    start: 0,
    end: 10,
    duration: 10,
    beforeTrace: false,
    stack: [],
    outcome: "no-proc" as const,
    returnProc: -1,
    steal: { ...steal, self },
  });
  assert.equal(filterSyscalls([rec(true), rec(false)], { stolen: true }).length, 1);
});

Deno.test("old-format traces: unknown syscall durations, a real t0, text and help say what holds", async () => {
  const old = "../shared/corpus/real/go1.19/http.trace";
  try {
    Deno.statSync(old);
  } catch {
    console.warn("corpus missing: old-format checks skipped");
    return;
  }
  const r = await trace(["syscalls", "-n", "0", old]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /duration unknown \(Go < 1\.22\)/);
  assert.doesNotMatch(r.out, / 1 ns /);
  assert.doesNotMatch(r.out, /t0 = -1 ns/);
  const text = await trace(["text", old]);
  assert.equal(text.code, 1);
  assert.match(text.err, /the textual format exists for Go 1\.22\+ traces only/);
  const help = await trace(["--help"]);
  assert.doesNotMatch(help.out, /\(Go 1\.22\+/);
  assert.match(help.out, /Go 1\.11 or later/);
});

Deno.test("an empty file says so", async () => {
  const file = await Deno.makeTempFile({ suffix: ".trace" });
  try {
    const r = await trace(["summary", file]);
    assert.equal(r.code, 1);
    assert.match(r.err, /: empty file\n$/);
    assert.doesNotMatch(r.err, /not a Go execution trace/);
    const stdin = await trace(["events", "-"], new Uint8Array());
    assert.match(stdin.err, /-: empty file/);
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("counts agree with their nouns", async () => {
  const { openTrace } = await import("../../src/display/explore.ts");
  const t = await openTrace("testdata/regions-logs.trace");
  const s = String(t.summary());
  assert.match(s, /Annotations +1 task, 3 regions, 2 logs/);
  assert.match(s, /1 M, 1 P /);
  const { goroutineInfoTable } = await import("../../src/display/goroutine_view.ts");
  assert.match(String(goroutineInfoTable([])), /^0 goroutines/);
});

Deno.test("notebook tables set their own cell alignment", async () => {
  const { openTrace } = await import("../../src/display/explore.ts");
  const t = await openTrace(DEMO);
  const display = (v: unknown) =>
    (v as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]()[
      "text/html"
    ];
  const s = t.stepper();
  s.step(3);
  for (const html of [display(t.summary()), display(s)]) {
    const cells = [...html.matchAll(/<td[^>]*>/g)].map((m) => m[0]);
    assert.ok(cells.length > 0);
    for (const td of cells) assert.match(td, /text-align:(left|right)/, td);
  }
});

Deno.test("durations keep three significant digits, in analyze and trace alike", async () => {
  const { formatDuration } = await import("../../src/display/duration.ts");
  assert.equal(formatDuration(1e9), "1.00 s");
  assert.equal(formatDuration(1.04e9), "1.04 s");
  assert.equal(formatDuration(1_500_000), "1.50 ms");
  assert.equal(formatDuration(999_999), "1.00 ms");
  // analyze says the same as trace: one formatter.
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", "scripts/analyze.ts", DEMO],
  });
  const out = new TextDecoder().decode((await cmd.output()).stdout);
  assert.match(out, /2\.00 ms traced/);
  assert.doesNotMatch(out, /\d\.\d{3}(s|ms|µs)\b/); // it said "1.000ms"
});

Deno.test("JSON: a missing M, P or G is null; byKind is an object", async () => {
  const rows = jsonLines((await trace(["events", "--json", DEMO])).out);
  const sync = rows.find((r) => r.event === "Sync")!;
  assert.equal(sync.G, null);
  for (const r of rows) for (const k of ["M", "P", "G"]) assert.notEqual(r[k], "-");
  const s = JSON.parse((await trace(["summary", "--json", DEMO])).out);
  assert.ok(!Array.isArray(s.byKind) && typeof s.byKind === "object");
  assert.equal(s.byKind.StateTransition, 76);
  assert.deepEqual(Object.keys(s.byKind)[0], "StateTransition"); // most frequent first
});

Deno.test("text timeline: steal marks never overwrite what the lane was doing", async () => {
  const { renderTimelineText } = await import("../../src/display/svg_timeline.ts");
  const marks = Array.from(
    { length: 100 },
    (_, i) => ({ time: i, color: "red", title: "steal", char: "X" }),
  );
  const text = renderTimelineText([
    { label: "G1", spans: [{ start: 0, end: 100, color: "green", char: "#" }], marks },
  ], { from: 0, to: 100, columns: 20 });
  assert.match(text, /^G1 {4}\|#{20}\|$/m);
  assert.match(text, /^ {7}X{20}$/m);
});

Deno.test("repeated labels and regions are shown once with a count", async () => {
  const { goroutineInfoTable } = await import("../../src/display/goroutine_view.ts");
  const g = {
    id: 7,
    name: "main.worker",
    state: "Waiting",
    creationTime: 10,
    endTime: null,
    blockReasons: [],
    regions: ["load", "load", "save"],
    labels: ["GC (dedicated)", "GC (dedicated)", "GC (dedicated)"],
  };
  const text = String(goroutineInfoTable([g as never]));
  assert.match(text, /load ×2, save/);
  assert.match(text, /GC \(dedicated\) ×3/);
  assert.doesNotMatch(text, /GC \(dedicated\), GC/);
});

Deno.test("old-format summary: the span starts at a real time, placeholder Ps are not Ps", async () => {
  const old = "../shared/corpus/real/go1.19/http.trace";
  try {
    Deno.statSync(old);
  } catch {
    console.warn("corpus missing: old-format checks skipped");
    return;
  }
  const s = await trace(["summary", old]);
  assert.equal(s.code, 0, s.err);
  assert.doesNotMatch(s.out, /\(-1 …/);
  assert.match(s.out, /^Span +7\.03 ms \(2208 … 7030218 ns\)$/m);
  assert.match(s.out, /8 Ps \(GOMAXPROCS 8\), not counting the old format's 3 placeholder Ps/);
  const j = JSON.parse((await trace(["summary", "--json", old])).out);
  assert.equal(j.procs, 8);
  assert.equal(j.start, 2208);
  const sc = await trace(["syscalls", "-n", "0", old]);
  assert.doesNotMatch(sc.out, /P100000\d/);
  assert.match(sc.out, /returned; its P is not recorded \(Go < 1\.22\)/);
});

Deno.test("summary of a trace that fails part way: what was read, then the error", async () => {
  const file = await Deno.makeTempFile({ suffix: ".trace" });
  try {
    Deno.writeFileSync(file, conformanceTrace("go122-create-syscall-with-p"));
    const r = await trace(["summary", file]);
    assert.equal(r.code, 1);
    assert.match(r.out, /^Events +10 \(StateTransition 9, Sync 1\)$/m);
    assert.match(r.out, /^Syscalls +3, 1 ProcSteal$/m);
    assert.match(r.err, /expected a proc but didn't have one/);
    const j = await trace(["summary", "--json", file]);
    assert.equal(j.code, 1);
    const s = JSON.parse(j.out);
    assert.equal(s.events, 10);
    assert.match(s.error, /expected a proc but didn't have one/);
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("demo prints the summary trace summary prints, and its consistency", async () => {
  const s = await trace(["summary", DEMO]);
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", "scripts/demo.ts", DEMO],
  });
  const d = new TextDecoder().decode((await cmd.output()).stdout);
  const facts = (out: string) => out.split("\n\n")[0].split("\n").slice(1); // past the name
  assert.deepEqual(facts(d).filter((l) => !l.startsWith("Consistency")), facts(s.out));
  assert.match(d, /^Consistency +ok/m);
  assert.equal(d.split("\n\n")[1], s.out.split("\n\n")[1]); // the same top goroutines
});

Deno.test("a histogram of one value is one bar, labelled with that value", async () => {
  const { histogramView } = await import("../../src/display/histogram.ts");
  for (const log of [false, true]) {
    for (const values of [[1500], [1500, 1500, 1500]]) {
      const h = histogramView(values, { log });
      assert.deepEqual(h.data.buckets, [{ lo: 1500, hi: 1500, count: values.length }]);
      const svg = h.toSvg();
      assert.equal((svg.match(/class="bar"/g) ?? []).length, 1);
      assert.match(svg, />1\.50 µs<\/text>/);
      assert.doesNotMatch(svg, /class="pct"/); // no percentile lines through the bar
      assert.match(String(h), /^ {2}1\.50 µs │█+ \d$/m);
    }
  }
});

Deno.test("runtime plot: GOMAXPROCS has a labelled axis; a real trace's plot stays small", async () => {
  const { renderRuntimePlotSvg } = await import("../../src/display/runtime_plot.ts");
  const svg = renderRuntimePlotSvg({
    from: 0,
    to: 100,
    heapLive: [],
    heapGoal: [],
    goroutines: [{ time: 0, value: 5 }],
    gomaxprocs: [{ time: 0, value: 4 }],
    gc: [],
    stw: Array.from(
      { length: 5000 },
      (_, i) => ({ start: i / 50, end: i / 50 + 0.001, label: "x" }),
    ),
  });
  const panel = svg.slice(svg.indexOf(">GOMAXPROCS</text>", svg.indexOf("stop-the-world<")));
  const labels = [...panel.matchAll(/text-anchor="end" fill="#555">(\d+)</g)].map((m) => m[1]);
  assert.deepEqual(labels, ["0", "4"]);
  // 5000 pauses in the first pixels: a few rectangles, not 5000.
  assert.ok((svg.match(/class="stw"/g) ?? []).length < 10);
  assert.match(svg, /5000 stop-the-world pauses: /);
  const real = "../shared/corpus/real/go1.21/stress.trace";
  try {
    Deno.statSync(real);
  } catch {
    return;
  }
  const { openTrace } = await import("../../src/display/explore.ts");
  const { runtimePlotView } = await import("../../src/display/runtime_plot.ts");
  const big = runtimePlotView((await openTrace(real)).gc()).toSvg();
  assert.ok(big.length < 120_000, `${big.length} bytes`);
  assert.doesNotMatch(big, /( V[\d.]+)\1 /); // no vertical move to where the pen is
});

Deno.test("pictures carry their SVG inline in HTML too, so nbconvert's HTML export keeps them", async () => {
  const { openTrace } = await import("../../src/display/explore.ts");
  const { histogramView } = await import("../../src/display/histogram.ts");
  const t = await openTrace(DEMO);
  const display = (v: unknown) =>
    (v as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  for (const v of [t.timeline(), t.heap(), histogramView([1, 2, 3])]) {
    const b = display(v);
    // The very SVG, hover titles and all, in a scrolling box.
    const m = /^<div[^>]*>(<svg[^]*<\/svg>)<\/div>$/.exec(b["text/html"]);
    assert.ok(m, b["text/html"]?.slice(0, 80));
    assert.equal(m[1], b["image/svg+xml"]);
    assert.match(m[1], /<title>/);
    assert.ok("text/plain" in b);
  }
});
