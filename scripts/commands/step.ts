/**
 * `trace step`: the ordering engine, one keystroke at a time. Reads
 * commands line by line from stdin (a terminal or a pipe), so it can be
 * scripted: `printf 'n 10\nf\nq\n' | deno task trace step x.trace`.
 *
 * @module
 */

import type { Event } from "../../src/events/event.ts";
import { Stepper } from "../../src/stepping/stepper.ts";
import { Reader } from "../../src/reader/reader.ts";
import { formatChange } from "../../src/stepping/changes.ts";
import { subjectGoroutine } from "../../src/queries/event_filter.ts";
import { textTable } from "../../src/display/html.ts";
import { frontierRows } from "../../src/display/stepper_view.ts";
import { type Command, oneFile, parse, parseTime, resolveTime, UsageError } from "./cli.ts";
import { readInput } from "./io.ts";

const HELP = `Usage: deno task trace step FILE

Steps through the ordering of the trace FILE (a path, "-" is not allowed:
stdin carries the keystrokes; gzip is fine), showing each event the engine
emits, the rule that placed it and what it changed. Commands, one per line:

  Enter, n   step one event
  n N        step N events
  g G        run to the next event of goroutine G
  t T        run to time T: a duration from the first event (3ms, +3ms,
             1500000) or, with "@", an absolute timestamp (@1234567ns)
  f          the frontier: each M's next event and whether it can advance
  e [M]      why M's next event can or cannot advance (all Ms without M)
  s          the state: goroutines, Ps, Ms
  r          start over
  h, ?       this list
  q          quit (also at the end of input)

Exit status: 0, or 1 when the trace turned out to be bad (the failing step
is explained), 2 usage.
`;

const KEYS = `Enter or n step · n N steps · g G to goroutine G · t T to time · f frontier · ` +
  `e [M] explain · s state · r reset · h help · q quit`;

/** Reads stdin as lines, as they come. */
async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      yield buf.slice(0, i).replace(/\r$/, "");
      buf = buf.slice(i + 1);
    }
  }
  if (buf) yield buf;
}

/** The session: a stepper and what to print for each command. */
class Session {
  /** @param first the first event's time: where durations given to `t` count from */
  constructor(
    readonly s: Stepper,
    readonly print: (s: string) => void,
    readonly first: number,
  ) {}

