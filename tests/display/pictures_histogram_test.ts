import assert from "node:assert/strict";
import { readEvents } from "../../src/reader/mod.ts";
import { analyzeAll } from "../../src/queries/source.ts";
import { Timelines } from "../../src/queries/timeline.ts";
import { SyscallAnalysis } from "../../src/queries/syscalls.ts";
import { GoroutineAnalysis } from "../../src/queries/analysis.ts";
import {
  histogram,
  histogramStats,
  histogramsView,
  histogramView,
  percentile,
  renderHistogramSvg,
} from "../../src/display/histogram.ts";
import {
  blockDurations,
  schedulingLatencies,
  spanDurations,
  spanDurationsBy,
} from "../../src/queries/durations.ts";
import { JUPYTER_DISPLAY } from "../../src/display/rich.ts";
import { picturesTrace } from "./pictures_trace.ts";
import { checkSvg } from "./svg_check.ts";

const counts = (h: { buckets: { lo: number; hi: number; count: number }[] }) =>
  h.buckets.map((b) => `${b.lo}-${b.hi}:${b.count}`);

async function lists() {
  const r = await analyzeAll(readEvents(picturesTrace()), {
    tl: new Timelines(),
    sc: new SyscallAnalysis(),
    ga: new GoroutineAnalysis(),
  });
  return {
    syscalls: spanDurations(r.sc),
    blocks: blockDurations(r.tl),
    latencies: schedulingLatencies(r.tl),
    regions: spanDurationsBy(r.ga.regions, (x) => x.name),
  };
}

Deno.test("histogram inputs: the duration lists of the hand-made trace", async () => {
  const l = await lists();
  assert.deepEqual(l.syscalls, [100]);
  assert.deepEqual(l.blocks, { "chan receive": [150], sync: [290], sleep: [200] });
  // G1 1250–1300 and 1800–1860, G2 1550–1560, G3 1000–1400.
  assert.deepEqual(l.latencies.slice().sort((a, b) => a - b), [10, 50, 60, 400]);
  assert.deepEqual(l.regions, { load: [40], save: [280] });
});

Deno.test("histogram: scheduling latencies, log and linear buckets", async () => {
  const { latencies } = await lists();
  const log = histogram(latencies, { log: true });
  assert.deepEqual(counts(log), ["10-20:1", "20-50:0", "50-100:2", "100-200:0", "200-500:1"]);
  assert.deepEqual(log.stats, {
    count: 4,
    sum: 520,
    mean: 130,
    min: 10,
    p50: 50,
    p90: 400,
    p99: 400,
    max: 400,
  });
  const lin = histogram(latencies, { buckets: 4 });
  assert.deepEqual(counts(lin), ["0-100:3", "100-200:0", "200-300:0", "300-400:1"]);
  const svg = checkSvg(renderHistogramSvg([{ data: log }]));
  assert.equal(svg.classes.bar, 3); // non-empty buckets only
  assert.equal(svg.classes.pct, 3); // p50, p90, p99 markers
  assert.ok(svg.titles.includes("50 ns – 100 ns: 2 (50.0%)"), svg.titles.join("|"));
  assert.ok(svg.titles.includes("p50 50 ns"));
});

Deno.test("histogram: block durations by reason, one panel each", async () => {
  const { blocks } = await lists();
  const p = histogramsView(blocks, { log: true, title: "Block durations" });
  // Equal counts sort by name.
  assert.deepEqual(Object.keys(p.data), ["chan receive", "sleep", "sync"]);
  // One block each: one bar at its value, not a decade around it.
  assert.deepEqual(counts(p.data.sync), ["290-290:1"]);
  assert.equal(counts(p.data["chan receive"]).length, 1);
  const svg = checkSvg(p.toSvg());
  assert.equal(svg.classes.bar, 3);
  for (const reason of ["chan receive", "sleep", "sync"]) assert.ok(p.toSvg().includes(reason));
  assert.match(String(p), /sync\n {2}290 ns │█+ 1/);
});

Deno.test("histogram: stats printed beside, text and Jupyter renderings", async () => {
  const { syscalls, regions } = await lists();
  const v = histogramView([...regions.load, ...regions.save, ...syscalls], {
    title: "regions and syscalls",
  });
  // 40, 100, 280: width 20 from 40 → 12 buckets of 20 ns.
  assert.equal(v.data.buckets.length, 12);
  assert.deepEqual(v.data.buckets.filter((b) => b.count).map((b) => b.lo), [40, 100, 260]);
  const svg = v.toSvg();
  const shape = checkSvg(svg);
  assert.equal(shape.classes.bar, 3);
  for (const s of ["count", ">3<", "p50", ">100 ns<", "p99", ">280 ns<", "max"]) {
    assert.ok(svg.includes(s), s);
  }
  assert.equal(
    String(v).split("\n").at(-1),
    "  count 3  p50 100 ns  p90 280 ns  p99 280 ns  max 280 ns",
  );
  const bundle = v[JUPYTER_DISPLAY]();
  assert.equal(bundle["image/svg+xml"], svg);
  assert.equal(bundle["text/plain"], String(v));
});

Deno.test("histogram: edge cases", () => {
  assert.deepEqual(histogram([]).buckets, []);
  assert.equal(histogramStats([]).p99, 0);
  checkSvg(histogramView([]).toSvg());
  assert.deepEqual(counts(histogram([7, 7, 7])), ["7-7:3"]);
  // Zeros get their own bucket on a log axis.
  const z = histogram([0, 0, 3, 4], { log: true });
  assert.deepEqual(counts(z), ["0-0:2", "2-5:2"]);
  assert.equal(checkSvg(renderHistogramSvg([{ data: z }])).classes.bar, 2);
  // The last bucket holds the maximum.
  assert.deepEqual(counts(histogram([0, 10, 20], { buckets: 2 })), ["0-10:1", "10-20:2"]);
  // Never more buckets than asked.
  const many = histogram(Array.from({ length: 1000 }, (_, i) => i * 7 + 3), { buckets: 20 });
  assert.ok(many.buckets.length <= 20);
  assert.equal(many.buckets.reduce((n, b) => n + b.count, 0), 1000);
  assert.equal(percentile([5], 0.99), 5);
  assert.equal(percentile([1, 2], 0.5), 1);
  assert.equal(histogram([1 << 20, 3 << 20], { unit: "bytes" }).unit, "bytes");
  assert.ok(histogramView([1 << 20, 3 << 20], { unit: "bytes" }).toSvg().includes("3 MiB"));
});
