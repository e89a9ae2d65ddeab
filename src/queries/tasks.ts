/**
 * User annotations (`runtime/trace` tasks, regions and logs): the task
 * tree and every region with its goroutine, task, nesting and duration.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { NO_TASK } from "../events/kinds.ts";
import { Ev, typeSet } from "../wire/spec.ts";
import { readAll, type Source } from "./source.ts";

/**
 * A log message (`trace.Log`).
 *
 * @example
 * ```ts
 * import { type LogEntry, tasksAndRegions } from "./tasks.ts";
 * const { tasks } = await tasksAndRegions(new URL("../../testdata/demo.trace", import.meta.url));
 * const logs: LogEntry[] = tasks.flatMap((t) => t.logs);
 * console.assert(logs.length === 4);
 * ```
 */
export interface LogEntry {
  /** When. */
  time: number;
  /** The goroutine that logged it. */
  goroutine: number;
  /** Task (0 = background). */
  task: number;
  /** Category (key). */
  category: string;
  /** Message. */
  message: string;
}

/**
 * A user region (`trace.WithRegion`, `trace.StartRegion`).
 *
 * @example
 * ```ts
 * import { type RegionInfo, tasksAndRegions } from "./tasks.ts";
 * const { regions } = await tasksAndRegions(new URL("../../testdata/demo.trace", import.meta.url));
 * const charge: RegionInfo = regions.find((r) => r.name === "charge card")!;
 * console.assert(charge.depth === 0 && charge.duration > 0);
 * ```
 */
export interface RegionInfo {
  /** Position in the region list (a stable id). */
  index: number;
  /** Region name. */
  name: string;
  /** The goroutine that ran it. */
  goroutine: number;
  /** Its task (0 = background). */
  task: number;
  /** Begin time; null when it began before the trace. */
  start: number | null;
  /** End time; null when still open at the trace end. */
  end: number | null;
  /** From begin (or trace start) to end (or trace end). */
  duration: number;
  /** Nesting depth on its goroutine, 0 for outermost. */
  depth: number;
  /** Index of the enclosing region on the same goroutine, -1 when none. */
  parent: number;
}

/**
 * A user task (`trace.NewTask`).
 *
 * @example
 * ```ts
 * import { type TaskInfo, tasksAndRegions } from "./tasks.ts";
 * const { tasks } = await tasksAndRegions(new URL("../../testdata/demo.trace", import.meta.url));
 * const order: TaskInfo = tasks.find((t) => t.name === "order")!;
 * console.assert(order.complete && order.regions.length === 2);
 * ```
 */
export interface TaskInfo {
  /** Task id. */
  id: number;
  /** Task type name ("" when its begin was not seen). */
  name: string;
  /** Parent task id, -1 when none or unknown. */
  parent: number;
  /** Child task ids, in the order they began. */
  children: number[];
  /** Begin time; null when it began before the trace. */
  start: number | null;
  /** End time; null when it had not ended by the trace end. */
  end: number | null;
  /** Both begin and end are in the trace. */
  complete: boolean;
  /** `end - start` when complete, else from what is known up to the trace bounds. */
  duration: number;
  /** Its log messages, by time. */
  logs: LogEntry[];
  /** Indices of its regions in the region list. */
  regions: number[];
  /** Goroutines that began, ended, logged in or ran regions of it, ascending. */
  goroutines: number[];
}

/**
 * What {@link TaskAnalysis.result} returns.
 *
 * @example
 * ```ts
 * import { type TaskResult, tasksAndRegions } from "./tasks.ts";
 * const r: TaskResult = await tasksAndRegions(new URL("../../testdata/demo.trace", import.meta.url));
 * console.assert(r.roots.length > 0);
 * ```
 */
export interface TaskResult {
  /** Every task, by id. */
  tasks: TaskInfo[];
  /** Every region, by the time it began (regions open at the trace start first). */
  regions: RegionInfo[];
  /** Ids of the tasks without a known parent, ascending. */
  roots: number[];
}

interface TaskState {
  info: TaskInfo;
  goroutines: Set<number>;
}

