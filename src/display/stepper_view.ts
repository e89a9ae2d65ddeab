/**
 * How the stepper looks: as text in a terminal and as HTML in Jupyter. The
 * stepper itself knows nothing of its looks: this module gives every
 * {@linkcode Stepper} its `toString()` and its Jupyter display hook.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import {
  type Failure,
  type FrontierEntry,
  type GenerationInfo,
  Stepper,
} from "../stepping/stepper.ts";
import type { Placement } from "../stepping/changes.ts";
import { formatChange } from "../stepping/changes.ts";
import type { SchedState } from "../stepping/snapshot.ts";
import { escapeHtml, htmlTable, textTable } from "./html.ts";
import { JUPYTER_DISPLAY } from "./rich.ts";

/** What the views read from a stepper. */
export interface StepperLike {
  /** Events emitted so far. */
  readonly position: number;
  /** Last event. */
  readonly last: Event | null;
  /** Generation info. */
  readonly generation: GenerationInfo | null;
  /** Failure, if any. */
  readonly failure: Failure | null;
  /** Whether stepping is over. */
  readonly done: boolean;
  /** State tables. */
  state(): SchedState;
  /** Frontier. */
  frontier(): FrontierEntry[];
  /** Last placement. */
  lastPlacement(): Placement | null;
}

function header(s: StepperLike): string {
  const g = s.generation;
  const where = g ? `generation ${g.gen}` : s.done ? "end of trace" : "before the first generation";
  return `Stepper: ${where}, ${s.position} events emitted${s.done && !s.failure ? " (done)" : ""}`;
}

/**
 * The frontier as table rows: each M's next event, the time it would be
 * handed out with, its recorded time when that differs (times forced to
 * increase), and whether it can advance.
 *
 * @example
 * ```ts
 * import { frontierRows } from "./stepper_view.ts";
 * const f = { m: 1, event: "GoStart", args: { g: 7 }, canAdvance: true, why: "" };
 * const rows = frontierRows([{ ...f, time: 0, at: 12 }]);
 * console.assert(rows[0].time === 12 && rows[0].recorded === 0);
 * console.assert(!("recorded" in frontierRows([{ ...f, time: 12, at: 12 }])[0]));
 * ```
 */
export function frontierRows(entries: readonly FrontierEntry[]): Record<string, unknown>[] {
  const forced = entries.some((f) => f.at !== f.time);
  return entries.map((f) => ({
    M: f.m,
    event: `${f.event} ${Object.entries(f.args).map(([k, v]) => `${k}=${v}`).join(" ")}`,
    time: f.at,
    ...(forced ? { recorded: f.time } : {}),
    next: f.canAdvance ? "can advance" : f.why.replace(/^.*? waits: /, "waits: "),
  }));
}

/**
 * The stepper as text: last step and its rule, state tables, frontier.
 *
 * @example
 * ```ts
 * import { renderStepperText } from "./stepper_view.ts";
 * console.assert(typeof renderStepperText === "function");
 * ```
 */
export function renderStepperText(s: StepperLike): string {
  const out = [header(s)];
  const p = s.lastPlacement();
  if (p) {
    out.push(`Last: ${p.event}`);
    out.push(
      `  placed by rule ${p.rule}${
        p.changes.length ? `: ${p.changes.map(formatChange).join(", ")}` : ""
      }`,
    );
  }
  if (s.failure) {
    out.push(`FAILED: ${s.failure.error.message.split("\n")[0]}`);
    out.push(s.failure.explanation);
  }
  const st = s.state();
  out.push("Goroutines", textTable(st.goroutines as unknown as Record<string, unknown>[]));
  out.push("Ps", textTable(st.procs as unknown as Record<string, unknown>[]));
  out.push("Ms", textTable(st.threads as unknown as Record<string, unknown>[]));
  out.push(`GC: seq ${st.gc.seq}, ${st.gc.state}`);
  out.push("Frontier", textTable(frontierRows(s.frontier())));
  return out.join("\n");
}

/**
 * The stepper as HTML, for notebooks.
 *
 * @example
 * ```ts
 * import { renderStepperHtml } from "./stepper_view.ts";
 * console.assert(typeof renderStepperHtml === "function");
 * ```
 */
export function renderStepperHtml(s: StepperLike): string {
  let h = `<div style="font-family:sans-serif"><b>${escapeHtml(header(s))}</b>`;
  const p = s.lastPlacement();
  if (p) {
    h += `<div>Last: <code>${escapeHtml(p.event)}</code><br>placed by rule <b>${
      escapeHtml(p.rule)
    }</b>${
      p.changes.length ? ": " + escapeHtml(p.changes.map(formatChange).join(", ")) : ""
    }</div>`;
  }
  if (s.failure) {
    h += `<div style="color:#b00"><b>FAILED:</b> ${
      escapeHtml(s.failure.error.message.split("\n")[0])
    }<pre>${escapeHtml(s.failure.explanation)}</pre></div>`;
  }
  const st = s.state();
  const rows = (x: unknown) => x as Record<string, unknown>[];
  h += `<div style="display:flex;gap:16px;align-items:flex-start">`;
  h += htmlTable(rows(st.goroutines), { caption: "Goroutines" });
  h += htmlTable(rows(st.procs), { caption: "Ps" });
  h += htmlTable(rows(st.threads), { caption: "Ms" });
  h += `</div>`;
  h += htmlTable(frontierRows(s.frontier()), { caption: "Frontier" });
  return h + "</div>";
}

// The stepper as text (its `toString()`, so the REPL and `String(stepper)`
// show the picture) and in Jupyter, added here so that the stepping layer
// does not depend on the display layer.
Object.defineProperties(Stepper.prototype, {
  toString: {
    value: function (this: Stepper): string {
      return renderStepperText(this);
    },
    configurable: true,
    writable: true,
  },
  [JUPYTER_DISPLAY]: {
    value: function (this: Stepper): Record<string, string> {
      return { "text/html": renderStepperHtml(this), "text/plain": renderStepperText(this) };
    },
    configurable: true,
    writable: true,
  },
});
