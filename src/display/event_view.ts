/**
 * Events as table rows: what happened, where and when, in one short line
 * each; as HTML for notebooks and aligned text for terminals.
 *
 * @module
 */

import { Event } from "../events/event.ts";
import { formatDuration } from "./duration.ts";
import { escapeHtml, htmlTable, textTable } from "./html.ts";
import { JUPYTER_DISPLAY, Rich } from "./rich.ts";

/**
 * An event as Jupyter shows it: its text (what `toString()` gives, stacks
 * included) as HTML, with the text as the `text/plain` fallback. Loading
 * the display layer makes this every event's `Symbol.for("Jupyter.display")`:
 * the core `Event` knows nothing of notebooks.
 *
 * @example
 * ```ts
 * import { eventBundle } from "./event_view.ts";
 * import { JUPYTER_DISPLAY } from "./rich.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev } from "../wire/spec.ts";
 * const ev = new Event(null, 1, 0, -1, Ev.GoStart, 5, 7, 1, 0, 0);
 * const b = eventBundle(ev);
 * console.assert(b["text/plain"] === ev.toString() && b["text/html"].startsWith("<div"));
 * const shown = (ev as unknown as Record<symbol, () => Record<string, string>>)[JUPYTER_DISPLAY]();
 * console.assert(shown["text/html"] === b["text/html"]);
 * ```
 */
export function eventBundle(ev: Event): Record<string, string> {
  const text = ev.toString();
  const [first, ...rest] = escapeHtml(text).split("\n");
  const html = `<div style="font-family:monospace;font-size:12px"><b>${first}</b>` +
    (rest.length ? `<pre style="margin:2px 0 0 0">${rest.join("\n")}</pre>` : "") + "</div>";
  return { "text/html": html, "text/plain": text };
}

Object.defineProperty(Event.prototype, JUPYTER_DISPLAY, {
  value(this: Event): Record<string, string> {
    return eventBundle(this);
  },
  configurable: true,
  writable: true,
});

/**
 * What an event says, in a few words: `G7 Running→Syscall`, `GC
 * concurrent mark phase`, `log order: paid`...
 *
 * @example
 * ```ts
 * import { describeEvent } from "./event_view.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev } from "../wire/spec.ts";
 * console.assert(describeEvent(new Event(null, 1, 0, -1, Ev.GoStart, 5, 7, 1, 0, 0)) === "G7 Runnable→Running");
 * ```
 */
export function describeEvent(ev: Event): string {
  switch (ev.kind) {
    case "StateTransition": {
      const t = ev.stateTransition();
      const who = `${t.resource.kind === "Goroutine" ? "G" : "P"}${t.resource.id}`;
      const why = t.reason ? ` (${t.reason})` : "";
      const extra = ev.typeName === "ProcSteal" ? ` stolen from M${ev.a2}` : "";
      return `${who} ${t.from}→${t.to}${why}${extra}`;
    }
    case "RangeBegin":
    case "RangeActive":
    case "RangeEnd":
      return ev.range().name;
    case "TaskBegin":
    case "TaskEnd": {
      const t = ev.task();
      return `task ${t.id}${t.type ? ` ${JSON.stringify(t.type)}` : ""}`;
    }
    case "RegionBegin":
    case "RegionEnd": {
      const r = ev.region();
      return `region ${JSON.stringify(r.type)} (task ${r.task})`;
    }
    case "Log": {
      const l = ev.log();
      return `log ${l.category ? `${l.category}: ` : ""}${l.message}`;
    }
    case "Metric": {
      const m = ev.metric();
      return `${m.name} = ${m.value}`;
    }
    case "Label":
      return `label ${JSON.stringify(ev.label().label)}`;
    case "Sync":
      return `sync ${ev.sync().n}`;
    case "StackSample":
      return `CPU sample${ev.stack?.frames[0] ? ` in ${ev.stack.frames[0].func}` : ""}`;
    case "Experimental":
      return ev.experimental().name;
    default:
      return ev.typeName;
  }
}

/**
 * One event as a table row.
 *
 * @example
 * ```ts
 * import type { EventRow } from "./event_view.ts";
 * const r: EventRow = { time: "2.00 µs", ns: 2000, event: "GoStart", M: 1, P: 0, G: null, what: "G7 Runnable→Running", where: "" };
 * console.assert(r.event === "GoStart");
 * ```
 */
export interface EventRow {
  /** Time since `origin`, in human units. */
  time: string;
  /** Absolute time (ns). */
  ns: number;
  /** Wire event name. */
  event: string;
  /** Thread (null for none: JSON readers get a real missing value, not a string). */
  M: number | null;
  /** P (null for none). */
  P: number | null;
  /** Goroutine (null for none). */
  G: number | null;
  /** {@link describeEvent}. */
  what: string;
  /** Innermost frame of its stack, if any. */
  where: string;
}

/**
 * An event as a row; `origin` is the time shown as 0.
 *
 * @example
 * ```ts
 * import { eventRow } from "./event_view.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev } from "../wire/spec.ts";
 * const row = eventRow(new Event(null, 1, 0, -1, Ev.GoStart, 2005, 7, 1, 0, 0), 5);
 * console.assert(row.time === "2.00 µs" && row.G === null && row.event === "GoStart");
 * ```
 */
export function eventRow(ev: Event, origin = 0): EventRow {
  const id = (n: number) => (n === -1 ? null : n);
  const f = ev.stack?.frames[0];
  return {
    time: formatDuration(ev.time - origin),
    ns: ev.time,
    event: ev.typeName,
    M: id(ev.thread),
    P: id(ev.proc),
    G: id(ev.goroutine),
    what: describeEvent(ev),
    where: f ? `${f.func}:${f.line}` : "",
  };
}

/**
 * A table of events for notebooks and the REPL, cut at `max` rows with a
 * count of the rest.
 *
 * @example
 * ```ts
 * import { eventTable } from "./event_view.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev } from "../wire/spec.ts";
 * const evs = [1, 2, 3].map((g) => new Event(null, 1, 0, -1, Ev.GoStart, 10 * g, g, 1, 0, 0));
 * const t = eventTable(evs, { max: 2 });
 * console.assert(String(t).includes("1 more row"));
 * ```
 */
export function eventTable(
  events: readonly Event[],
  opts: { max?: number; origin?: number; caption?: string; total?: number } = {},
): Rich {
  const max = opts.max ?? 50;
  const origin = opts.origin ?? events[0]?.time ?? 0;
  // Tables show a missing M, P or G as "-".
  const dash = (n: number | null) => n ?? "-";
  const rows: Record<string, unknown>[] = events.slice(0, max).map((e) => {
    const r = eventRow(e, origin);
    return { ...r, M: dash(r.M), P: dash(r.P), G: dash(r.G) };
  });
  // Only the rows shown are built; the count of the rest comes from the
  // length, or from `total` when only the first events were kept.
  const total = opts.total ?? events.length;
  const padded = total > rows.length ? rows.concat(new Array(total - rows.length)) : rows;
  const caption = opts.caption ?? `${total} event${total === 1 ? "" : "s"}`;
  return new Rich(
    htmlTable(padded, { max, caption }),
    `${caption}\n${textTable(padded, max)}`,
  );
}
