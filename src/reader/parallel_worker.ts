/**
 * The worker of {@link ParallelReader}: orders a run of consecutive
 * generations with the ordering engine and posts each one's events as typed
 * arrays with the state it leaves. The first run starts from a fresh state;
 * a later one from the state its first generation announces (see
 * `announcedState`), which the main thread compares with the true one
 * before trusting what follows.
 *
 * @module
 */

import { GenerationSplitter } from "../wire/generation.ts";
import { Engine, NEED_MORE } from "../order/engine.ts";
import { orderingFromSnapshot, snapshotOrdering } from "../order/snapshot.ts";
import { announcedState } from "../order/announced.ts";
import type { GenTables } from "../wire/tables.ts";
import { fromWorker } from "../wire/worker_bytes.ts";
import { EV_SYNC } from "../events/kinds.ts";
import { blockTransfers, EventPacker } from "./packed.ts";
import { PACKED, PackingOrdering } from "./packing_order.ts";
import type { ToMain, WorkerJob } from "./parallel_protocol.ts";

const port = globalThis as unknown as {
  onmessage: ((e: MessageEvent<WorkerJob>) => void) | null;
  postMessage(m: ToMain, transfer?: Transferable[]): void;
};

port.onmessage = (e) => run(e.data);

function run(job: WorkerJob): void {
  const splitter = new GenerationSplitter(job.version, job.start);
  splitter.push(fromWorker(job));
  if (job.finish) splitter.finish();
  // The placed events go straight to the packer, as numbers.
  const order = new PackingOrdering(job.version);
  const engine = new Engine(job.version, splitter, order);
  let index = job.first - 1; // span index of the generation being ordered
  let open = false;
  let packer: EventPacker | null = null;
  let tables: GenTables | null = null;
  const seen = new Set<number>();
  let extrasPosted = 0; // of the generation's tables' extra strings
  const credit = new Int32Array(job.credit);
  // Posts the full blocks (streaming) with the strings made since the last
  // post, once the main thread has taken enough of the earlier ones.
  const stream = () => {
    while (Atomics.sub(credit, 0, 1) <= 0) {
      Atomics.add(credit, 0, 1);
      Atomics.wait(credit, 0, 0);
    }
    const events = packer!.takeFull();
    const extras = tables!.extraStrings.slice(extrasPosted);
    extrasPosted += extras.length;
    port.postMessage(
      { kind: "blocks", index, events, extras },
      blockTransfers(events),
    );
  };
  const t0 = performance.now();
  let tGen = t0;
  const close = () => {
    if (!open) return;
    open = false;
    const state = snapshotOrdering(order);
    const now = performance.now();
    const ms = now - tGen;
    tGen = now;
    const events = packer!.finish();
    port.postMessage(
      {
        kind: "gen",
        index,
        events,
        refs: packer!.refs,
        extras: tables!.extraStrings.slice(extrasPosted),
        state,
        ms,
      },
      blockTransfers(events),
    );
  };
  try {
    for (;;) {
      const ev = engine.next();
      if (ev === PACKED) {
        if (packer?.hasFull) stream();
        continue;
      }
      if (ev === NEED_MORE || ev === null) {
        close();
        port.postMessage({ kind: "end", clean: ev === null });
        return;
      }
      if (ev.type === EV_SYNC) {
        close();
        // A Sync without tables closes the trace (or comes before an error).
        if (ev.tables === null) continue;
        index++;
        open = true;
        tables = ev.tables;
        if (job.warm && index === job.first && engine.gen !== null) {
          // Nothing of the generation is ordered yet: the state before it,
          // as it announces it, is where this run starts from.
          const t = performance.now();
          const state = announcedState(engine.gen, job.initialGen);
          orderingFromSnapshot(job.version, state, order.lastTime, order);
          port.postMessage({ kind: "warm", index: index - 1, state, ms: performance.now() - t });
          tGen = performance.now();
        }
        packer = new EventPacker(seen, job.block, job.pool);
        extrasPosted = 0;
        order.packer = packer;
      }
      // A Sync or a CPU sample, made by the engine itself.
      packer?.add(ev);
    }
  } catch (e) {
    // The main thread orders this generation itself and gets the error there.
    port.postMessage({ kind: "fail", index: open ? index : index + 1, why: String(e) });
  }
}
