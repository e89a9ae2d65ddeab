// Stepping costs no more than twice the Reader's time per event when no
// state is inspected. Both read the same real trace from memory.
import { Reader, Stepper } from "../mod.ts";
import { loadPerfTrace } from "./perf_trace.ts";

const bytes = await loadPerfTrace("stepper");

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
