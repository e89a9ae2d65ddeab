#!/usr/bin/env bash
# Builds every program under testdata/programs/ and runs it with tracing on,
# writing OUTDIR/<name>.trace and OUTDIR/go-version. Go is $GO, else Debian's
# golang-1.19-go (/usr/lib/go-1.19/bin/go: it writes the old trace format),
# else `go` on PATH. Usage: build.sh OUTDIR
set -euo pipefail

out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
go=${GO:-/usr/lib/go-1.19/bin/go}
if [ ! -x "$go" ]; then go=$(command -v go || true); fi
if [ -z "$go" ] || [ ! -x "$go" ]; then
  echo "build.sh: no Go toolchain (set GO, or apt-get install golang-1.19-go)" >&2
  exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Offline (the programs use only the standard library); without a home
# directory, the build cache goes under OUTDIR.
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
if [ -z "${HOME:-}" ] || [ ! -w "${HOME:-/nonexistent}" ]; then
  export GOCACHE=${GOCACHE:-$out/.gocache} GOPATH=${GOPATH:-$out/.gopath}
fi
"$go" version | tee "$out/go-version"
cd "$here"
for dir in */; do
  name=${dir%/}
  [ -f "$name/main.go" ] || continue
  "$go" build -o "$out/$name" "./$name"
  TRACE_OUT="$out/$name.trace" "$out/$name"
  echo "$name: $(wc -c < "$out/$name.trace") bytes"
done
