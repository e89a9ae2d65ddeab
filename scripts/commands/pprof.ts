/**
 * `trace pprof`: writes one of the blocking profiles `go tool trace` offers
 * (network, sync, syscall, scheduler latency), or the all-reasons block
 * profile or the CPU samples, as a gzip-compressed pprof protobuf.
 *
 * @module
 */

import { type ProfileKind, StackProfileAnalysis } from "../../src/export/profiles.ts";
import { encodePprof, gzip, toPprof } from "../../src/export/pprof.ts";
import {
  type Command,
  oneFile,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  resolveTime,
  runCommand,
  TIME_HELP,
  TIME_OPTIONS,
  timeOption,
  UsageError,
} from "./cli.ts";
import { Destination, TraceInput } from "./io.ts";

const KINDS: readonly ProfileKind[] = ["network", "sync", "syscall", "sched", "block", "cpu"];

const HELP = `Usage: deno task trace pprof --kind=KIND [options] FILE > out.pb.gz

Reads the trace FILE (a path, "-" for standard input, gzip or not) and writes
a gzip-compressed pprof profile for "go tool pprof". KIND is one of the
profiles of "go tool trace":
  network   time blocked on the network (reason "network")
  sync      time blocked on synchronisation (reasons with chan, sync, select)
  syscall   time in syscalls
  sched     scheduler latency: time runnable before running
or
  block     time blocked for any reason
  cpu       the CPU profile samples recorded in the trace
Delays are charged to the stack where the goroutine blocked (entered the
syscall, or was made runnable); samples are "contentions" and "delay".

Options:
  --kind KIND       the profile (required)
  --goroutine ID    only this goroutine (repeat for several)
  --func NAME       only stacks through this function (/RE/ for a regexp)
${TIME_HELP}
  -o, --output F    write to F instead of standard output ("-"); F is
                    replaced only once the profile is complete
${PARTIAL_HELP}
  -h, --help        show this help

Exit status: 0 written, 1 the trace is unreadable (or truncated), 2 usage.
`;

function funcPattern(v: unknown): string | RegExp | undefined {
  if (typeof v !== "string") return undefined;
  const m = /^\/(.*)\/$/.exec(v);
  if (!m) return v;
  try {
    return new RegExp(m[1]);
  } catch (e) {
    throw new UsageError(`--func: ${(e as Error).message}`);
  }
}

/** The `pprof` command. */
export const pprofCommand: Command = {
  name: "pprof",
  summary: "a pprof profile of network, sync, syscall or scheduler delays",
  help: HELP,
  async run(args) {
    const p = parse(args, {
      kind: { type: "string" },
      goroutine: { type: "string", multiple: true },
      func: { type: "string" },
      ...TIME_OPTIONS,
      output: { type: "string", short: "o" },
      ...PARTIAL_OPTION,
    }, HELP);
    if (!p) return 0;
    const kind = p.values.kind;
    if (typeof kind !== "string" || !KINDS.includes(kind as ProfileKind)) {
      throw new UsageError(`--kind must be one of ${KINDS.join(", ")}`);
    }
    const file = oneFile(p);
    const ids = ((p.values.goroutine ?? []) as string[]).map((v) => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new UsageError(`--goroutine wants an integer, got ${v}`);
      return n;
    });
    const from = timeOption(p, "from"), to = timeOption(p, "to");
    const output = p.values.output as string | undefined;
    const partial = partialOption(p);
    const func = funcPattern(p.values.func);
    return await Destination.with(output, [file], async (d) => {
      if (d.stdout && Deno.stdout.isTerminal()) {
        throw new UsageError(
          "refusing to write a binary profile to a terminal: redirect or use -o",
        );
      }
      const input = await TraceInput.open("trace pprof", file, partial);
      // The window is relative to the first event, known once it is read.
      let a: StackProfileAnalysis | null = null;
      await input.readAll((ev) => {
        a ??= new StackProfileAnalysis({
          kind: kind as ProfileKind,
          goroutines: ids.length ? ids : undefined,
          func,
          from: from === undefined ? undefined : resolveTime(from, ev.time),
          to: to === undefined ? undefined : resolveTime(to, ev.time),
        });
        a.event(ev);
      });
      const profile = (a ?? new StackProfileAnalysis({ kind: kind as ProfileKind })).result();
      d.out.bytes(
        await gzip(encodePprof(toPprof(profile, { comments: [`trace ${kind} profile`] }))),
      );
      return input.status;
    });
  },
};

if (import.meta.main) Deno.exit(await runCommand(pprofCommand, Deno.args));
