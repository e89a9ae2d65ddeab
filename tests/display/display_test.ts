// The display layer without Jupyter: every view of a trace gives the MIME
// bundle the kernel asks for (HTML or SVG plus text), long tables are cut
// with a count, timelines are windowed with a human time axis, the Chrome
// export nests on real traces, and a broken trace still opens.
import assert from "node:assert/strict";
import { chromeTrace, openTrace } from "../../mod.ts";
import {
  DataTable,
  formatDuration,
  JUPYTER_DISPLAY,
  parseDuration,
  renderTimelineSvg,
  renderTimelineText,
} from "../../display.ts";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";

const DEMO = new URL("../../testdata/demo.trace", import.meta.url);

Deno.test("display: every view of a trace renders for Jupyter, with a text fallback", async () => {
  const t = await openTrace(DEMO);
  const w = { from: t.start, to: t.start + 1000 };
  type Displayable = { [JUPYTER_DISPLAY](): Record<string, string> };
  const views: [string, Displayable, string][] = [
    ["trace", t, "text/html"],
    ["summary", t.summary(), "text/html"],
    ["top", t.top(3), "text/html"],
    ["goroutines", t.goroutines(), "text/html"],
    ["goroutineTimes", t.goroutineTimes(), "text/html"],
    ["functions", t.functions(), "text/html"],
    ["blockReasons", t.blockReasons(), "text/html"],
    ["syscalls", t.syscalls(), "text/html"],
    ["steals", t.steals(), "text/html"],
    ["events", t.eventTable({ goroutine: 10 }), "text/html"],
    ["tasks", t.tasks(), "text/html"],
    ["regions", t.regions(), "text/html"],
    ["logs", t.logs(), "text/html"],
    ["gcCycles", t.gcCycles(), "text/html"],
    ["pauses", t.pauses(), "text/html"],
    ["mmu", t.mmu(), "text/html"],
    ["cpu", t.cpu(), "text/html"],
    // The stepper keys its display by Symbol.for(...) itself: the same symbol.
    ["stepper", t.stepper() as unknown as Displayable, "text/html"],
    ["timeline", t.timeline(w), "image/svg+xml"],
    ["procTimeline", t.procTimeline(w), "image/svg+xml"],
    ["threadTimeline", t.threadTimeline(w), "image/svg+xml"],
    ["heap", t.heap(), "image/svg+xml"],
    ["mmuCurve", t.mmuCurve(), "image/svg+xml"],
  ];
  for (const [name, v, mime] of views) {
    const bundle = v[JUPYTER_DISPLAY]();
    assert.ok(bundle[mime]?.length > 0, `${name}: ${mime}`);
    assert.ok(bundle["text/plain"]?.length > 0, `${name}: text/plain`);
    if (mime === "image/svg+xml") assert.match(bundle[mime], /^<svg [^]*<\/svg>$/, name);
    // The REPL prints the same text as the fallback (a whole trace prints one line there).
    const inspected = Deno.inspect(v);
    if (name !== "stepper" && name !== "trace") assert.equal(inspected, bundle["text/plain"], name);
  }
});

Deno.test("display: long tables are cut, with a count of what was left out", () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ id: i, name: `g${i}` }));
  const t = new DataTable(rows, [
    { header: "id", value: (r) => r.id },
    { header: "name", value: (r) => r.name },
  ], { caption: "40 rows", max: 10 });
  const text = String(t).split("\n");
  assert.equal(text.length, 1 + 1 + 10 + 1);
  assert.equal(text.at(-1), "  … 30 more rows");
  const html = t[JUPYTER_DISPLAY]()["text/html"];
  assert.equal(html.match(/<tr>/g)!.length, 11);
  assert.match(html, /… 30 more rows/);
  assert.equal(t.where((r) => r.id % 2 === 0).length, 20);
  assert.deepEqual(JSON.parse(JSON.stringify(t.head(2))), rows.slice(0, 2));
});

