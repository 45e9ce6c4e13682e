#!/usr/bin/env bash
# Every benchmark of quality.md ("Performance"), each figure a ratio against a baseline measured
# in the same run: builds the release binary and the bench examples once, then runs
#   benches/package.sh  cached packaging, warm (vs. a stored zip written by Python; also zip -0,
#                       cat, and deflating everything as the Go packager does) and cold
#                       (vs. the warm run; downloads vs. parallel curl), peak memory at 100 MB
#   benches/memory.sh   peak memory with 1 GB of dependencies, stored and deflated (vs. 10 MB)
#   benches/detect.sh   bin/detect latency (vs. a one-line shell script and /bin/true)
#   benches/extract.sh  extraction of a ~75 MB tarball (vs. tar -xzf)
# and reports the release binary's size. It prints the machine, the date and the load average
# before and after each part: the figures in the README say under which load they were taken.
#
# Usage: benches/run.sh                 (all of them)
#        benches/run.sh package detect  (some of them)
# Needs: cargo, python3, curl (the network baseline), tar, unzip; about 3.5 GB of free disk
# under ${TMPDIR:-/tmp}.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
(cd "$repo" && cargo build --quiet --release --offline \
  --bin bpkit --example serve --example extract)
export BPKIT=$CARGO_TARGET_DIR/release/bpkit
export BPKIT_SERVE=$CARGO_TARGET_DIR/release/examples/serve
export BPKIT_EXTRACT=$CARGO_TARGET_DIR/release/examples/extract

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)"
echo "bpkit $("$BPKIT" --version | cut -d' ' -f2-), release build"
size=$(stat -c %s "$BPKIT")
echo "release binary: $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s / 1048576 }'), stripped: $(file -b "$BPKIT" 2>/dev/null | grep -o 'stripped\|not stripped' || echo '?'))"
# What each packaged zip carries: the binary deflated (gzip -6 is the zip writer's level).
deflated=$(gzip -6 -c "$BPKIT" | wc -c)
echo "in a zip, deflated: $deflated bytes, $(awk -v d="$deflated" -v s="$size" 'BEGIN { printf "%.2f", d / s }') of the binary"

parts=("$@")
[[ ${#parts[@]} -gt 0 ]] || parts=(package memory detect extract)
for part in "${parts[@]}"; do
  echo
  echo "== benches/$part.sh (load average before: $(load))"
  "$repo/benches/$part.sh"
  echo "(load average after: $(load))"
done
