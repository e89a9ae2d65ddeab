/**
 * `trace events`: the events, one line each (or with stacks, or JSON),
 * filtered by kind, goroutine, P, M and time window.
 *
 * @module
 */

import { type EventFilter, eventMatcher } from "../../src/queries/event_filter.ts";
import { eventRow } from "../../src/display/event_view.ts";
import type { EventKind } from "../../src/events/kinds.ts";
import { SPECS } from "../../src/wire/spec.ts";
import {
  type Command,
  intOption,
  oneFile,
  oneOf,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  resolveTime,
  TIME_HELP,
  TIME_OPTIONS,
  timeOption,
} from "./cli.ts";
import { TraceInput } from "./io.ts";
import { Output } from "./output.ts";

const HELP = `Usage: deno task trace events [options] FILE

Prints the events of the trace FILE (a path, "-" for standard input, gzip
or not) in the reference reader's order, one line each: Go's Event.String()
without the stacks.

Options:
  -k, --kind K       only events of kind K ("StateTransition", "Log", ...)
                     or wire name K ("GoSyscallBegin", "ProcSteal", ...);
                     repeat or separate with commas
  -g, --goroutine G  only events of goroutine G (running on it or changing
                     its state)
  -p, --proc P       only events on P
  -m, --thread M     only events on M
${TIME_HELP}:
                     only events in it, e.g. --from 2ms --to 2.5ms
  -n, --limit N      stop after N events
  --stacks           print stacks too (the reference's full text)
  --json             one JSON object per line instead
${PARTIAL_HELP}
  -h, --help         show this help

Exit status: 0 read to the end, 1 the trace is bad or truncated (the events
before the problem are printed first), 2 usage.
`;

/** The event kinds, then the wire names, that --kind accepts. */
const KIND_NAMES: readonly string[] = [
  ...new Set([
    ...[
      "Sync",
      "Metric",
      "Label",
      "StackSample",
      "RangeBegin",
      "RangeActive",
      "RangeEnd",
      "TaskBegin",
      "TaskEnd",
      "RegionBegin",
      "RegionEnd",
      "Log",
      "StateTransition",
      "Experimental",
    ] satisfies EventKind[],
    ...SPECS.map((s) => s.name).filter(Boolean),
  ]),
];

/** The `events` command. */
export const eventsCommand: Command = {
  name: "events",
  summary: "the events, filtered by kind, goroutine, P, M, time",
  help: HELP,
  async run(args) {
    const p = parse(args, {
      kind: { type: "string", short: "k", multiple: true },
      goroutine: { type: "string", short: "g" },
      proc: { type: "string", short: "p" },
      thread: { type: "string", short: "m" },
      ...TIME_OPTIONS,
      limit: { type: "string", short: "n" },
      stacks: { type: "boolean" },
      json: { type: "boolean" },
      ...PARTIAL_OPTION,
    }, HELP);
    if (!p) return 0;
    const file = oneFile(p);
    const kinds = ((p.values.kind ?? []) as string[]).flatMap((k) => k.split(","))
      .map((k) => k.trim()).filter(Boolean).map((k) => oneOf("--kind", k, KIND_NAMES));
    const filter: EventFilter = {
      kinds,
      goroutine: intOption(p, "goroutine"),
      proc: intOption(p, "proc"),
      thread: intOption(p, "thread"),
    };
    const from = timeOption(p, "from"), to = timeOption(p, "to");
    const limit = intOption(p, "limit") ?? Infinity;
    const json = p.values.json === true, stacks = p.values.stacks === true;

    const input = await TraceInput.open("trace events", file, partialOption(p));
    const out = new Output();
    let match: ((ev: import("../../src/events/event.ts").Event) => boolean) | null = null;
    let first = 0;
    let n = 0;
    try {
      // Arrays of events: one await per array, and `break` still stops the read.
      read: for await (const events of input.reader.chunks()) {
        for (const ev of events) {
          input.events++;
          if (match === null) {
            // Relative bounds need the first event's time.
            first = ev.time;
            filter.from = from === undefined ? undefined : resolveTime(from, first);
            filter.to = to === undefined ? undefined : resolveTime(to, first);
            match = eventMatcher(filter);
          }
          if (filter.to !== undefined && ev.time > filter.to) break read;
          if (!match(ev)) continue;
          if (json) out.line(JSON.stringify(eventRow(ev, first)));
          else if (stacks) out.line(ev.toString());
          else out.line(ev.toString().split("\n", 1)[0]);
          if (++n >= limit) break read;
        }
      }
    } catch (e) {
      await input.end(e);
    } finally {
      // What was read before a bad spot is still worth seeing.
      out.flush();
    }
    return input.status;
  },
};
