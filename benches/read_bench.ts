// Reading the large perf trace from memory: ordered events (the Reader) and
// decode only (wire events without ordering). Go's reader: 1.39 s for
// 8,608,560 events (6.2 M events/s) on this class of machine.
import { Reader, scanWireEvents } from "../mod.ts";

const PATH = new URL("../../shared/corpus/perf/pingpong-1s.go1.25.trace.gz", import.meta.url);

async function load(): Promise<Uint8Array | null> {
  try {
    const file = await Deno.open(PATH);
    const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    console.warn(
      `*** SKIPPED read benchmarks: ${PATH.pathname} unreadable: ${(e as Error).message}`,
    );
    return null;
  }
}

const bytes = await load();

function readAll(b: Uint8Array): number {
  const r = Reader.fromBytes(b);
  let n = 0;
  while (r.readEvent() !== null) n++;
  return n;
}

function decodeOnly(b: Uint8Array): number {
  return scanWireEvents(b).events;
}

if (bytes) {
  const mb = bytes.length / 1e6;
  // A one-off measurement with the figures the issue asks for (after the
  // first pass has warmed the JIT up).
  for (const [name, fn] of [["read (ordered)", readAll], ["decode only", decodeOnly]] as const) {
    fn(bytes);
    const t0 = performance.now();
    const n = fn(bytes);
    const s = (performance.now() - t0) / 1000;
    console.log(
      `${name}: ${n} events in ${s.toFixed(3)} s = ${(n / s / 1e6).toFixed(2)} M events/s, ${
        (mb / s).toFixed(1)
      } MB/s (Go's reader: 6.2 M events/s)`,
    );
  }
  Deno.bench("read perf trace: ordered events (Reader)", { group: "read" }, () => {
    readAll(bytes);
  });
  Deno.bench("read perf trace: decode only (no ordering)", { group: "read" }, () => {
    decodeOnly(bytes);
  });
}
