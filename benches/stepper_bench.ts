// Stepping costs no more than twice the Reader's time per event when no
// state is inspected. Both read the same real trace from memory.
import { Reader, Stepper } from "../mod.ts";

const PATH = new URL("../../shared/corpus/perf/pingpong-1s.go1.25.trace.gz", import.meta.url);

async function load(): Promise<Uint8Array | null> {
  try {
    const file = await Deno.open(PATH);
    const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    console.warn(`*** SKIPPED stepper benchmark: ${PATH.pathname}: ${(e as Error).message}`);
    return null;
  }
}

const bytes = await load();

if (bytes) {
  Deno.bench("step through perf trace: Reader.readEvent", { group: "step", baseline: true }, () => {
    const r = Reader.fromBytes(bytes);
    while (r.readEvent() !== null);
  });
  Deno.bench("step through perf trace: Stepper.step(1) per event", { group: "step" }, () => {
    const s = Stepper.fromBytes(bytes);
    while (s.step().length === 1);
  });
  Deno.bench("step through perf trace: Stepper.step(10000)", { group: "step" }, () => {
    const s = Stepper.fromBytes(bytes);
    while (s.step(10000).length > 0);
  });
}
