/**
 * Compares test durations of two checkouts from `deno test --reporter=junit`
 * files: the fastest of each test's runs before and after, and the tests
 * slower by more than a threshold (those whose best time after is under a
 * floor are left out: a few milliseconds are timer noise).
 *
 * ```sh
 * deno test ... --reporter=junit --junit-path=/tmp/before1.xml   # in the old checkout, 2-3 times
 * deno test ... --reporter=junit --junit-path=/tmp/after1.xml    # in this one, as often
 * deno run --allow-read scripts/test_times.ts --before /tmp/before*.xml --after /tmp/after*.xml
 * ```
 *
 * Exits 1 when a test common to both is slower than the threshold allows.
 *
 * @module
 */

import { parseArgs } from "node:util";

const XML_ENTITIES: Record<string, string> = {
  "&apos;": "'",
  "&quot;": '"',
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
};

function unescapeXml(s: string): string {
  return s.replace(/&(apos|quot|lt|gt|amp);/g, (e) => XML_ENTITIES[e]);
}

/** Best time (s) of each test over junit files, keyed by file and name. */
export function bestTimes(xmls: string[]): Map<string, number> {
  const best = new Map<string, number>();
  for (const xml of xmls) {
    for (const m of xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)" time="([\d.]+)"/g)) {
      const key = `${m[2].replace(/^\.\//, "")} :: ${unescapeXml(m[1])}`;
      const t = Number(m[3]);
      best.set(key, Math.min(best.get(key) ?? Infinity, t));
    }
  }
  return best;
}

/** One test found in both runs. */
export interface TimeRow {
  /** File and test name. */
  test: string;
  /** Best time before (s). */
  before: number;
  /** Best time after (s). */
  after: number;
}

/**
 * The tests common to both sets, slowest-before first.
 *
 * @example
 * ```ts
 * import { compareTimes } from "./test_times.ts";
 * const row = (t: string) => `<testcase name="a" classname="./x_test.ts" time="${t}" line="1">`;
 * const rows = compareTimes([row("0.200"), row("0.100")], [row("0.110")]);
 * console.assert(rows.length === 1 && rows[0].before === 0.1 && rows[0].after === 0.11);
 * ```
 */
export function compareTimes(before: string[], after: string[]): TimeRow[] {
  const a = bestTimes(before);
  const b = bestTimes(after);
  const rows: TimeRow[] = [];
  for (const [test, t] of a) {
    const u = b.get(test);
    if (u !== undefined) rows.push({ test, before: t, after: u });
  }
  return rows.sort((x, y) => y.before - x.before);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      before: { type: "string", multiple: true },
      after: { type: "string", multiple: true },
      threshold: { type: "string", default: "1.2" },
      floor: { type: "string", default: "0.05" },
    },
    allowPositionals: true,
  });
  // A glob left to the shell may leave extra files as positionals: they belong to --after.
  const read = (ps: string[] = []) => ps.map((p) => Deno.readTextFileSync(p));
  const rows = compareTimes(read(values.before), read(values.after));
  const limit = Number(values.threshold);
  const floor = Number(values.floor);
  let before = 0;
  let after = 0;
  const slow: TimeRow[] = [];
  for (const r of rows) {
    before += r.before;
    after += r.after;
    if (r.after > floor && r.after > limit * r.before) slow.push(r);
  }
  console.log(
    `${rows.length} tests in both; total of best times ${before.toFixed(2)} s before, ${
      after.toFixed(2)
    } s after`,
  );
  for (const r of rows.filter((r) => r.before >= floor || r.after >= floor)) {
    console.log(
      `${r.before.toFixed(3).padStart(8)} ${r.after.toFixed(3).padStart(8)} ${
        (r.after / r.before).toFixed(2).padStart(6)
      }  ${r.test}`,
    );
  }
  if (slow.length) {
    console.log(`\n${slow.length} test(s) slower than ${limit}x (over ${floor} s):`);
    for (const r of slow) console.log(`  ${r.test}: ${r.before} s -> ${r.after} s`);
    Deno.exit(1);
  }
  console.log(`\nno test slower than ${limit}x (tests under ${floor} s after are not judged)`);
}
