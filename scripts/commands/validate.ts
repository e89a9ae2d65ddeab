/**
 * `trace validate`: reads a trace and checks that its events tell a
 * consistent story (src/validate).
 *
 * @module
 */

import { formatViolation, Validator } from "../../src/validate/mod.ts";
import {
  type Command,
  intOption,
  oneFile,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
} from "./cli.ts";
import { TraceInput } from "./io.ts";
import { Output } from "./output.ts";

const HELP = `Usage: deno task trace validate [options] FILE

Reads the trace FILE (a path, "-" for standard input, gzip or not) and
checks every event against a model of the scheduler: states chain, one
goroutine per thread, each event's M/P/G matches what is running, time never
goes back, ranges, regions and tasks begin before they end, stacks resolve.

Options:
  --strict-time      also report equal consecutive timestamps
  --max N            print at most N violations (default 20; all are counted)
${PARTIAL_HELP}
  -h, --help         show this help

Exit status: 0 consistent, 1 violations found or the trace is unreadable,
2 usage.
`;

/** The `validate` command. */
export const validateCommand: Command = {
  name: "validate",
  summary: "check that the events tell a consistent story",
  help: HELP,
  async run(args) {
    const p = parse(args, {
      "strict-time": { type: "boolean" },
      max: { type: "string" },
      ...PARTIAL_OPTION,
    }, HELP);
    if (!p) return 0;
    const file = oneFile(p);
    const max = intOption(p, "max") ?? 20;
    const input = await TraceInput.open("trace validate", file, partialOption(p));
    const v = new Validator({
      strictTime: p.values["strict-time"] === true,
      // Pre-1.22 traces are converted to the new model; their M/P/G context differs.
      legacy: input.reader.legacy,
    });
    await input.readAll((ev) => v.event(ev));
    const out = new Output();
    for (const x of v.violations.slice(0, max)) out.line(formatViolation(x));
    if (v.total > max) out.line(`… ${v.total - max} more`);
    out.line(
      `${file}: ${v.count} events, ${
        v.ok ? "consistent" : `${v.total} violation${v.total === 1 ? "" : "s"}`
      }`,
    );
    out.flush();
    return v.ok ? input.status : 1;
  },
};
