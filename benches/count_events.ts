// Reads a trace file with the streaming Reader, counts its events and
// prints the count and the largest resident set size seen while reading,
// for the memory benchmark: `deno run --allow-read benches/count_events.ts FILE`.
// (The kernel's peak RSS would include the parent's: it survives exec.)
import { Reader } from "../mod.ts";

const path = Deno.args[0];
if (!path) {
  console.error("usage: count_events.ts FILE");
  Deno.exit(2);
}
let n = 0;
let peak = Deno.memoryUsage().rss;
for await (const _ of await Reader.open(path)) {
  if (++n % 50_000 === 0) peak = Math.max(peak, Deno.memoryUsage().rss);
}
peak = Math.max(peak, Deno.memoryUsage().rss);
console.log(JSON.stringify({ events: n, peakRssMB: peak / 2 ** 20 }));
