/**
 * Where the shared trace corpus is, for tests that read it. It sits beside
 * the repository (`../shared/corpus`); when it is missing the tests that
 * need it are skipped with a loud warning rather than failing.
 *
 * @module
 */

import type { Event } from "../../src/events/event.ts";
import { encodeBinary, goUnquote, parseText } from "../../src/wire/text.ts";
import { parseTxtar } from "../../src/wire/txtar.ts";

/**
 * Absolute path of the corpus directory (whether or not it exists).
 *
 * @example
 * ```ts
 * import { CORPUS_DIR } from "./corpus.ts";
 * console.assert(CORPUS_DIR.endsWith("/shared/corpus"));
 * ```
 */
export const CORPUS_DIR: string = decodeURIComponent(
  new URL("../../../shared/corpus", import.meta.url).pathname,
);

/** The `.trace` files of a directory, sorted, as paths; none if it cannot be read. */
export function traceFiles(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".trace"))
      .sort().map((n) => `${dir}/${n}`);
  } catch {
    return [];
  }
}

/**
 * Every real trace of the corpus, as "version/name"; none when the corpus
 * is missing.
 *
 * @example
 * ```ts
 * import { realTraces } from "./corpus.ts";
 * console.assert(realTraces().every((n) => /^go1\.\d+\/.+\.trace$/.test(n)));
 * ```
 */
export function realTraces(): string[] {
  if (!corpusAvailable()) return [];
  const out: string[] = [];
  for (const v of [...Deno.readDirSync(`${CORPUS_DIR}/real`)].map((e) => e.name).sort()) {
    out.push(...traceFiles(`${CORPUS_DIR}/real/${v}`).map((p) => `${v}/${p.split("/").pop()}`));
  }
  return out;
}

/**
 * Whether the corpus is readable; warns once, loudly, when it is not.
 *
 * @example
 * ```ts
 * import { corpusAvailable } from "./corpus.ts";
 * if (!corpusAvailable()) console.log("skipping");
 * ```
 */
export function corpusAvailable(): boolean {
  try {
    return Deno.statSync(`${CORPUS_DIR}/conformance`).isDirectory;
  } catch (e) {
    if (!warned) {
      warned = true;
      console.warn(
        `\n*** WARNING: trace corpus not found at ${CORPUS_DIR} (${(e as Error).message}).\n` +
          `*** Tests that read Go's conformance cases and real traces are SKIPPED.\n` +
          `*** Put the corpus at ../shared/corpus relative to the repository to run them.\n`,
      );
    }
    return false;
  }
}
let warned = false;

/**
 * One conformance case: file name, expectation and the textual trace.
 *
 * @example
 * ```ts
 * import type { ConformanceCase } from "./corpus.ts";
 * const c: ConformanceCase = { name: "x.test", failure: null, trace: "Trace Go1.22\n" };
 * console.assert(c.failure === null);
 * ```
 */
export interface ConformanceCase {
  /** File name, e.g. `go122-syscall-steal-proc-ambiguous.test`. */
  name: string;
  /** Null when the trace must read to the end; the error pattern otherwise. */
  failure: RegExp | null;
  /** The `trace` section. */
  trace: string;
}

/**
 * Go's conformance cases (`conformance/*.test`), sorted by name; empty
 * when the corpus is missing.
 *
 * @example
 * ```ts
 * import { conformanceCases } from "./corpus.ts";
 * for (const c of conformanceCases()) console.log(c.name, c.failure === null);
 * ```
 */
export function conformanceCases(): ConformanceCase[] {
  if (!corpusAvailable()) return [];
  const dir = `${CORPUS_DIR}/conformance`;
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".test"));
  return names.sort().map((name) => {
    const files = parseTxtar(Deno.readTextFileSync(`${dir}/${name}`));
    const expect = (files.get("expect") ?? "").trim();
    const trace = files.get("trace");
    if (trace === undefined) throw new Error(`${name}: no trace section`);
    let failure: RegExp | null = null;
    if (expect !== "SUCCESS") {
      const m = /^FAILURE\s+(".*")$/s.exec(expect);
      const pattern = m && goUnquote(m[1]);
      if (!pattern) throw new Error(`${name}: unexpected expectation ${JSON.stringify(expect)}`);
      // A Go regexp; the corpus's patterns mean the same as JavaScript RegExps.
      failure = new RegExp(new TextDecoder().decode(pattern));
    }
    return { name, failure, trace };
  });
}

/**
 * Go's conformance case NAME (`conformance/NAME.test`) as a binary trace.
 *
 * @example
 * ```ts
 * import { conformanceTrace, corpusAvailable } from "./corpus.ts";
 * if (corpusAvailable()) {
 *   const bytes = conformanceTrace("go122-syscall-steal-proc-ambiguous");
 *   console.assert(new TextDecoder().decode(bytes.subarray(0, 13)) === "go 1.22 trace");
 * }
 * ```
 */
export function conformanceTrace(name: string): Uint8Array {
  const files = parseTxtar(Deno.readTextFileSync(`${CORPUS_DIR}/conformance/${name}.test`));
  return encodeBinary(parseText(files.get("trace")!));
}

/**
 * A few lines either side of the first line where `got` and `want` differ,
 * marked with `>`; "" when they are equal. For short failure messages on
 * texts of millions of lines.
 *
 * @example
 * ```ts
 * import { firstDifference } from "./corpus.ts";
 * console.assert(firstDifference("a\nb", "a\nb") === "");
 * console.assert(firstDifference("a\nb", "a\nc").startsWith("first difference at line 2"));
 * ```
 */
export function firstDifference(got: string, want: string): string {
  const g = got.split("\n");
  const w = want.split("\n");
  let i = 0;
  while (i < g.length && i < w.length && g[i] === w[i]) i++;
  if (i === g.length && i === w.length) return "";
  const from = Math.max(0, i - 3);
  const show = (lines: string[]) =>
    lines.slice(from, i + 4).map((l, k) => `${from + k === i ? ">" : " "} ${l}`).join("\n");
  return `first difference at line ${i + 1}\n--- got\n${show(g)}\n--- want\n${show(w)}`;
}

/**
 * The numbers an event is made of, as one string: much cheaper than its
 * text, which is a function of them and its generation's tables, so two
 * reads of the same bytes compare by it when their texts would take long.
 *
 * @example
 * ```ts
 * import { eventFields } from "./corpus.ts";
 * import { Event } from "../../src/events/event.ts";
 * const ev = new Event(null, 1, 0, 7, 20, 100, 7, 1, 0, 0);
 * console.assert(eventFields(ev) === "1 0 7 20 100 7 1 0 0");
 * ```
 */
export function eventFields(ev: Event): string {
  return `${ev.thread} ${ev.proc} ${ev.goroutine} ${ev.type} ${ev.time} ${ev.a0} ${ev.a1} ${ev.a2} ${ev.a3}`;
}
