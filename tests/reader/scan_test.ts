/**
 * `Reader.scan` fills the engine's Event objects again instead of making
 * new ones: what each callback sees must be exactly forEach's event, and a
 * read after the scan hands out objects of its own again.
 */

import assert from "node:assert/strict";
import { Reader } from "../../src/reader/reader.ts";
import type { Event } from "../../src/events/event.ts";
import { CORPUS_DIR, corpusAvailable, eventFields } from "../helpers/corpus.ts";
import { TESTDATA, testdataTraces } from "../helpers/read.ts";

function files(): string[] {
  const out = testdataTraces().map((n) => decodeURIComponent(new URL(n, TESTDATA).pathname));
  if (corpusAvailable()) {
    for (const v of ["go1.22", "go1.25"]) {
      for (const e of Deno.readDirSync(`${CORPUS_DIR}/real/${v}`)) {
        if (e.name.endsWith(".trace")) out.push(`${CORPUS_DIR}/real/${v}/${e.name}`);
      }
    }
  }
  return out;
}

Deno.test("scan: every event as forEach gives it, in objects used again", async () => {
  let reused = 0;
  for (const file of files()) {
    const want: string[] = [];
    let wantError = "";
    // Text too for the smaller traces (stacks make it slow); numbers for all.
    const show = Deno.statSync(file).size < 300_000
      ? (ev: Event) => eventFields(ev) + ev.toString()
      : eventFields;
    try {
      await (await Reader.open(file)).forEach((ev) => want.push(show(ev)));
    } catch (e) {
      wantError = String(e);
    }
    const got: string[] = [];
    let gotError = "";
    const seen = new Set<Event>();
    try {
      await (await Reader.open(file)).scan((ev) => {
        if (seen.has(ev)) reused++;
        seen.add(ev);
        got.push(show(ev));
      });
    } catch (e) {
      gotError = String(e);
    }
    assert.equal(got.length, want.length, file);
    for (let i = 0; i < got.length; i++) assert.equal(got[i], want[i], `${file}: event ${i}`);
    assert.equal(gotError, wantError, file);
  }
  assert.ok(reused > 1000, `only ${reused} events came in a reused object`);
});

Deno.test("scan: a read after a scan hands out objects of its own", async () => {
  const r = Reader.fromBytes(Deno.readFileSync(new URL("demo.trace", TESTDATA)));
  let n = 0;
  // Stop the scan partway (the rest stays queued or unread).
  await r.scan((ev) => {
    if (++n === 50) throw ev;
  }).catch(() => {});
  const after: Event[] = [];
  for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) after.push(ev);
  assert.equal(new Set(after).size, after.length, "every event its own object");
  const whole: Event[] = [];
  await (await Reader.open(new URL("demo.trace", TESTDATA))).forEach((ev) => whole.push(ev));
  assert.ok(whole.length > 100);
  assert.deepEqual(after.map(String), whole.slice(50).map(String));
});
