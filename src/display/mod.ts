/**
 * Display: how traces look in notebooks (HTML and SVG through
 * `Symbol.for("Jupyter.display")`), in the REPL and in terminals (text).
 *
 * - {@link openTrace} / {@link TraceView}: one object per trace with every view;
 * - tables: {@link DataTable} and the goroutine, syscall, steal, task, GC, CPU views;
 * - charts: {@link Timeline} (goroutine, P and M timelines), {@link LineChart};
 * - {@link SummaryView}, event tables, the stepper's views;
 * - pictures ({@link Picture}): histograms, flame graphs, the runtime plot,
 *   the P heatmap.
 *
 * @module
 */
export * from "./html.ts";
export * from "./stepper_view.ts";
export * from "./rich.ts";
export * from "./duration.ts";
export * from "./data_table.ts";
export * from "./event_view.ts";
export * from "./summary_view.ts";
export * from "./goroutine_view.ts";
export * from "./syscall_view.ts";
export * from "./annotation_view.ts";
export * from "./gc_view.ts";
export * from "./cpu_view.ts";
export * from "./svg_timeline.ts";
export * from "./svg_chart.ts";
export * from "./timelines.ts";
export * from "./explore.ts";
export * from "./picture.ts";
export * from "./histogram.ts";
export * from "./flamegraph.ts";
export * from "./runtime_plot.ts";
export * from "./heatmap.ts";