/**
 * The wire types whose events {@link TaskAnalysis} acts on (1), by type:
 * tasks and regions beginning and ending, and logs.
 *
 * @example
 * ```ts
 * import { TASK_EVENT_TYPES } from "./tasks.ts";
 * import { Ev } from "../wire/spec.ts";
 * console.assert(TASK_EVENT_TYPES[Ev.UserLog] === 1 && TASK_EVENT_TYPES[Ev.GoStart] === 0);
 * ```
 */
export const TASK_EVENT_TYPES: Uint8Array = typeSet([
  Ev.UserTaskBegin,
  Ev.UserTaskEnd,
  Ev.UserRegionBegin,
  Ev.UserRegionEnd,
  Ev.UserLog,
]);

/**
 * Builds the task tree and region list from events fed one by one.
 *
 * @example
 * ```ts
 * import { TaskAnalysis } from "./tasks.ts";
 * import { Reader } from "../reader/reader.ts";
 * const a = new TaskAnalysis();
 * const r = await Reader.open(new URL("../../testdata/regions-logs.trace", import.meta.url));
 * for await (const ev of r) a.event(ev);
 * const { tasks, regions } = a.result();
 * console.assert(tasks.length > 0 && regions.every((r) => r.duration >= 0));
 * ```
 */
export class TaskAnalysis {
  #tasks = new Map<number, TaskState>();
  #regions: RegionInfo[] = [];
  #open = new Map<number, RegionInfo[]>(); // open regions by goroutine, innermost last
  #first: number | null = null;
  #last = 0;

