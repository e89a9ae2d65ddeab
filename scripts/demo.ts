/**
 * A short tour of what the library reads from a trace: the summary of
 * `trace summary` (version, span, events by kind, goroutines, syscalls, GC,
 * annotations), and whether the event stream is internally consistent.
 *
 * Usage: `deno task demo [--partial=MODE] [FILE]` (default
 * `testdata/demo.trace`, else the first `testdata/*.trace`).
 *
 * @module
 */

import { userPath } from "./commands/paths.ts";
import { summarizeTrace, summaryError } from "./commands/summary.ts";
import {
  OutputError,
  paragraph,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  UsageError,
} from "./commands/cli.ts";
import { TraceError } from "../src/trace_error.ts";
import { formatViolation, Validator } from "../src/validate/mod.ts";

const HELP = `Usage: deno task demo [options] [FILE]

Reads a Go execution trace (default: testdata/demo.trace, or the first
testdata/*.trace) and prints a short summary of what is in it.

Options:
${PARTIAL_HELP}
  -h, --help         show this help
`;

const TESTDATA = new URL("../testdata/", import.meta.url);

/** The trace to show: the argument, testdata/demo.trace, or any testdata trace. */
function pickTrace(arg: string | undefined): string | null {
  if (arg) return userPath(arg);
  const demo = new URL("demo.trace", TESTDATA);
  try {
    if (Deno.statSync(demo).isFile) return demo.pathname;
  } catch { /* fall through to any other trace */ }
  try {
    const names = [...Deno.readDirSync(TESTDATA)].map((e) => e.name).filter((n) =>
      n.endsWith(".trace")
    );
    if (names.length) return new URL(names.sort()[0], TESTDATA).pathname;
  } catch { /* no testdata directory */ }
  return null;
}

async function main(args: string[]): Promise<number> {
  let positionals, partial;
  try {
    const p = parse(args, PARTIAL_OPTION, HELP);
    if (p === null) return 0;
    if (p.positionals.length > 1) throw new UsageError("expected at most one FILE");
    positionals = p.positionals;
    partial = partialOption(p);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`demo: ${e.message}\n\n${HELP}`);
    return 2;
  }
  const file = pickTrace(positionals[0]);
  if (!file) {
    console.error("demo: no trace given and none found in testdata/");
    return 2;
  }

  // The summary `trace summary` prints, and whether the events tell a consistent story.
  const validator = new Validator({ strictTime: true });
  let r;
  try {
    r = await summarizeTrace("demo", file, {
      partial,
      extra: [{ event: (ev) => validator.event(ev), result: () => validator }],
    });
  } catch (e) {
    // Nothing read at all: a missing file, an empty one, a bad header.
    if (e instanceof OutputError) console.error(`demo: ${e.message}`);
    else if (e instanceof TraceError) console.error(paragraph(`demo: ${e.toString()}`));
    else throw e;
    return 1;
  }
  const [facts, ...rest] = r.view.toString().split("\n\n"); // the facts, then the top goroutines
  const lines = [facts];
  lines.push(
    `Consistency     ${validator.ok ? "ok" : `${validator.total} violation(s)`} (src/validate)`,
  );
  for (const v of validator.violations.slice(0, 5)) lines.push(`  ${formatViolation(v)}`);
  console.log([lines.join("\n"), ...rest].join("\n\n"));
  if (r.error) console.error(summaryError("demo", r.error));
  return r.status;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
