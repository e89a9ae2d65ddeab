/**
 * `trace pprof`: writes one of the blocking profiles `go tool trace -pprof`
 * writes (network, sync, syscall, scheduler latency), equal to Go's, or one
 * of ours (the same kinds charged as the goroutine analysis does, the
 * all-reasons block profile, the CPU samples), as a gzip-compressed pprof
 * protobuf.
 *
 * @module
 */

import {
  defaultRules,
  type ProfileKind,
  type ProfileRules,
  StackProfileAnalysis,
} from "../../src/export/profiles.ts";
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
import { TraceInput } from "./io.ts";
import { Destination } from "./output.ts";

const KINDS: readonly ProfileKind[] = ["network", "sync", "syscall", "sched", "block", "cpu"];
/** Go's names for its kinds, where they differ from ours. */
const GO_NAMES: Record<string, ProfileKind> = { net: "network" };
const RULES: readonly ProfileRules[] = ["go", "analysis"];

const HELP = `Usage: deno task trace pprof --kind=KIND [options] FILE > out.pb.gz

Reads the trace FILE (a path, "-" for standard input, gzip or not) and writes
a gzip-compressed pprof profile for "go tool pprof". KIND is one of the
profiles of "go tool trace -pprof", equal to the files Go writes:
  network   time blocked on the network (reason "network"; also "net")
  sync      time blocked on synchronisation (reasons with chan, sync, select)
  syscall   time in syscalls
  sched     scheduler latency: time runnable before running
or one of ours, which Go does not export:
  block     time blocked for any reason but "forever"
  cpu       the CPU profile samples recorded in the trace
Samples are "contentions" and "delay" (for cpu, "samples").

Go's rules (--rules go, the default for the first four) charge a stretch to
the stack of the event that started it (where the goroutine blocked, entered
the syscall, or was made runnable), see only transitions that carry a stack
(so a stretch runs on to the goroutine's next one), and clip it to the
goroutine's lifetime. Ours (--rules analysis, the only rules for block and
cpu) end a stretch where the state ends, so the totals equal the goroutine
analysis's block, syscall and scheduling-wait times.

Options:
  --kind KIND       the profile (required)
  --rules RULES     go or analysis (default: go for Go's kinds)
  --goroutine ID    only this goroutine (repeat for several)
  --name FUNC       only goroutines whose entry function is FUNC, as the
                    "name" parameter of go tool trace's web UI (Go's rules)
  --func NAME       only stacks through this function (/RE/ for a regexp)
${TIME_HELP}
                    Under Go's rules each goroutine's lifetime is cut to the window.
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
  summary: "blocking profiles as pprof, equal to go tool trace -pprof",
  help: HELP,
  async run(args) {
    const p = parse(args, {
      kind: { type: "string" },
      rules: { type: "string" },
      name: { type: "string" },
      goroutine: { type: "string", multiple: true },
      func: { type: "string" },
      ...TIME_OPTIONS,
      output: { type: "string", short: "o" },
      ...PARTIAL_OPTION,
    }, HELP);
    if (!p) return 0;
    const given = p.values.kind;
    const kind = typeof given === "string" ? GO_NAMES[given] ?? given as ProfileKind : undefined;
    if (kind === undefined || !KINDS.includes(kind)) {
      throw new UsageError(`--kind must be one of ${KINDS.join(", ")} (or net)`);
    }
    const rules = (p.values.rules ?? defaultRules(kind)) as ProfileRules;
    if (!RULES.includes(rules)) throw new UsageError(`--rules must be go or analysis`);
    if (rules === "go" && defaultRules(kind) !== "go") {
      throw new UsageError(`go tool trace has no ${kind} profile: use --rules analysis`);
    }
    const name = p.values.name as string | undefined;
    if (name !== undefined && rules !== "go") {
      throw new UsageError("--name selects goroutines as Go does: use it with --rules go");
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
          kind,
          rules,
          goroutines: ids.length ? ids : undefined,
          goroutineName: name,
          func,
          from: from === undefined ? undefined : resolveTime(from, ev.time),
          to: to === undefined ? undefined : resolveTime(to, ev.time),
        });
        a.event(ev);
      });
      const profile = (a ?? new StackProfileAnalysis({ kind, rules })).result();
      const comments = [`trace ${kind} profile, ${rules === "go" ? "Go's" : "analysis"} rules`];
      d.out.bytes(await gzip(encodePprof(toPprof(profile, { comments }))));
      return input.status;
    });
  },
};

if (import.meta.main) Deno.exit(await runCommand(pprofCommand, Deno.args));