  #task(id: number): TaskState {
    let t = this.#tasks.get(id);
    if (!t) {
      t = {
        info: {
          id,
          name: "",
          parent: -1,
          children: [],
          start: null,
          end: null,
          complete: false,
          duration: 0,
          logs: [],
          regions: [],
          goroutines: [],
        },
        goroutines: new Set(),
      };
      this.#tasks.set(id, t);
    }
    return t;
  }

  /**
   * Feeds the next event. Only {@link TASK_EVENT_TYPES} do anything but
   * move the clock: a caller may feed just those and give the trace's
   * {@link span} before the result.
   */
  event(ev: Event): void {
    const t = ev.time;
    this.#first ??= t;
    this.#last = t;
    if (TASK_EVENT_TYPES[ev.type] === 0) return;
    switch (ev.type) {
      case Ev.UserTaskBegin:
      case Ev.UserTaskEnd: {
        const info = ev.task();
        const task = this.#task(info.id);
        if (info.type) task.info.name = info.type;
        if (ev.goroutine >= 0) task.goroutines.add(ev.goroutine);
        if (ev.type === Ev.UserTaskBegin) task.info.start = t;
        else task.info.end = t;
        if (info.parent !== NO_TASK && task.info.parent === -1 && info.parent !== info.id) {
          task.info.parent = info.parent;
          this.#task(info.parent).info.children.push(info.id);
        }
        return;
      }
      case Ev.UserLog: {
        const log = ev.log();
        const task = this.#task(log.task);
        if (ev.goroutine >= 0) task.goroutines.add(ev.goroutine);
        task.info.logs.push({
          time: t,
          goroutine: ev.goroutine,
          task: log.task,
          category: log.category,
          message: log.message,
        });
        return;
      }
      case Ev.UserRegionBegin: {
        const r = ev.region();
        const stack = this.#stack(ev.goroutine);
        const outer = stack.at(-1);
        const region: RegionInfo = {
          index: this.#regions.length,
          name: r.type,
          goroutine: ev.goroutine,
          task: r.task,
          start: t,
          end: null,
          duration: 0,
          depth: stack.length,
          parent: outer ? outer.index : -1,
        };
        this.#regions.push(region);
        stack.push(region);
        this.#addToTask(region);
        return;
      }
      case Ev.UserRegionEnd: {
        const r = ev.region();
        const stack = this.#stack(ev.goroutine);
        // Ends match the innermost open region of the same name (the reader
        // guarantees nesting); an end with none open began before the trace.
        let i = stack.length - 1;
        while (i >= 0 && stack[i].name !== r.type) i--;
        if (i >= 0) {
          const region = stack[i];
          region.end = t;
          stack.length = i;
          return;
        }
        const region: RegionInfo = {
          index: this.#regions.length,
          name: r.type,
          goroutine: ev.goroutine,
          task: r.task,
          start: null,
          end: t,
          duration: 0,
          depth: 0,
          parent: -1,
        };
        this.#regions.push(region);
        this.#addToTask(region);
        return;
      }
    }
  }

  #stack(g: number): RegionInfo[] {
    let s = this.#open.get(g);
    if (!s) this.#open.set(g, s = []);
    return s;
  }

  #addToTask(region: RegionInfo): void {
    const task = this.#task(region.task);
    task.info.regions.push(region.index);
    if (region.goroutine >= 0) task.goroutines.add(region.goroutine);
  }

  /**
   * Sets the trace's first and last event times, where tasks and regions
   * still open end and those begun before the trace start: for a caller
   * that feeds only {@link TASK_EVENT_TYPES}.
   */
  span(first: number, last: number): void {
    this.#first = first;
    this.#last = last;
  }

  /** The task tree and regions so far. */
  result(): TaskResult {
    const first = this.#first ?? 0, last = this.#last;
    for (const r of this.#regions) r.duration = (r.end ?? last) - (r.start ?? first);
    // Regions that began before the trace have no begin: list them first.
    const order = this.#regions.slice().sort((a, b) =>
      (a.start ?? -Infinity) - (b.start ?? -Infinity) || a.index - b.index
    );
    const remap = new Map(order.map((r, i) => [r.index, i]));
    const regions = order.map((r) => ({
      ...r,
      index: remap.get(r.index)!,
      parent: r.parent === -1 ? -1 : remap.get(r.parent)!,
    }));
    const tasks = [...this.#tasks.values()].sort((a, b) => a.info.id - b.info.id).map((t) => {
      const i = t.info;
      return {
        ...i,
        complete: i.start !== null && i.end !== null,
        duration: (i.end ?? last) - (i.start ?? first),
        children: i.children.slice(),
        logs: i.logs.slice(),
        regions: i.regions.map((x) => remap.get(x)!).sort((a, b) => a - b),
        goroutines: [...t.goroutines].sort((a, b) => a - b),
      };
    });
    const known = new Set(tasks.map((t) => t.id));
    const roots = tasks.filter((t) => t.parent === -1 || !known.has(t.parent)).map((t) => t.id);
    return { tasks, regions, roots };
  }
}

/**
 * A task and all its descendants, depth first (the task itself first).
 *
 * @example
 * ```ts
 * import { descendants, type TaskInfo } from "./tasks.ts";
 * const t = (id: number, children: number[]) => ({ id, children } as TaskInfo);
 * const tasks = [t(1, [2, 3]), t(2, [4]), t(3, []), t(4, [])];
 * console.assert(descendants(tasks, 1).map((x) => x.id).join() === "1,2,4,3");
 * ```
 */
export function descendants(tasks: readonly TaskInfo[], id: number): TaskInfo[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const out: TaskInfo[] = [];
  const seen = new Set<number>();
  const visit = (tid: number) => {
    const t = byId.get(tid);
    if (!t || seen.has(tid)) return;
    seen.add(tid);
    out.push(t);
    for (const c of t.children) visit(c);
  };
  visit(id);
  return out;
}

/**
 * Reads a trace and returns its tasks and regions.
 *
 * @example
 * ```ts
 * import { tasksAndRegions } from "./tasks.ts";
 * const { tasks } = await tasksAndRegions(new URL("../../testdata/regions-logs.trace", import.meta.url));
 * console.assert(tasks.some((t) => t.logs.length > 0));
 * ```
 */
export async function tasksAndRegions(source: Source): Promise<TaskResult> {
  const a = new TaskAnalysis();
  await readAll(source, (ev) => a.event(ev));
  return a.result();
}
