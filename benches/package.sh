#!/usr/bin/env bash
# Cached packaging (quality.md, "Performance"): `bpkit package --cached` of a buildpack with 5
# dependencies of 20 MB of incompressible data each, every figure against a baseline measured in
# this run, interleaved, best of $RUNS (default 9: with 5, the cold ratio moved by ±0.1 between runs
# on a 2-core VM):
#
# - warm cache, against the floor: Python's zipfile reading the same 5 files and writing a
#   stored (not deflated) zip of them, fsynced as bpkit's zip is. Target: at most 1.5x the
#   floor. For context, a plain `cat` of the files into one file plus fsync (no zip format, no
#   checksum). bpkit's time is everything it does on a warm cache: reading and validating the
#   manifest, re-verifying each cached file's sha256, writing the zip to a temporary file,
#   fsync and rename.
# - cold cache: the cache emptied before each run, the files served on 127.0.0.1 by
#   examples/serve (sendfile, a thread per connection: the server costs next to nothing).
#   Target: at most 1.5x the warm run. Baseline for the network part: 5 parallel
#   `curl -o FILE` of the same files from the same server (no checksum, no zip). On a machine
#   with fewer than 4 cores, also with `--jobs` = its cores.
# - peak memory (max RSS) of a warm run. (benches/memory.sh does it with 1 GB.)
#
# Usage: benches/package.sh             (builds bpkit and examples/serve in release mode)
#        BPKIT=/path/to/bpkit BPKIT_SERVE=/path/to/serve benches/package.sh
#        BENCH_DIR=/some/dir benches/package.sh   (keep the data; default: a temporary folder)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-9}
target=${CARGO_TARGET_DIR:-$repo/target}

if [[ -z ${BPKIT:-} ]]; then
  (cd "$repo" && cargo build --quiet --release --offline --bin bpkit)
  BPKIT=$target/release/bpkit
fi
if [[ -z ${BPKIT_SERVE:-} ]]; then
  (cd "$repo" && cargo build --quiet --release --offline --example serve)
  BPKIT_SERVE=$target/release/examples/serve
fi
command -v python3 >/dev/null || { echo "python3 is needed for the floor" >&2; exit 1; }

if [[ -n ${BENCH_DIR:-} ]]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d)
fi
server=""
cleanup() {
  [[ -z $server ]] || kill "$server" 2>/dev/null || true
  [[ -n ${BENCH_DIR:-} ]] || rm -rf "$work"
}
trap cleanup EXIT

bp=$work/buildpack
cache=$work/cache
if [[ ! -f $bp/manifest.yml ]]; then
  echo "creating 5 x 20 MB dependencies in $work ..." >&2
  mkdir -p "$work/deps" "$bp/bin"
  {
    echo "---"
    echo "language: bench"
    echo "include_files: [bin/detect, bin/compile, bin/release, manifest.yml, VERSION]"
    echo "dependencies:"
  } >"$bp/manifest.yml"
  for n in 1 2 3 4 5; do
    dep=$work/deps/dep$n-1.0.0-linux-x64.tgz
    head -c 20M /dev/urandom >"$dep"
    sha=$(sha256sum "$dep" | cut -d' ' -f1)
    printf -- '- name: dep%s\n  version: 1.0.0\n  uri: file://%s\n  sha256: %s\n  cf_stacks: [cflinuxfs4]\n' \
      "$n" "$dep" "$sha" >>"$bp/manifest.yml"
  done
  for phase in detect compile release; do printf '#!/bin/sh\n' >"$bp/bin/$phase"; done
  echo "1.0.0" >"$bp/VERSION"
fi

# The same buildpack with its dependencies on the local server.
"$BPKIT_SERVE" "$work/deps" >"$work/port" &
server=$!
for _ in $(seq 100); do [[ -s $work/port ]] && break; sleep 0.05; done
port=$(cat "$work/port")
http_bp=$work/buildpack-http
rm -rf "$http_bp" && cp -r "$bp" "$http_bp"
sed -i "s|uri: file://$work/deps/|uri: http://127.0.0.1:$port/|" "$http_bp/manifest.yml"

