// The core runs in a browser (issue #17 item 5): mod.ts bundled with
// `deno bundle --platform browser` loads in headless Chromium and reads corpus
// traces with the event counts of Go's reference reader — a go1.25 trace from
// bytes with Reader.fromBytes, and a gzipped go1.21 (old-format) trace from an
// http URL with Reader.open (fetch, DecompressionStream, the legacy converter)
// — while opening a path fails as a TraceError `io`, not a ReferenceError.
// Skipped, loudly, without Chromium (Debian's `chromium`, installed by .ci/run).
import assert from "node:assert/strict";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { gunzipText, gzip } from "../helpers/gzip.ts";

const PLAIN = "real/go1.25/stress";
const GZIPPED = "real/go1.21/fmt-pprof";

function findChromium(): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
      try {
        if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
      } catch { /* not here */ }
    }
  }
  return null;
}

// The reference's event count: each event's text starts a line with "M=".
async function expectedCount(name: string): Promise<number> {
  const text = await gunzipText(`${CORPUS_DIR}/${name}.expect.gz`);
  assert.ok(!text.includes("\nERROR: "), `${name} reads to the end`);
  return text.split("\n").filter((l) => l.startsWith("M=")).length;
}

const PAGE = `<!doctype html>
<html><body><pre id="out">pending</pre>
<script type="module">
import { Reader, TraceError } from "./gotrace.js";
const out = document.getElementById("out");
try {
  const bytes = new Uint8Array(await (await fetch("plain.trace")).arrayBuffer());
  const r = Reader.fromBytes(bytes);
  let plain = 0;
  while (r.readEvent() !== null) plain++;
  let gzipped = 0;
  await (await Reader.open(new URL("old.trace.gz", location.href))).forEach(() => gzipped++);
  let path = "none";
  try {
    await Reader.open("/no/such.trace");
  } catch (e) {
    path = e instanceof TraceError ? e.code : String(e);
  }
  out.textContent = "plain=" + plain + " gzipped=" + gzipped + " path=" + path;
} catch (e) {
  out.textContent = "failed: " + e;
}
</script></body></html>`;

Deno.test("browser: the bundle reads corpus traces in headless Chromium", async (t) => {
  const chromium = findChromium();
  if (chromium === null) {
    console.warn(
      "\n*** WARNING: chromium not found on PATH; the browser test is SKIPPED.\n" +
        "*** apt-get install chromium (as .ci/run does) to run it.\n",
    );
    return;
  }
  if (!corpusAvailable()) return;

  const dir = await Deno.makeTempDir({ prefix: "gotrace-browser-" });
  try {
    const bundle = `${dir}/gotrace.js`;
    const built = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--platform", "browser", "-o", bundle, "mod.ts"],
      cwd: new URL("../..", import.meta.url),
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(built.success, `deno bundle failed:\n${new TextDecoder().decode(built.stderr)}`);
    const js = await Deno.readFile(bundle);
    // Nothing in the core may need Deno's or Node's APIs at load time.
    assert.doesNotMatch(new TextDecoder().decode(js), /^import .* from "node:/m);

    const files: Record<string, [string, Uint8Array]> = {
      "/": ["text/html", new TextEncoder().encode(PAGE)],
      "/gotrace.js": ["text/javascript", js],
      "/plain.trace": [
        "application/octet-stream",
        await Deno.readFile(`${CORPUS_DIR}/${PLAIN}.trace`),
      ],
      "/old.trace.gz": [
        "application/octet-stream",
        await gzip(await Deno.readFile(`${CORPUS_DIR}/${GZIPPED}.trace`)),
      ],
    };
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
      const f = files[new URL(req.url).pathname];
      if (!f) return new Response("not found", { status: 404 });
      return new Response(f[1] as Uint8Array<ArrayBuffer>, { headers: { "content-type": f[0] } });
    });
    try {
      // Virtual time can run out before a fetch from this (busy) process
      // is answered: the page then still says "pending"; try again then.
      let run: Deno.CommandOutput;
      let dom = "";
      let got: string | undefined;
      for (let attempt = 0; attempt < 3; attempt++) {
        run = await new Deno.Command(chromium, {
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            `--user-data-dir=${dir}/profile`,
            // Virtual time runs the module script (and its fetches) before the dump.
            "--virtual-time-budget=30000",
            "--dump-dom",
            `http://127.0.0.1:${server.addr.port}/`,
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        dom = new TextDecoder().decode(run.stdout);
        got = dom.match(/<pre id="out">([^<]*)<\/pre>/)?.[1];
        if (got !== "pending") break;
        console.warn(`*** browser test: the page was still pending (attempt ${attempt + 1})`);
      }
      await t.step("the page ran", () => {
        assert.ok(
          got !== undefined && got !== "pending",
          `no result in the DOM (exit ${run!.code}):\n${dom}\n${
            new TextDecoder().decode(run!.stderr).slice(-2000)
          }`,
        );
      });
      const want = `plain=${await expectedCount(PLAIN)} gzipped=${await expectedCount(
        GZIPPED,
      )} path=io`;
      assert.equal(got, want);
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
