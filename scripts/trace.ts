/**
 * `deno task trace <command> FILE`: the command-line way into a trace.
 * Each command has its own `--help`; FILE is a path, `-` for standard
 * input, plain or gzip. Exit status: 0 done, 1 the trace is bad (the
 * TraceError in one paragraph), 2 the command line is wrong.
 *
 * @module
 */

import { type Command, runCommand } from "./commands/cli.ts";
import { summaryCommand } from "./commands/summary.ts";
import { eventsCommand } from "./commands/events.ts";
import { goroutinesCommand } from "./commands/goroutines.ts";
import { stealsCommand, syscallsCommand } from "./commands/syscalls.ts";
import { validateCommand } from "./commands/validate.ts";
import { stepCommand } from "./commands/step.ts";
import { exportCommand } from "./commands/export.ts";
import { textCommand } from "./commands/text.ts";
import { pprofCommand } from "./commands/pprof.ts";
import { parquetCommand, sqlCommand, tablesCommand } from "./commands/sql.ts";

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  summaryCommand,
  eventsCommand,
  goroutinesCommand,
  syscallsCommand,
  stealsCommand,
  validateCommand,
  stepCommand,
  exportCommand,
  textCommand,
  pprofCommand,
  sqlCommand,
  parquetCommand,
  tablesCommand,
];

const HELP = `Usage: deno task trace <command> [options] FILE

Explore a Go execution trace (written by Go 1.11 or later; FILE is a path,
"-" for standard input, or an http(s) URL, plain or gzip).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join("\n")}

Run "deno task trace <command> --help" for a command's options.
Exit status: 0 done, 1 the trace is bad, 2 usage.
`;

/** Runs `trace` with its arguments; returns the exit status. */
export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    (name === undefined ? console.error : console.log)(HELP.trimEnd());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`trace: unknown command ${JSON.stringify(name)}\n\n${HELP.trimEnd()}`);
    return 2;
  }
  return await runCommand(cmd, rest);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
