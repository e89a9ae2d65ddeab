// A window of the Chrome export is the whole export cut to it. Before the
// window's start the writer makes no slices (it keeps only what is open),
// so these tests pin what it must still know there: every goroutine state
// overlapping the window appears, cut to it, with its reason and stack even
// when it began long before; every P and M slice and every steal wholly
// inside the window appears as in the whole export.
import assert from "node:assert/strict";
import type { ChromeEvent } from "../../src/export/chrome_trace.ts";
import { ChromeTraceWriter, type TimeBound } from "../../src/export/chrome_writer.ts";
import type { Event } from "../../src/events/event.ts";
import { readAll } from "../../src/queries/source.ts";
import { CORPUS_DIR, corpusAvailable, traceFiles } from "../helpers/corpus.ts";

type Slice = ChromeEvent;

function exportOf(events: Event[], from?: TimeBound, to?: TimeBound): Slice[] {
  let json = "";
  const w = new ChromeTraceWriter((s) => json += s, { from, to });
  for (const ev of events) {
    w.event(ev);
    if (w.done) break;
  }
  w.end();
  return JSON.parse(json).traceEvents;
}

/** A slice without its times, and its times (µs). */
type Keyed = [string, number, number];

function keyed(s: Slice, ts = s.ts, end = s.ts + (s.dur ?? 0)): Keyed {
  // A syscall's outcome and a goroutine's name (on P and M tracks) are
  // what is known when the slice is written: later in the whole export.
  const { outcome: _, ...args } = s.args ?? {};
  const running = s.pid !== 3 && (s.cat === "running" || s.cat === "syscall") && "g" in args;
  const name = running ? `G${args.g}${s.name.endsWith(" syscall") ? " syscall" : ""}` : s.name;
  return [`${s.ph} ${s.pid}/${s.tid} ${name} ${JSON.stringify(args)}`, ts, end];
}

/** Equal lists of slices, times within a nanosecond (they are computed in ns, then as µs). */
function sameSlices(a: Keyed[], b: Keyed[], where: string): void {
  const order = (x: Keyed, y: Keyed) =>
    x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1] || x[2] - y[2];
  a.sort(order);
  b.sort(order);
  assert.equal(a.length, b.length, `${where}: ${a.length} slices, not ${b.length}`);
  a.forEach((x, i) => {
    const y = b[i];
    const close = x[0] === y[0] && Math.abs(x[1] - y[1]) < 1e-3 && Math.abs(x[2] - y[2]) < 1e-3;
    assert.ok(close, `${where}: ${JSON.stringify(x)}, not ${JSON.stringify(y)}`);
  });
}

/** Checks the export of [from, to] µs of the trace (from its first event) against the whole. */
function checkWindow(name: string, events: Event[], whole: Slice[], from: number, to: number) {
  const win = exportOf(events, { sinceFirst: from * 1000 }, { sinceFirst: to * 1000 });
  const where = `${name} [${from}, ${to}] µs`;
  for (const s of win) {
    if (s.ph === "M") continue;
    assert.ok(s.ts >= from - 1e-6 && s.ts + (s.dur ?? 0) <= to + 1e-6, `${where}: ${keyed(s)}`);
  }
  // Goroutine states never nest: each one overlapping the window, cut to it.
  const states = (l: Slice[]) => l.filter((s) => s.ph === "X" && s.pid === 3);
  const want = states(whole)
    .filter((s) => s.ts + s.dur! >= from && s.ts <= to)
    .map((s) => keyed(s, Math.max(s.ts, from), Math.min(s.ts + s.dur!, to)));
  sameSlices(states(win).map((s) => keyed(s)), want, `${where}: states`);
  // P and M slices wholly inside the window, as they are; and steals' flows
  // (their ids are numbered anew).
  const inside = (s: Slice) => s.ts > from + 1e-3 && s.ts + (s.dur ?? 0) < to - 1e-3;
  const rest = (l: Slice[]) =>
    l.filter((s) => s.ph !== "M" && s.pid !== 3 && inside(s)).map((s) => keyed(s));
  sameSlices(rest(win), rest(whole), `${where}: P and M slices, flows`);
}

/** Windows early, in the middle, narrow and late, and one past the end. */
function windows(events: Event[]): [number, number][] {
  const span = (events[events.length - 1].time - events[0].time) / 1000;
  return [
    [0, span * 0.1],
    [span * 0.2, span * 0.5],
    [span * 0.6, span * 0.6 + 0.5],
    [span * 0.9, span * 2],
  ];
}

async function checkTrace(path: string): Promise<number> {
  const events: Event[] = [];
  await readAll(path, (ev) => events.push(ev));
  const whole = exportOf(events);
  let n = 0;
  for (const [from, to] of windows(events)) {
    checkWindow(path.slice(path.lastIndexOf("/") + 1), events, whole, from, to);
    n++;
  }
  return n;
}

const TESTDATA = decodeURIComponent(new URL("../../testdata", import.meta.url).pathname);

Deno.test("export window = the whole export cut to it: the project's traces", async () => {
  const files = traceFiles(TESTDATA).filter((f) => !f.includes("/fail-"));
  assert.ok(files.length >= 20);
  let n = 0;
  for (const f of files) n += await checkTrace(f);
  assert.equal(n, files.length * 4);
});

Deno.test("export window = the whole export cut to it: real traces (skipped without the corpus)", async () => {
  if (!corpusAvailable()) return;
  const files = ["go1.22", "go1.23", "go1.25"].flatMap((v) =>
    traceFiles(`${CORPUS_DIR}/real/${v}`)
  );
  assert.ok(files.length >= 10);
  for (const f of files) await checkTrace(f);
});

Deno.test("export window with no event inside: states begun before it keep reason and stack", async () => {
  const events: Event[] = [];
  await readAll(`${TESTDATA}/demo.trace`, (ev) => events.push(ev));
  // A gap between two events, wide enough for a window.
  let i = 1;
  while (events[i].time - events[i - 1].time < 20_000) i++;
  const from = (events[i - 1].time - events[0].time) / 1000 + 1;
  const to = from + 5;
  const win = exportOf(events, { sinceFirst: from * 1000 }, { sinceFirst: to * 1000 });
  const states = win.filter((s) => s.ph === "X" && s.pid === 3);
  assert.ok(states.length > 0);
  assert.ok(states.every((s) => s.ts === from && s.dur === 5));
  // Each shows where its goroutine was (the stack of the transition into the state).
  assert.ok(states.some((s) => typeof s.args?.at === "string"), JSON.stringify(states));
  checkWindow("demo.trace", events, exportOf(events), from, to);
});
