// The notebooks, executed with the Deno kernel, produce the rich outputs
// they promise: a cell tagged "expect-html" shows HTML, one tagged
// "expect-svg" shows an SVG picture, every code cell ran and printed
// something, and none raised. The committed notebooks carry no outputs.
//
// CI executes them once (.ci/run, with notebooks/run.py) and points
// NOTEBOOKS_EXECUTED at the directory of executed copies. Without it, this
// test executes them itself when Jupyter and the Deno kernel are installed,
// and is skipped with a warning when they are not.
import assert from "node:assert/strict";

const NOTEBOOKS = new URL("../../notebooks/", import.meta.url).pathname;

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
  text?: string | string[];
}
interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  metadata: { tags?: string[] };
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name: string } };
}

const names = [...Deno.readDirSync(NOTEBOOKS)].map((e) => e.name)
  .filter((n) => n.endsWith(".ipynb")).sort();

const read = (path: string): Notebook => JSON.parse(Deno.readTextFileSync(path));
const text = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join("") : s ?? "");

async function canRun(): Promise<string | null> {
  try {
    const py = await new Deno.Command("/usr/bin/python3", {
      args: ["-c", "import nbclient, nbformat, ipykernel"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!py.success) return "python3-nbclient / python3-ipykernel are not installed";
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The directory of executed notebooks: CI's, or a fresh run; null to skip. */
async function executed(): Promise<string | null> {
  const dir = Deno.env.get("NOTEBOOKS_EXECUTED");
  if (dir) return dir;
  const why = await canRun();
  if (why) {
    console.warn(`\n*** WARNING: notebooks not executed: ${why}. Skipping their output checks.\n`);
    return null;
  }
  const out = await Deno.makeTempDir({ prefix: "notebooks-" });
  const run = await new Deno.Command("/usr/bin/python3", {
    // The kernel is the deno running these tests, whatever is registered.
    args: [`${NOTEBOOKS}run.py`, "--out", out, "--deno", Deno.execPath()],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const log = new TextDecoder().decode(run.stdout);
  assert.ok(run.success, `notebooks/run.py failed:\n${log}`);
  return out;
}

Deno.test("notebooks: six walkthroughs, on the Deno kernel, committed without outputs", () => {
  assert.deepEqual(names, [
    "01-quickstart.ipynb",
    "02-syscalls-and-steals.ipynb",
    "03-goroutine-analysis.ipynb",
    "04-stepping-the-steal.ipynb",
    "05-gc-stw-mmu.ipynb",
    "06-sql.ipynb",
  ]);
  for (const name of names) {
    const nb = read(NOTEBOOKS + name);
    assert.equal(nb.metadata.kernelspec?.name, "deno", name);
    // Prose between the cells: a title first, and markdown throughout.
    assert.equal(nb.cells[0].cell_type, "markdown", name);
    assert.match(text(nb.cells[0].source), /^# /, name);
    const md = nb.cells.filter((c) => c.cell_type === "markdown").length;
    const code = nb.cells.filter((c) => c.cell_type === "code").length;
    assert.ok(md >= code / 2, `${name}: ${md} prose cells for ${code} code cells`);
    // Real data: the committed testdata traces (and the corpus, when present).
    assert.match(nb.cells.map((c) => text(c.source)).join("\n"), /"\.\.\/testdata\/[\w-]+\.trace"/);
    for (const c of nb.cells) {
      if (c.cell_type !== "code") continue;
      assert.deepEqual(c.outputs, [], `${name}: committed with outputs`);
      assert.equal(c.execution_count, null, name);
    }
    const tagged = nb.cells.filter((c) =>
      (c.metadata.tags ?? []).some((t) => t === "expect-html" || t === "expect-svg")
    );
    assert.ok(tagged.length > 0, `${name} promises no rich output`);
  }
});

Deno.test("notebooks: every cell runs and shows what it promises (HTML tables, SVG timelines)", async () => {
  const dir = await executed();
  if (!dir) return;
  for (const name of names) {
    const nb = read(`${dir}/${name}`);
    const committed = read(NOTEBOOKS + name);
    assert.equal(nb.cells.length, committed.cells.length, name);
    let html = 0, svg = 0;
    for (const c of nb.cells) {
      if (c.cell_type !== "code") continue;
      const where = `${name} cell ${c.id}`;
      const outs = c.outputs ?? [];
      assert.ok(typeof c.execution_count === "number", `${where} did not run`);
      assert.ok(outs.length > 0, `${where} has no output`);
      for (const o of outs) {
        assert.notEqual(o.output_type, "error", `${where}: ${o.ename}: ${o.evalue}`);
        if (o.data) assert.ok("text/plain" in o.data, `${where}: no text/plain fallback`);
      }
      const mimes = new Set(outs.flatMap((o) => Object.keys(o.data ?? {})));
      const tags = c.metadata.tags ?? [];
      if (tags.includes("expect-html")) {
        assert.ok(mimes.has("text/html"), `${where} promised HTML, got ${[...mimes]}`);
        const h = outs.map((o) => text(o.data?.["text/html"])).join("");
        assert.match(h, /<table|<div/, where);
        // The SQL notebook's results are tables (with their row count).
        if (name === "06-sql.ipynb") assert.match(h, /<table[^]*\d+ rows?</, where);
        html++;
      }
      if (tags.includes("expect-svg")) {
        assert.ok(mimes.has("image/svg+xml"), `${where} promised SVG, got ${[...mimes]}`);
        const s = outs.map((o) => text(o.data?.["image/svg+xml"])).join("");
        assert.match(s, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>$/, where);
        // And inline in HTML, which nbconvert's HTML export keeps (it empties SVG outputs).
        const inline = outs.map((o) => text(o.data?.["text/html"])).join("");
        assert.match(
          inline,
          /^<div[^>]*><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg><\/div>$/,
          where,
        );
        svg++;
      }
    }
    assert.ok(html + svg > 0, name);
  }
});