  /** Prints emitted events: all of them up to a few, then the last ones (or only the last). */
  #show(evs: Event[], detail: boolean, lastOnly = false): void {
    const s = this.s;
    if (evs.length === 0) {
      this.#end();
      return;
    }
    const first = s.position - evs.length + 1;
    const line = (ev: Event, i: number) => `#${first + i}  ${ev.toString().split("\n", 1)[0]}`;
    if (lastOnly) {
      if (evs.length > 1) this.print(`  … ${evs.length - 1} events …`);
      this.print(line(evs[evs.length - 1], evs.length - 1));
    } else if (evs.length <= 12) evs.forEach((ev, i) => this.print(line(ev, i)));
    else {
      evs.slice(0, 3).forEach((ev, i) => this.print(line(ev, i)));
      this.print(`  … ${evs.length - 6} more …`);
      evs.slice(-3).forEach((ev, i) => this.print(line(ev, evs.length - 3 + i)));
    }
    const p = s.lastPlacement();
    if (p && detail) {
      this.print(
        `   rule ${p.rule}${p.changes.length ? ": " : ""}${p.changes.map(formatChange).join(", ")}`,
      );
    }
    if (s.done) this.#end();
  }

  #end(): void {
    const f = this.s.failure;
    if (f) {
      this.print(`FAILED after ${this.s.position} events: ${f.error.message}\n${f.explanation}`);
    } else if (this.s.done) this.print(`end of trace: ${this.s.position} events`);
  }

  /** Runs one command line; false to quit. */
  command(line: string): boolean {
    const s = this.s;
    const [cmd = "", arg] = line.trim().split(/\s+/);
    const num = (what: string): number | null => {
      const n = Number(arg);
      if (arg === undefined || !Number.isInteger(n) || n < 0) {
        this.print(`${cmd} wants ${what}, e.g. "${cmd} ${cmd === "n" ? 100 : 7}"`);
        return null;
      }
      return n;
    };
    switch (cmd) {
      case "":
        this.#show(s.step(1), true);
        break;
      case "n": {
        // "n" alone steps once, like Enter.
        const n = arg === undefined ? 1 : num("a number of steps");
        if (n !== null) this.#show(s.step(n), true);
        break;
      }
      case "g": {
        const g = num("a goroutine id");
        if (g === null) break;
        const evs = s.runUntil((ev) => ev.goroutine === g || subjectGoroutine(ev) === g);
        const hit = evs.at(-1);
        if (hit && (hit.goroutine === g || subjectGoroutine(hit) === g)) {
          this.#show(evs, true, true);
        } else {
          this.print(`no more events of goroutine ${g} (${evs.length} stepped)`);
          this.#end();
        }
        break;
      }
      case "t": {
        const b = arg === undefined ? null : parseTime(arg);
        if (b === null) {
          this.print(
            `t wants a time from the first event ("t 2ms") or an absolute one ("t @1000400")`,
          );
          break;
        }
        this.#show(s.seek(resolveTime(b, this.first)), true, true);
        break;
      }
      case "f": {
        // "time" is when the event would be placed; "recorded" shows only when it differs.
        const rows = frontierRows(s.frontier()).map(({ event, next, ...r }) => ({
          M: r.M,
          next: event,
          time: r.time,
          ...("recorded" in r ? { recorded: r.recorded } : {}),
          verdict: next,
        }));
        this.print(rows.length ? `Frontier\n${textTable(rows)}` : "the frontier is empty");
        break;
      }
      case "e":
        this.print(s.explain(arg === undefined ? undefined : Number(arg)));
        break;
      case "s": {
        const st = s.state();
        const rows = (x: unknown) => x as Record<string, unknown>[];
        this.print(`Goroutines\n${textTable(rows(st.goroutines))}`);
        this.print(`Ps\n${textTable(rows(st.procs))}`);
        this.print(`Ms\n${textTable(rows(st.threads))}`);
        this.print(`GC: seq ${st.gc.seq}, ${st.gc.state}`);
        break;
      }
      case "r":
        s.reset();
        this.print("back at the start");
        break;
      case "h":
      case "?":
        this.print(KEYS);
        break;
      case "q":
        return false;
      default:
        this.print(`unknown command ${JSON.stringify(cmd)}; ${KEYS}`);
    }
    return true;
  }
}

/** The `step` command. */
export const stepCommand: Command = {
  name: "step",
  summary: "step the ordering engine interactively",
  help: HELP,
  async run(args) {
    const p = parse(args, {}, HELP);
    if (!p) return 0;
    const file = oneFile(p);
    if (file === "-") {
      throw new UsageError("step reads keystrokes from stdin: give a file, not -");
    }
    const bytes = await readInput(file);
    const stepper = Stepper.fromBytes(bytes);
    // Durations given to `t` count from the first event, known before any step.
    let first = 0;
    try {
      first = Reader.fromBytes(bytes).readEvent()?.time ?? 0;
    } catch { /* a bad trace: the stepper explains it when stepped */ }
    const tty = Deno.stdin.isTerminal();
    const enc = new TextEncoder();
    const write = (t: string) => {
      let b = enc.encode(t);
      while (b.length) b = b.subarray(Deno.stdout.writeSync(b));
    };
    const session = new Session(stepper, (t) => write(t + "\n"), first);
    write(`${file}: Go 1.${stepper.version} trace\n${KEYS}\n`);
    const prompt = () => write(`step ${stepper.position}> `);
    prompt();
    for await (const line of lines(Deno.stdin.readable)) {
      // Piped keystrokes are echoed so that the transcript reads like a session.
      if (!tty) write(`${line}\n`);
      if (!session.command(line)) break;
      prompt();
    }
    if (!tty) write("\n");
    return stepper.failure ? 1 : 0;
  },
};
