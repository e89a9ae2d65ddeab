/**
 * The building blocks of the views and pictures of `./mod.ts`: tables
 * ({@link DataTable}, HTML and text tables), timelines ({@link Timeline} and
 * its SVG and text renderers), charts ({@link LineChart}), the Jupyter hook
 * ({@link JUPYTER_DISPLAY}, {@link Rich}), the renderers of histograms, flame
 * graphs, the runtime plot and the P heatmap, the stepper's views, duration
 * formatting and parsing, and every view of `./mod.ts` too. For making new
 * views in the same style.
 *
 * @example
 * ```ts
 * import { DataTable, formatDuration, JUPYTER_DISPLAY } from "./display.ts";
 * const t = new DataTable([{ name: "read", took: 1_500_000 }], [
 *   { header: "call", value: (r) => r.name },
 *   { header: "took", value: (r) => formatDuration(r.took) },
 * ]);
 * console.assert(String(t).includes("1.50 ms"));
 * console.assert(t[JUPYTER_DISPLAY]()["text/html"].includes("<th"));
 * ```
 *
 * @module
 */

// The user surface too, so that the views and the types they name come with
// their building blocks.
export * from "./mod.ts";
// ./mod.ts has these as types only; an explicit export takes precedence over
// the stars, so here they are the classes.
export { DataTable, LineChart, Rich, Timeline } from "./src/display/mod.ts";
export { Picture } from "./src/display/mod.ts";
export * from "./src/display/mod.ts";
