/**
 * Timelines of a trace, ready to show: per goroutine (its states in
 * colour, syscalls and the steals of their Ps marked), per P (which M and
 * goroutine held it, steals marked) and per M (what it ran, its syscalls).
 *
 * The data comes from the query helpers: goroutine state intervals
 * (`Timelines`), per-P and per-M views (`SchedulerViews`) and syscall
 * records with their steals (`SyscallAnalysis`).
 *
 * @module
 */

import type { StateInterval } from "../queries/timeline.ts";
import type { SyscallRecord } from "../queries/syscalls.ts";
import type { ExecSlice, ProcHold, ProcStealMark, SchedulerResult } from "../queries/procs.ts";
import { formatDuration } from "./duration.ts";
import {
  type LegendEntry,
  Timeline,
  type TimelineLane,
  type TimelineMark,
  type TimelineSpan,
} from "./svg_timeline.ts";
import { callSite } from "./syscall_view.ts";

/**
 * Colours and text-mode characters of goroutine states.
 *
 * @example
 * ```ts
 * import { STATE_STYLE } from "./timelines.ts";
 * console.assert(STATE_STYLE.Running.char === "#");
 * ```
 */
export const STATE_STYLE: Readonly<Record<string, { color: string; char: string }>> = {
  Running: { color: "#3f9b4a", char: "#" },
  Runnable: { color: "#e9c13f", char: "-" },
  Waiting: { color: "#c4c9cf", char: "." },
  Syscall: { color: "#7d3c98", char: "S" },
  Undetermined: { color: "#eeeeee", char: "?" },
};
/** A syscall after its P was stolen (the goroutine still in the kernel). */
const STOLEN = { color: "#c39bd3", char: "s" };
/** Steal marks. */
const STEAL = { color: "#d62728", char: "X" };
/** Goroutine colours on P and M lanes (no green, purple or red: those mean things). */
const PALETTE = ["#4e79a7", "#f28e2b", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#59a1cf"];

/**
 * Window and size of a timeline.
 *
 * @example
 * ```ts
 * import type { TimelineWindow } from "./timelines.ts";
 * const w: TimelineWindow = { from: 1_000_000, to: 1_001_000, title: "around the steal" };
 * console.assert(w.to! > w.from!);
 * ```
 */
export interface TimelineWindow {
  /** Window start (ns); default the data's start. */
  from?: number;
  /** Window end (ns); default the data's end. */
  to?: number;
  /** Time shown as 0 (default: `from`). */
  origin?: number;
  /** Picture width in px. */
  width?: number;
  /** Heading. */
  title?: string;
  /** Most lanes to show (default 40). */
  maxLanes?: number;
}

/**
 * What the timelines are drawn from.
 *
 * @example
 * ```ts
 * import type { TimelineData } from "./timelines.ts";
 * const d: TimelineData = { timelines: {}, syscalls: [] };
 * console.assert(d.syscalls!.length === 0);
 * ```
 */
export interface TimelineData {
  /** State intervals by goroutine id (the query helpers' `Timelines`), for goroutine lanes. */
  timelines?: Readonly<Record<number, readonly StateInterval[]>>;
  /** Per-P and per-M views (the query helpers' `SchedulerViews`), for P and M lanes. */
  scheduler?: SchedulerResult;
  /** Syscall records (for steals); optional. */
  syscalls?: readonly SyscallRecord[];
  /** Goroutine names by id; optional. */
  names?: ReadonlyMap<number, string>;
}

/**
 * Which goroutines a goroutine timeline shows.
 *
 * @example
 * ```ts
 * import type { GoroutineTimelineOptions } from "./timelines.ts";
 * const o: GoroutineTimelineOptions = { goroutines: [1, 7], maxLanes: 10 };
 * console.assert(o.goroutines!.length === 2);
 * ```
 */
export interface GoroutineTimelineOptions extends TimelineWindow {
  /** These goroutines, in this order; default the busiest in the window. */
  goroutines?: readonly number[];
}

function gName(data: TimelineData, id: number): string {
  const n = data.names?.get(id);
  return n ? `G${id} ${n}` : `G${id}`;
}

function colorOf(g: number): string {
  return PALETTE[((g % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Syscalls by (goroutine, start), to find an interval's steal. */
function syscallIndex(data: TimelineData): Map<string, SyscallRecord> {
  const m = new Map<string, SyscallRecord>();
  for (const s of data.syscalls ?? []) m.set(`${s.goroutine}@${s.start}`, s);
  return m;
}

function extent(data: TimelineData): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const list of Object.values(data.timelines ?? {})) {
    if (list.length === 0) continue;
    lo = Math.min(lo, list[0].start);
    hi = Math.max(hi, list[list.length - 1].end);
  }
  return lo === Infinity ? [0, 1] : [lo, hi];
}

function stealTitle(s: SyscallRecord): string {
  const st = s.steal!;
  return `P${st.proc} stolen ${st.self ? "by its own M" : `by M${st.thread}`} from M${s.thread} ` +
    `(G${s.goroutine} in ${s.stack[0]?.func ?? "a syscall"}, ` +
    `${formatDuration(st.time - s.start)} in) at ${st.time} ns`;
}

function legend(states: string[], extra: LegendEntry[] = []): LegendEntry[] {
  return [
    ...states.map((s) => ({ label: s, ...STATE_STYLE[s] })),
    ...extra,
  ];
}

const STEAL_LEGEND: LegendEntry = { label: "P stolen", ...STEAL, shape: "mark" };
const STOLEN_LEGEND: LegendEntry = { label: "syscall, P gone", ...STOLEN };

/**
 * Goroutine lanes: each goroutine's states over the window, coloured by
 * state; a syscall whose P was stolen turns pale from the steal on, which
 * is marked.
 *
 * @example
 * ```ts
 * import { goroutineTimeline } from "./timelines.ts";
 * const iv = (state: "Running" | "Syscall", start: number, end: number) =>
 *   ({ goroutine: 1, state, start, end, proc: 0, thread: 0, reason: "", stack: [] });
 * const t = goroutineTimeline({ timelines: { 1: [iv("Running", 0, 100), iv("Syscall", 100, 400)] } });
 * console.assert(t.toSvg().includes("#7d3c98") && String(t).includes("G1"));
 * ```
 */
export function goroutineTimeline(
  data: TimelineData,
  opts: GoroutineTimelineOptions = {},
): Timeline {
  const [lo, hi] = extent(data);
  const from = opts.from ?? lo, to = opts.to ?? hi;
  const maxLanes = opts.maxLanes ?? 40;
  let ids = opts.goroutines?.slice();
  if (!ids) {
    // The busiest goroutines in the window (running or in syscalls), shown by id.
    const busy: [number, number][] = [];
    for (const [id, list] of Object.entries(data.timelines ?? {})) {
      let t = 0;
      for (const iv of list) {
        if (iv.end < from || iv.start > to) continue;
        if (iv.state === "Running" || iv.state === "Syscall") {
          t += Math.min(to, iv.end) - Math.max(from, iv.start) + 1;
        }
      }
      if (t > 0) busy.push([Number(id), t]);
    }
    busy.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    ids = busy.slice(0, maxLanes).map((b) => b[0]).sort((a, b) => a - b);
  }
  const calls = syscallIndex(data);
  const lanes: TimelineLane[] = ids.map((id) => {
    const spans: TimelineSpan[] = [];
    const marks: TimelineMark[] = [];
    for (const iv of data.timelines?.[id] ?? []) {
      const style = STATE_STYLE[iv.state] ?? STATE_STYLE.Undetermined;
      const where = [iv.proc >= 0 ? `P${iv.proc}` : "", iv.thread >= 0 ? `M${iv.thread}` : ""]
        .filter(Boolean).join(" ");
      const frame = iv.stack[0] ? ` at ${iv.stack[0].func}:${iv.stack[0].line}` : "";
      const title = `G${id} ${iv.state}${iv.reason ? ` (${iv.reason})` : ""} ` +
        `${formatDuration(iv.end - iv.start)}${where ? ` on ${where}` : ""}${frame}`;
      const sc = iv.state === "Syscall" ? calls.get(`${id}@${iv.start}`) : undefined;
      if (sc?.steal && sc.steal.time > iv.start && sc.steal.time < iv.end) {
        spans.push({ start: iv.start, end: sc.steal.time, ...style, title, label: "syscall" });
        spans.push({
          start: sc.steal.time,
          end: iv.end,
          ...STOLEN,
          title: `${title}; ${stealTitle(sc)}`,
        });
      } else {
        spans.push({
          start: iv.start,
          end: iv.end,
          ...style,
          title,
          label: iv.state === "Syscall" ? "syscall" : iv.reason || undefined,
        });
      }
      if (sc?.steal) {
        marks.push({ time: sc.steal.time, ...STEAL, title: stealTitle(sc) });
      }
    }
    return { label: gName(data, id), spans, marks };
  });
  return new Timeline(lanes, {
    from,
    to,
    origin: opts.origin,
    width: opts.width,
    maxLanes,
    title: opts.title ?? "Goroutines",
    legend: legend(["Running", "Runnable", "Waiting", "Syscall"], [STOLEN_LEGEND, STEAL_LEGEND]),
  });
}

function holdStrip(h: ProcHold, which: "proc" | "thread"): TimelineSpan {
  const how = h.endedBy === "steal"
    ? `, then stolen by M${h.stolenBy}`
    : h.endedBy === "stop"
    ? ", then released"
    : "";
  return {
    start: h.start,
    end: h.end,
    color: colorOf(which === "proc" ? h.thread : h.proc),
    strip: true,
    title: `M${h.thread} held P${h.proc} for ${formatDuration(h.end - h.start)}${how}`,
  };
}

function sliceSpan(data: TimelineData, s: ExecSlice, where: string): TimelineSpan {
  return {
    start: s.start,
    end: s.end,
    color: colorOf(s.goroutine),
    label: `G${s.goroutine}`,
    char: String(s.goroutine % 10),
    title: `${gName(data, s.goroutine)} running on ${where}, ${formatDuration(s.end - s.start)}`,
  };
}

function syscallSpan(data: TimelineData, sc: SyscallRecord, end: number): TimelineSpan {
  return {
    start: sc.start,
    end,
    ...STATE_STYLE.Syscall,
    label: `G${sc.goroutine} syscall`,
    title: `${gName(data, sc.goroutine)} in ${sc.stack[0]?.func ?? "a syscall"} from ` +
      `${callSite(sc.stack)}, ${formatDuration(sc.duration)}`,
  };
}

function stealMarkTitle(proc: number, m: ProcStealMark): string {
  return `P${proc} stolen by M${m.thread}${m.victim >= 0 ? ` from M${m.victim}` : ""} at ` +
    `${m.time} ns${m.abandoned ? " (abandoned in a syscall before the generation)" : ""}`;
}

function schedulerExtent(s: SchedulerResult): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of [...s.procs, ...s.threads]) {
    for (const x of [...v.holds, ...v.slices]) {
      lo = Math.min(lo, x.start);
      hi = Math.max(hi, x.end);
    }
  }
  return lo === Infinity ? [0, 1] : [lo, hi];
}

function needScheduler(data: TimelineData): SchedulerResult {
  if (!data.scheduler) throw new TypeError("P and M timelines need `scheduler` (SchedulerViews)");
  return data.scheduler;
}

/**
 * P lanes: which goroutine ran on each P (colour per goroutine), which M
 * held it (the thin strip under the bar, colour per M), syscalls until the
 * P was taken, and the steals.
 *
 * @example
 * ```ts
 * import { procTimeline } from "./timelines.ts";
 * const slice = { goroutine: 7, thread: 1, proc: 2, state: "Running" as const, start: 0, end: 100 };
 * const hold = { proc: 2, thread: 1, start: 0, end: 100, endedBy: "stop" as const, stolenBy: -1 };
 * const t = procTimeline({ scheduler: {
 *   procs: [{ proc: 2, holds: [hold], slices: [slice], steals: [] }],
 *   threads: [{ thread: 1, holds: [hold], slices: [slice] }],
 * } });
 * console.assert(t.lanes[0].label === "P2" && t.lanes[0].spans.some((s) => s.label === "G7"));
 * ```
 */
export function procTimeline(data: TimelineData, opts: TimelineWindow = {}): Timeline {
  const sched = needScheduler(data);
  const [lo, hi] = schedulerExtent(sched);
  const byProc = new Map<number, SyscallRecord[]>();
  for (const sc of data.syscalls ?? []) {
    if (sc.proc < 0) continue;
    let l = byProc.get(sc.proc);
    if (!l) byProc.set(sc.proc, l = []);
    l.push(sc);
  }
  const lanes: TimelineLane[] = sched.procs.map((v) => {
    const spans: TimelineSpan[] = v.holds.map((h) => holdStrip(h, "proc"));
    for (const s of v.slices) spans.push(sliceSpan(data, s, `P${v.proc} (M${s.thread})`));
    // The P stays with a syscall until it is stolen or the syscall ends.
    for (const sc of byProc.get(v.proc) ?? []) {
      spans.push(syscallSpan(data, sc, sc.steal?.time ?? sc.start + sc.duration));
    }
    const marks = v.steals.map((m) => ({
      time: m.time,
      ...STEAL,
      title: stealMarkTitle(v.proc, m),
    }));
    return { label: `P${v.proc}`, spans, marks };
  });
  return new Timeline(lanes, {
    from: opts.from ?? lo,
    to: opts.to ?? hi,
    origin: opts.origin,
    width: opts.width,
    maxLanes: opts.maxLanes ?? 40,
    hideEmpty: true,
    title: opts.title ?? "Ps: who held them",
    legend: [
      { label: "G running (colour per G)", color: PALETTE[0], char: "0-9" },
      { label: "syscall", ...STATE_STYLE.Syscall },
      { label: "strip: M holding it", color: PALETTE[1] },
      STEAL_LEGEND,
    ],
  });
}

/**
 * M lanes: what each thread ran (colour per goroutine), its syscalls (pale
 * once their P was stolen), which P it held (the strip), and the steals it
 * made or suffered.
 *
 * @example
 * ```ts
 * import { threadTimeline } from "./timelines.ts";
 * const slice = { goroutine: 7, thread: 1, proc: 2, state: "Syscall" as const, start: 0, end: 100 };
 * const t = threadTimeline({ scheduler: { procs: [], threads: [{ thread: 1, holds: [], slices: [slice] }] } });
 * console.assert(t.lanes[0].label === "M1" && t.lanes[0].spans[0].label === "G7 syscall");
 * ```
 */
export function threadTimeline(data: TimelineData, opts: TimelineWindow = {}): Timeline {
  const sched = needScheduler(data);
  const [lo, hi] = schedulerExtent(sched);
  const calls = syscallIndex(data);
  const marks = new Map<number, TimelineMark[]>();
  const mark = (m: number, x: TimelineMark) => {
    let l = marks.get(m);
    if (!l) marks.set(m, l = []);
    l.push(x);
  };
  for (const p of sched.procs) {
    for (const st of p.steals) {
      const x = { time: st.time, ...STEAL, title: stealMarkTitle(p.proc, st) };
      mark(st.thread, x);
      if (st.victim >= 0 && st.victim !== st.thread) mark(st.victim, x);
    }
  }
  // A thief that did nothing else in the trace still gets a lane for its mark.
  const views = sched.threads.slice();
  for (const m of marks.keys()) {
    if (!views.some((v) => v.thread === m)) views.push({ thread: m, holds: [], slices: [] });
  }
  views.sort((a, b) => a.thread - b.thread);
  const lanes: TimelineLane[] = views.map((v) => {
    const spans: TimelineSpan[] = v.holds.map((h) => holdStrip(h, "thread"));
    for (const s of v.slices) {
      if (s.state === "Running") {
        spans.push(sliceSpan(data, s, `M${v.thread}${s.proc >= 0 ? ` (P${s.proc})` : ""}`));
        continue;
      }
      const sc = calls.get(`${s.goroutine}@${s.start}`);
      const stolenAt = sc?.steal && sc.steal.time > s.start && sc.steal.time < s.end
        ? sc.steal.time
        : null;
      spans.push(
        sc ? syscallSpan(data, sc, stolenAt ?? s.end) : {
          start: s.start,
          end: s.end,
          ...STATE_STYLE.Syscall,
          label: `G${s.goroutine} syscall`,
          title: `${gName(data, s.goroutine)} in a syscall, ${formatDuration(s.end - s.start)}`,
        },
      );
      if (stolenAt !== null) {
        spans.push({ start: stolenAt, end: s.end, ...STOLEN, title: stealTitle(sc!) });
      }
    }
    return { label: `M${v.thread}`, spans, marks: marks.get(v.thread) ?? [] };
  });
  return new Timeline(lanes, {
    from: opts.from ?? lo,
    to: opts.to ?? hi,
    origin: opts.origin,
    width: opts.width,
    maxLanes: opts.maxLanes ?? 40,
    hideEmpty: true,
    title: opts.title ?? "Ms: what each thread ran",
    legend: [
      { label: "G running (colour per G)", color: PALETTE[0], char: "0-9" },
      { label: "syscall", ...STATE_STYLE.Syscall },
      STOLEN_LEGEND,
      { label: "strip: P held", color: PALETTE[1] },
      STEAL_LEGEND,
    ],
  });
}
