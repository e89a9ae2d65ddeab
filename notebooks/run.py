#!/usr/bin/python3
"""Executes the notebooks with the Deno kernel and writes them with outputs.

Usage: /usr/bin/python3 notebooks/run.py [--out DIR] [--timeout SECONDS] [--deno PATH] [NOTEBOOK ...]

Without NOTEBOOK arguments every notebooks/*.ipynb runs. Executed copies go to
DIR (default: a fresh temporary directory, printed at the end); the committed
notebooks are never rewritten. Exits 1 as soon as a cell raises, printing the
cell and the error; 0 when every notebook ran clean.

Why not `jupyter nbconvert --execute`: the Deno kernel sometimes publishes a
cell's output a few milliseconds *after* its `idle` status, and nbclient stops
reading IOPub at `idle`, so the output is silently lost (about one run in two
for an 18-cell notebook). This runner keeps reading IOPub for a short grace
period after `idle` and keeps whatever still belongs to the cell.

Needs Debian's python3-nbclient, python3-ipykernel and jupyter-client (hence
/usr/bin/python3). With --deno, the kernel is that deno binary, through a
kernel spec of this run's own (so a `deno jupyter --install` made from another
checkout cannot send the notebooks to a deno that no longer exists); without
it, the kernel registered with `deno jupyter --install`.
"""

import argparse
import glob
import json
import os
import queue
import sys
import tempfile

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async

# How long to keep listening after `idle` for late outputs of the same cell.
GRACE_SECONDS = 0.15


class PatientClient(NotebookClient):
    """A NotebookClient that also keeps outputs arriving just after `idle`."""

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        idle = False
        while True:
            try:
                # Before idle: wait as long as it takes. After: only the grace period.
                msg = await ensure_async(
                    self.kc.iopub_channel.get_msg(timeout=GRACE_SECONDS if idle else None)
                )
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                idle = True


def run(path, out_dir, timeout):
    nb = nbformat.read(path, as_version=4)
    client = PatientClient(
        nb,
        timeout=timeout,
        kernel_name="deno",
        allow_errors=False,
        # Relative paths in cells ("../testdata/...", "../mod.ts") start here.
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    client.execute()
    out = os.path.join(out_dir, os.path.basename(path))
    nbformat.write(nb, out)
    return out


def private_kernel(deno):
    """Registers `deno` as the "deno" kernel for this process only."""
    root = tempfile.mkdtemp(prefix="deno-kernel-")
    spec = os.path.join(root, "kernels", "deno")
    os.makedirs(spec)
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        argv = [os.path.abspath(deno), "jupyter", "--kernel", "--conn", "{connection_file}"]
        json.dump({"argv": argv, "display_name": "Deno", "language": "typescript"}, f)
    # JUPYTER_PATH comes before the user's and the system's kernel directories.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [root] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    )


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/*.ipynb)")
    ap.add_argument("--out", help="directory for the executed copies (default: a temp dir)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per cell (default 300)")
    ap.add_argument("--deno", help="deno binary to run the kernel with (default: the registered kernel)")
    args = ap.parse_args()
    if args.deno:
        private_kernel(args.deno)
    paths = args.notebooks or sorted(glob.glob(os.path.join(here, "*.ipynb")))
    if not paths:
        print("run.py: no notebooks found", file=sys.stderr)
        return 2
    out_dir = args.out or tempfile.mkdtemp(prefix="notebooks-")
    os.makedirs(out_dir, exist_ok=True)
    failed = 0
    for path in paths:
        name = os.path.basename(path)
        try:
            run(path, out_dir, args.timeout)
            print(f"ok     {name}", flush=True)
        except CellExecutionError as e:
            failed += 1
            print(f"FAILED {name}\n{e}", flush=True)
        except Exception as e:  # a dead kernel, a timeout: still a failure of this notebook
            failed += 1
            print(f"FAILED {name}: {type(e).__name__}: {e}", flush=True)
    print(f"executed notebooks in {out_dir}: {len(paths) - failed} ok, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
