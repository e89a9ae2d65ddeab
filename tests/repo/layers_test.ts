// One-way layers (issue #17): no two folders of src/ may import each other.
// Every static, re-export and dynamic import of every file under src/ counts,
// type-only ones too (they tie the layers together as much); imports in
// comments (the JSDoc examples) do not.
import assert from "node:assert/strict";

const SRC = new URL("../../src/", import.meta.url);

// Circles the code has today, each as "a <-> b" with a < b. To be removed by
// issue #17 item 3: the test fails when one of them is gone, so that the list
// shrinks as they are fixed, and on any circle not listed here.
const KNOWN_CIRCLES: readonly string[] = [];

/** The files under a directory of src/, as paths relative to src/. */
function* tsFiles(dir: URL, prefix = ""): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    if (e.isDirectory) yield* tsFiles(new URL(`${e.name}/`, dir), `${prefix}${e.name}/`);
    else if (e.name.endsWith(".ts")) yield `${prefix}${e.name}`;
  }
}

/** The folder of src/ a path relative to src/ is in, or null for src/'s own files. */
function folderOf(rel: string): string | null {
  const i = rel.indexOf("/");
  return i < 0 ? null : rel.slice(0, i);
}

/** Folder-to-folder imports under src/, each "from -> to" with the first file that makes it. */
function folderImports(): Map<string, string> {
  const edges = new Map<string, string>();
  for (const rel of tsFiles(SRC)) {
    const from = folderOf(rel);
    if (from === null) continue;
    const fileUrl = new URL(rel, SRC);
    for (const line of Deno.readTextFileSync(fileUrl).split("\n")) {
      if (/^\s*(\*|\/\/|\/\*)/.test(line)) continue;
      for (const m of line.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"(\.\.?\/[^"]+)"/g)) {
        const target = new URL(m[1], fileUrl).href;
        if (!target.startsWith(SRC.href)) continue;
        const to = folderOf(target.slice(SRC.href.length));
        if (to !== null && to !== from && !edges.has(`${from} -> ${to}`)) {
          edges.set(`${from} -> ${to}`, rel);
        }
      }
    }
  }
  return edges;
}

Deno.test("layers: no two folders of src/ import each other (but the known circles)", () => {
  const edges = folderImports();
  const circles: string[] = [];
  const why: string[] = [];
  for (const [edge, file] of edges) {
    const [a, b] = edge.split(" -> ");
    const back = edges.get(`${b} -> ${a}`);
    if (back === undefined || a > b) continue;
    circles.push(`${a} <-> ${b}`);
    why.push(`${a} <-> ${b}: ${file} imports ${b}/, ${back} imports ${a}/`);
  }
  circles.sort();
  const added = circles.filter((c) => !KNOWN_CIRCLES.includes(c));
  const gone = KNOWN_CIRCLES.filter((c) => !circles.includes(c));
  assert.deepEqual(
    added,
    [],
    "new circles between folders of src/ (make the dependency one-way):\n" +
      why.filter((w) => added.some((c) => w.startsWith(`${c}:`))).join("\n"),
  );
  assert.deepEqual(
    gone,
    [],
    "circles fixed: remove them from KNOWN_CIRCLES in tests/repo/layers_test.ts",
  );
});

Deno.test("layers: the import scan sees the imports it must", () => {
  // A scan that finds nothing would pass forever: whatever the layout, the
  // wire layer is imported by the layers above it, and they import each other.
  const edges = [...folderImports().keys()];
  assert.ok(edges.filter((e) => e.endsWith(" -> wire")).length >= 2, edges.join(", "));
  assert.ok(edges.length >= 10, edges.join(", "));
});
