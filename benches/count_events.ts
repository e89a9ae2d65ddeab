// Reads a trace file with the streaming Reader, counts its events and
// prints the count and this process's peak RSS, for the memory
// benchmark: `deno run --allow-read benches/count_events.ts FILE`.
import process from "node:process";
import { Reader } from "../mod.ts";

const path = Deno.args[0];
if (!path) {
  console.error("usage: count_events.ts FILE");
  Deno.exit(2);
}
let n = 0;
for await (const _ of await Reader.open(path)) n++;
// maxRSS is the process's peak resident set size, in kilobytes.
console.log(JSON.stringify({ events: n, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
