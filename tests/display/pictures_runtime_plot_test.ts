import assert from "node:assert/strict";
import { readEvents } from "../../src/reader/mod.ts";
import { gcAndMetrics } from "../../src/queries/gc.ts";
import {
  renderRuntimePlotSvg,
  runtimePlotData,
  runtimePlotView,
} from "../../src/display/runtime_plot.ts";
import { picturesTrace } from "./pictures_trace.ts";
import { checkSvg } from "./svg_check.ts";

const MiB = 1 << 20;
const pts = (s: { time: number; value: number }[]) => s.map((p) => `${p.time}:${p.value}`);

Deno.test("runtime plot: series and shading of the hand-made trace", async () => {
  const gc = await gcAndMetrics(readEvents(picturesTrace()));
  const d = runtimePlotData(gc, { from: 1000, to: 2000 });
  assert.deepEqual(pts(d.heapLive), [`1000:${4 * MiB}`, `1200:${6 * MiB}`, `1750:${3 * MiB}`]);
  assert.deepEqual(pts(d.heapGoal), [`1000:${8 * MiB}`, `1760:${6 * MiB}`]);
  assert.deepEqual(pts(d.gomaxprocs), ["1000:3"]);
  // G1, G2 and G3 alive at 1000; G3 exits at 1610, G2 at 1850, G1 at 2000.
  assert.deepEqual(pts(d.goroutines), ["1000:3", "1610:2", "1850:1", "2000:0"]);
  assert.deepEqual(d.gc, [{ start: 1060, end: 1710, label: "GC 1" }]);
  assert.deepEqual(d.stw, [
    { start: 1055, end: 1075, label: "GC sweep termination" },
    { start: 1700, end: 1720, label: "GC mark termination" },
  ]);
  const svg = checkSvg(renderRuntimePlotSvg(d));
  assert.equal(svg.classes.gc, 1);
  assert.equal(svg.classes.stw, 2);
  assert.equal(svg.classes.series, 4); // heap live, heap goal, goroutines, GOMAXPROCS
  assert.ok(svg.titles.includes("GC 1: 650 ns"), svg.titles.join("|"));
  assert.ok(svg.titles.includes("stop-the-world (GC mark termination): 20 ns"));
});

Deno.test("runtime plot: windows clip series and ranges", async () => {
  const gc = await gcAndMetrics(readEvents(picturesTrace()));
  const d = runtimePlotData(gc, { from: 1100, to: 1500 });
  assert.deepEqual(pts(d.heapLive), [`1100:${4 * MiB}`, `1200:${6 * MiB}`]);
  assert.deepEqual(d.gc, [{ start: 1100, end: 1500, label: "GC 1" }]);
  assert.deepEqual(d.stw, []);
  const late = runtimePlotData(gc, { from: 1715, to: 1800 });
  assert.deepEqual(late.stw, [{ start: 1715, end: 1720, label: "GC mark termination" }]);
  assert.deepEqual(late.gc, []);
  // Without a window: the data's extent.
  const all = runtimePlotData(gc);
  assert.ok(all.from < 1000 && all.to === 2000);
});

Deno.test("runtime plot: picture, text and many points", async () => {
  const gc = await gcAndMetrics(readEvents(picturesTrace()));
  const p = runtimePlotView(gc, { from: 1000, to: 2000, title: "runtime" });
  assert.equal(
    String(p),
    [
      "runtime",
      "  window      1.00 µs",
      "  heap live   3 MiB – 6 MiB",
      "  heap goal   6 MiB – 8 MiB",
      "  goroutines  0 – 3",
      "  GOMAXPROCS  3",
      "  GC cycles   1; stop-the-world 2 (40 ns)",
    ].join("\n"),
  );
  // A million changes still make a path of about a thousand points per series.
  const heapLive = Array.from({ length: 1_000_000 }, (_, i) => ({ time: i, value: i % 97 }));
  const svg = renderRuntimePlotSvg({
    from: 0,
    to: 1_000_000,
    heapLive,
    heapGoal: [],
    goroutines: [],
    gomaxprocs: [],
    gc: [],
    stw: [],
  });
  checkSvg(svg);
  assert.ok(svg.length < 200_000, `${svg.length} bytes`);
});