out=$work/out
mkdir -p "$out"
warm() {
  BPKIT_CACHE_DIR=$cache "$BPKIT" -q package "$http_bp" --cached --stack cflinuxfs4 --output-dir "$out" >/dev/null
}
cold() {
  BPKIT_CACHE_DIR=$work/cold-cache "$BPKIT" -q package "$http_bp" --cached --stack cflinuxfs4 --output-dir "$out" >/dev/null
}
rm -rf "$cache" # its entries are named after URIs, whose port changes every run
warm # fills the cache
files=("$cache"/dependencies/*/*.tgz)

floor() {
  python3 - "$out/floor.zip" "${files[@]}" <<'PY'
import os, sys, zipfile
dest = sys.argv[1]
with zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as z:
    for path in sys.argv[2:]:
        z.write(path, "dependencies/" + os.path.basename(path))
    fp = z.fp
    fp.flush()
    os.fsync(fp.fileno())
PY
}
copy() {
  cat "${files[@]}" >"$out/copy"
  sync "$out/copy"
}
download() {
  mkdir -p "$work/curl"
  local pids=()
  for n in 1 2 3 4 5; do
    curl -sf -o "$work/curl/$n" "http://127.0.0.1:$port/dep$n-1.0.0-linux-x64.tgz" &
    pids+=($!)
  done
  wait "${pids[@]}" # not the server
}
# The same with as many downloads at once as the machine has cores (when that is fewer than
# the default 4): with the zip written while files download, fewer streams at once finish the
# first files sooner, which matters on a small machine where loopback TCP competes for CPU.
cores=$(nproc)
cold_cores() {
  BPKIT_CACHE_DIR=$work/cold-cache "$BPKIT" -q package "$http_bp" --cached --stack cflinuxfs4 \
    --output-dir "$out" --jobs "$cores" >/dev/null
}
tools=(copy floor warm cold)
((cores < 4)) && tools+=(cold_cores)
command -v curl >/dev/null && tools+=(download)

now() { date +%s%N; }
declare -A best
for _ in $(seq "$runs"); do
  for tool in "${tools[@]}"; do
    # Every tool starts from the same state, set up outside the timing: no output, an empty
    # cold cache, the inputs in the page cache and nothing left for the disk to write from the
    # tool before (whose writeback would otherwise slow this one's fsync).
    rm -rf "$out"/*.zip "$out/copy" "$work/cold-cache" "$work/curl"
    cat "${files[@]}" "$work"/deps/* >/dev/null
    sync
    start=$(now)
    "$tool"
    end=$(now)
    ms=$(((end - start) / 1000000))
    if [[ -z ${best[$tool]:-} || $ms -lt ${best[$tool]} ]]; then best[$tool]=$ms; fi
  done
done

# Peak resident memory of one warm run, in MB.
rss_mb=$(python3 - "$BPKIT" "$http_bp" "$cache" "$out" <<'PY'
import os, resource, subprocess, sys
bpkit, bp, cache, out = sys.argv[1:]
env = dict(os.environ, BPKIT_CACHE_DIR=cache)
subprocess.run([bpkit, "-q", "package", bp, "--cached", "--stack", "cflinuxfs4", "--output-dir", out],
               env=env, check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
)

zip=$out/bench_buildpack-cached-cflinuxfs4-v1.0.0.zip
"$BPKIT" -q verify "$zip" >/dev/null || { echo "bpkit verify failed on $zip" >&2; exit 1; }
size=$(stat -c %s "$zip")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "zip: $(unzip -Z1 "$zip" | wc -l) entries, $((size / 1000000)) MB; best of $runs runs each"
printf '%-52s %6s ms\n' "floor: python zipfile, stored, fsync" "${best[floor]}"
printf '%-52s %6s ms  %s of the floor (target: at most 1.50)\n' "bpkit package --cached, warm cache" \
  "${best[warm]}" "$(ratio "${best[warm]}" "${best[floor]}")"
printf '%-52s %6s ms  %s of the floor\n' "plain copy: cat + fsync, no zip" "${best[copy]}" \
  "$(ratio "${best[copy]}" "${best[floor]}")"
printf '%-52s %6s ms  %s of the warm run (target: at most 1.50)\n' \
  "bpkit package --cached, cold cache, 127.0.0.1" "${best[cold]}" "$(ratio "${best[cold]}" "${best[warm]}")"
if [[ -n ${best[cold_cores]:-} ]]; then
  printf '%-52s %6s ms  %s of the warm run\n' "the same, --jobs $cores (this machine's cores)" \
    "${best[cold_cores]}" "$(ratio "${best[cold_cores]}" "${best[warm]}")"
fi
if [[ -n ${best[download]:-} ]]; then
  printf '%-52s %6s ms  cold - warm = %s ms, %s of this\n' "network floor: 5 parallel curl -o, same server" \
    "${best[download]}" "$((best[cold] - best[warm]))" "$(ratio "$((best[cold] - best[warm]))" "${best[download]}")"
fi
echo "peak memory (max RSS) of a warm run: ${rss_mb} MB for 100 MB of dependencies"
