/**
 * Renders the README's pictures from real go1.25 traces of the corpus into
 * `docs/pictures/` (SVG, plus PNG through Debian's `rsvg-convert` when it is
 * installed).
 *
 * Usage: `deno run --allow-read --allow-write --allow-run scripts/render_pictures.ts [CORPUS_DIR]`
 * (CORPUS_DIR defaults to `../shared/corpus` beside the repository).
 *
 * @module
 */

import { analyzeAll } from "../src/queries/source.ts";
import { Timelines } from "../src/queries/timeline.ts";
import { GCAnalysis } from "../src/queries/gc.ts";
import { SchedulerViews } from "../src/queries/procs.ts";
import { StackProfileAnalysis } from "../src/export/profiles.ts";
import { histogramsView, histogramView } from "../src/display/histogram.ts";
import { blockDurations, schedulingLatencies } from "../src/queries/durations.ts";
import { flameGraphView } from "../src/display/flamegraph.ts";
import { runtimePlotView } from "../src/display/runtime_plot.ts";
import { heatmapView } from "../src/display/heatmap.ts";

/** Renders every picture into docs/pictures/. */
async function main(): Promise<void> {
  const root = new URL("../", import.meta.url);
  const corpus = Deno.args[0] ?? decodeURIComponent(new URL("../shared/corpus", root).pathname);
  const real = `${corpus}/real/go1.25`;
  const out = new URL("docs/pictures/", root);
  Deno.mkdirSync(out, { recursive: true });

  const stress = await analyzeAll(`${real}/stress.trace`, {
    tl: new Timelines({ stacks: false }),
    procs: new SchedulerViews(),
    // The user code's waits: runtime workers parked on GC work would fill the picture.
    blocked: new StackProfileAnalysis({ kind: "block", func: /^main\./ }),
  });
  const cpu = await analyzeAll(`${real}/cpu-profile.trace`, {
    p: new StackProfileAnalysis({ kind: "cpu" }),
  });
  const gc = await analyzeAll(`${real}/gomaxprocs.trace`, { gc: new GCAnalysis() });

  const pictures: Record<string, { toSvg(): string }> = {
    "histogram-sched-latency": histogramView(schedulingLatencies(stress.tl), {
      log: true,
      title: "Scheduling latency, runnable → running (stress.trace)",
    }),
    "histogram-block-reasons": histogramsView(
      Object.fromEntries(
        Object.entries(blockDurations(stress.tl)).filter(([r]) =>
          ["sync", "chan receive", "sleep", "preempted"].includes(r)
        ),
      ),
      { log: true, height: 80, title: "Block durations by reason (stress.trace)" },
    ),
    "flame-cpu": flameGraphView(cpu.p, { title: "CPU samples (cpu-profile.trace)" }),
    "flame-blocked": flameGraphView(stress.blocked, {
      style: "flame",
      title: "Where main's goroutines blocked, weighted by time (stress.trace)",
    }),
    "runtime-plot": runtimePlotView(gc.gc, { title: "Heap and runtime (gomaxprocs.trace)" }),
    "heatmap-procs": heatmapView(stress.procs.procs, {
      buckets: 120,
      title: "P utilisation (stress.trace)",
    }),
  };

  let png = true;
  for (const [name, p] of Object.entries(pictures)) {
    const svg = new URL(`${name}.svg`, out);
    Deno.writeTextFileSync(svg, p.toSvg() + "\n");
    // `deno fmt` formats SVG too: commit the file as it would leave it.
    const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", svg.pathname] })
      .output();
    if (!fmt.success) throw new Error(`deno fmt: ${new TextDecoder().decode(fmt.stderr)}`);
    if (!png) continue;
    try {
      const r = await new Deno.Command("rsvg-convert", {
        args: ["--zoom", "1.5", svg.pathname, "-o", new URL(`${name}.png`, out).pathname],
      }).output();
      if (r.code !== 0) throw new Error(new TextDecoder().decode(r.stderr));
    } catch (e) {
      png = false;
      console.warn(`no PNGs (rsvg-convert: ${(e as Error).message}); apt-get install librsvg2-bin`);
    }
  }
  console.log(`wrote ${Object.keys(pictures).length} pictures to ${out.pathname}`);
}

if (import.meta.main) await main();
