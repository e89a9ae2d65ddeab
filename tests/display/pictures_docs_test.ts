import assert from "node:assert/strict";
import { checkSvg } from "./svg_check.ts";

const DIR = new URL("../../docs/pictures/", import.meta.url);
const NAMES = [
  "histogram-sched-latency",
  "histogram-block-reasons",
  "flame-cpu",
  "flame-blocked",
  "runtime-plot",
  "heatmap-procs",
];

Deno.test("docs: one of each picture is committed, well-formed, and shown in the README", () => {
  const readme = Deno.readTextFileSync(new URL("../../README.md", import.meta.url));
  for (const name of NAMES) {
    const shape = checkSvg(Deno.readTextFileSync(new URL(`${name}.svg`, DIR)));
    const png = Deno.readFileSync(new URL(`${name}.png`, DIR));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], `${name}.png is a PNG`);
    assert.ok(readme.includes(`](docs/pictures/${name}.png)`), `README shows ${name}`);
    const want = name.startsWith("histogram")
      ? "bar"
      : name.startsWith("flame")
      ? "frame"
      : name === "heatmap-procs"
      ? "cell"
      : "gc";
    assert.ok((shape.classes[want] ?? 0) > 0, `${name} has ${want} elements`);
  }
});
