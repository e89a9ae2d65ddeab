/**
 * Renders the README's picture: the goroutine timeline of
 * testdata/demo.trace around its first stolen syscall, as SVG
 * (docs/timeline.svg) and PNG (docs/timeline.png, through Debian's
 * rsvg-convert from librsvg2-bin).
 *
 * Usage: `deno run --allow-read --allow-write --allow-run docs/make_timeline.ts`
 *
 * @module
 */

import { openTrace } from "../mod.ts";

const here = (name: string) => new URL(name, import.meta.url).pathname;
const trace = await openTrace(here("../testdata/demo.trace"), "testdata/demo.trace");
const first = trace.steals().items[0];
const svg = trace.timeline({
  from: first.syscall.start - 150,
  to: (first.syscall.end ?? trace.end) + 300,
  title: "testdata/demo.trace: G10's accept4 loses P0 to M4 (red mark), then waits for a P",
}).toSvg();
Deno.writeTextFileSync(here("timeline.svg"), svg + "\n");
// `deno fmt` formats SVG too; keep the committed file as it would leave it.
const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", here("timeline.svg")] })
  .output();
if (!fmt.success) throw new Error(`deno fmt failed: ${new TextDecoder().decode(fmt.stderr)}`);
const r = await new Deno.Command("rsvg-convert", {
  args: ["--zoom", "2", here("timeline.svg"), "-o", here("timeline.png")],
}).output();
if (!r.success) throw new Error(`rsvg-convert failed: ${new TextDecoder().decode(r.stderr)}`);
console.log("wrote docs/timeline.svg and docs/timeline.png");
