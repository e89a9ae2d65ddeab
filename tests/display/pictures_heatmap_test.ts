import assert from "node:assert/strict";
import { readEvents } from "../../src/reader/mod.ts";
import { schedulerViews } from "../../src/queries/procs.ts";
import {
  heatColor,
  heatmapView,
  procHeatmap,
  renderHeatmapSvg,
} from "../../src/display/heatmap.ts";
import { picturesTrace } from "./pictures_trace.ts";
import { checkSvg } from "./svg_check.ts";

const round = (rows: number[][]) => rows.map((r) => r.map((v) => Math.round(v * 1000) / 1000));

Deno.test("heatmap: share of each 250 ns bucket each P ran goroutines", async () => {
  const { procs } = await schedulerViews(readEvents(picturesTrace()));
  const h = procHeatmap(procs, { from: 1000, to: 2000, buckets: 4 });
  assert.deepEqual(h.procs, [0, 1, 2]);
  assert.equal(h.bucket, 250);
  assert.deepEqual(round(h.values), [
    // P0: G1 1000–1100, 1300–1410, 1510–1600, 1860–2000 (the syscall 1410–1510 is not running).
    [0.4, 0.44, 0.36, 0.56],
    // P1: G2 until 1260, then 1560–1850.
    [1, 0.04, 0.76, 0.4],
    // P2: G3 1400–1610.
    [0, 0.4, 0.44, 0],
  ]);
  const svg = checkSvg(renderHeatmapSvg(h));
  assert.equal(svg.classes.cell, 12);
  assert.ok(svg.titles.includes("P1 0 – 250 ns: 100.0% running"), svg.titles.join("|"));
  assert.ok(svg.titles.includes("P2 500 ns – 750 ns: 44.0% running"));
});

Deno.test("heatmap: picture, text, odd bucket counts and colours", async () => {
  const { procs } = await schedulerViews(readEvents(picturesTrace()));
  const v = heatmapView(procs, { from: 1000, to: 2000, buckets: 3, title: "P use" });
  assert.equal(checkSvg(v.toSvg()).classes.cell, 9);
  // 1000/3 ns buckets: P1 runs 1000–1260 and 1560–1850.
  const w = 1000 / 3;
  const want = [260 / w, (1000 + 2 * w - 1560) / w, (1850 - 1000 - 2 * w) / w];
  v.data.values[1].forEach((x, i) => assert.ok(Math.abs(x - want[i]) < 1e-9, `${i}: ${x}`));
  assert.equal(String(v).split("\n")[0], "P use");
  // P0 0.4, 0.5, 0.42; P1 0.78, 0.32, 0.55; P2 0, 0.63, 0 (shades by quarters).
  assert.equal(
    String(v),
    "P use\n  P0 |▒▒▒|\n  P1 |▓░▒|\n  P2 | ▓ |\n  1.00 µs in 3 buckets of 333 ns",
  );
  // Default window: from the first to the last hold or slice.
  const d = procHeatmap(procs, { buckets: 10 });
  assert.ok(d.from < 1000 && d.to >= 2000);
  assert.ok(d.values.flat().every((x) => x >= 0 && x <= 1));
  assert.equal(heatColor(0.5), "rgb(65,182,196)");
  assert.equal(heatColor(2), heatColor(1));
  assert.deepEqual(procHeatmap([], { buckets: 5 }).values, []);
  checkSvg(renderHeatmapSvg(procHeatmap([], { buckets: 5 })));
});