Deno.test("display: time axis in human units, windows and text pictures", () => {
  assert.equal(formatDuration(1_234), "1.23 µs");
  assert.equal(formatDuration(12_345_678), "12.3 ms");
  assert.equal(formatDuration(2e9), "2.00 s");
  assert.equal(formatDuration(1_040_000_000), "1.04 s");
  assert.equal(parseDuration("1.5us"), 1500);
  assert.equal(parseDuration("3 s"), 3e9);
  const lanes = [{
    label: "G1",
    spans: [
      { start: 0, end: 2_000_000, color: "#3f9b4a", char: "#" },
      { start: 2_000_000, end: 5_000_000, color: "#7d3c98", char: "S" },
    ],
    marks: [{ time: 3_000_000, color: "#d62728", title: "steal", char: "X" }],
  }];
  const svg = renderTimelineSvg(lanes, { from: 0, to: 5_000_000 });
  for (const tick of ["0", "1 ms", "2 ms", "3 ms", "4 ms", "5 ms"]) {
    assert.ok(svg.includes(`>${tick}<`), tick);
  }
  assert.ok(svg.includes("<title>steal</title>"));
  const text = renderTimelineText(lanes, { from: 0, to: 5_000_000, columns: 10 });
  // The steal mark has a row of its own: the lane keeps what it was doing.
  assert.match(text, /^G1 {4}\|####SSSSSS\|\n {13}X$/m);
  // A window clips: only the syscall shows, the mark is outside.
  const later = renderTimelineText(lanes, {
    from: 3_500_000,
    to: 5_000_000,
    columns: 6,
    origin: 0,
  });
  assert.match(later, /^G1 {4}\|SSSSSS\|$/m);
  assert.match(later, /^ +3\.5 ms … 5 ms \(t0 = 0 ns, one column = 250 µs\)$/m);
});

Deno.test("display: a trace bad part way opens with the events before the problem", async () => {
  const bytes = Deno.readFileSync(DEMO);
  const t = await openTrace(bytes.subarray(0, 3000), "cut");
  assert.ok(t.error !== null);
  assert.ok(t.events.length > 0 && t.events.length < 112);
  assert.match(String(t), /^TraceView cut: Go 1\.25, \d+ events; unreadable after that: /);
  assert.match(String(t.summary()), /unreadable after \d+ events/);
});

Deno.test("display: Chrome export of real traces nests on every track", async () => {
  if (!corpusAvailable()) return;
  for (const name of ["go1.25/cgo-callback", "go1.23/gc-stress"]) {
    const t = await openTrace(`${CORPUS_DIR}/real/${name}.trace`);
    const doc = t.chromeTrace();
    const tracks = new Map<string, { ts: number; end: number }[]>();
    for (const e of doc.traceEvents) {
      if (e.ph !== "X") continue;
      const k = `${e.pid}/${e.tid}`;
      if (!tracks.has(k)) tracks.set(k, []);
      tracks.get(k)!.push({ ts: e.ts, end: e.ts + e.dur! });
    }
    for (const list of tracks.values()) {
      list.sort((a, b) => a.ts - b.ts || b.end - a.end);
      const open: number[] = [];
      for (const s of list) {
        while (open.length && open[open.length - 1] <= s.ts) open.pop();
        if (open.length) assert.ok(s.end <= open[open.length - 1] + 1e-9);
        open.push(s.end);
      }
    }
    // The same document the library function makes from the same data.
    assert.equal(
      doc.traceEvents.length,
      chromeTrace({
        timelines: Object.fromEntries(t.goroutineInfo().map((g) => [g.id, g.timeline])),
        scheduler: t.scheduler(),
        syscalls: t.syscallRecords(),
        names: new Map(t.goroutineInfo().filter((g) => g.name).map((g) => [g.id, g.name])),
        origin: t.start,
      }).traceEvents.length,
    );
  }
});

Deno.test("docs: the README shows the committed timeline picture", () => {
  const readme = Deno.readTextFileSync(new URL("../../README.md", import.meta.url));
  assert.match(readme, /!\[[^\]]+\]\(docs\/timeline\.png\)/);
  const png = Deno.readFileSync(new URL("../../docs/timeline.png", import.meta.url));
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const svg = Deno.readTextFileSync(new URL("../../docs/timeline.svg", import.meta.url));
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
});
