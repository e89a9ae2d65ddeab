// Cost grows linearly with trace size, and memory stays bounded: the same
// kind of trace as the perf trace (ping-pong scheduling, 8.4 M events per
// "1x"), built at 1x, 2x and 4x by adding generations. Reports time per
// event at each size, then the peak RSS of a process that streams a 100 MB
// trace from a file and counts its events (target: under 200 MB).
import { Reader } from "../mod.ts";
import { pingPongTrace } from "./synthetic.ts";

const PER_GEN = 420_000;

function readAll(b: Uint8Array): number {
  const r = Reader.fromBytes(b);
  let n = 0;
  while (r.readEvent() !== null) n++;
  return n;
}

// All three sizes are measured in turns, best of three each, so that a
// slow spell of the machine does not land on one size only.
const sizes = [1, 2, 4].map((x) => ({
  x,
  bytes: pingPongTrace(20 * x, PER_GEN),
  best: Infinity,
  n: 0,
}));
for (const s of sizes) readAll(s.bytes); // warm up
for (let round = 0; round < 3; round++) {
  for (const s of sizes) {
    const t0 = performance.now();
    s.n = readAll(s.bytes);
    s.best = Math.min(s.best, performance.now() - t0);
  }
}
const perEvent: number[] = [];
for (const { x, bytes, best, n } of sizes) {
  const ns = best * 1e6 / n;
  perEvent.push(ns);
  console.log(
    `${x}x: ${(bytes.length / 1e6).toFixed(1)} MB, ${n} events, ${(best / 1000).toFixed(2)} s, ` +
      `${ns.toFixed(1)} ns/event, ${(n / best / 1e3).toFixed(2)} M events/s`,
  );
}
console.log(
  `per-event time at 4x vs 1x: ${((perEvent[2] / perEvent[0] - 1) * 100).toFixed(1)}% (limit +15%)`,
);

// Memory: a ~100 MB trace streamed from a file in a separate process.
const big = pingPongTrace(44, PER_GEN);
const file = await Deno.makeTempFile({ suffix: ".trace" });
await Deno.writeFile(file, big);
const out = await new Deno.Command(Deno.execPath(), {
  args: ["run", "--allow-read", new URL("./count_events.ts", import.meta.url).pathname, file],
  stdout: "piped",
}).output();
await Deno.remove(file);
const mem = JSON.parse(new TextDecoder().decode(out.stdout));
console.log(
  `memory: ${
    (big.length / 1e6).toFixed(0)
  } MB trace, ${mem.events} events, peak RSS (sampled while reading) ${
    mem.peakRssMB.toFixed(0)
  } MB (limit 200 MB)`,
);

const one = sizes[0].bytes;
Deno.bench("read synthetic ping-pong trace (1x, 8.4 M events)", { group: "scale" }, () => {
  readAll(one);
});
