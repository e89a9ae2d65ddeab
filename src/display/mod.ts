/**
 * Display: how traces look in notebooks (HTML and SVG through
 * `Symbol.for("Jupyter.display")`), in the REPL and in terminals (text).
 *
 * - {@link openTrace} / {@link TraceView}: one object per trace with every view;
 * - tables: {@link DataTable} and the goroutine, syscall, steal, task, GC, CPU views;
 * - pictures: {@link Timeline} (goroutine, P and M timelines), {@link LineChart};
 * - {@link SummaryView}, event tables and filters, the stepper's views;
 * - {@link chromeTrace}: Chrome trace-event JSON for Perfetto UI;
 *   {@link ChromeTraceWriter} writes it as the trace is read, whole or a window.
 *
 * @module
 */
export * from "./html.ts";
export * from "./stepper_view.ts";
export * from "./rich.ts";
export * from "./duration.ts";
export * from "./data_table.ts";
export * from "./event_filter.ts";
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
export * from "./chrome_trace.ts";
export * from "./explore.ts";
