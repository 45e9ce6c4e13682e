#!/usr/bin/env bash
# Cached packaging (quality.md, "Performance"): `bpkit package --cached` of a buildpack with 5
# dependencies of 20 MB of incompressible data each, every figure against a baseline measured in
# this run, interleaved, best of $RUNS (default 9: with 5, the cold ratio moved by ±0.1 between runs
# on a 2-core VM):
#
# - warm cache, against the floor: Python's zipfile reading the same 5 files and writing a
#   stored (not deflated) zip of them, fsynced as bpkit's zip is. Target: at most 1.5x the
#   floor. For context: Info-ZIP's `zip -0` doing the same in C (when `zip` is installed; slower
#   than zipfile here, its CRC-32 being older code); a plain `cat` of the files into one file
#   plus fsync (no zip format, no checksum); and what the Go packager does, deflating every
#   byte again on one thread (Python's zipfile with zlib at level 6, in C). bpkit's time is
#   everything it does on a warm cache: reading and validating the manifest, re-verifying each
#   cached file's sha256, writing the zip to a temporary file, fsync and rename.
# - cold cache: the cache emptied before each run, the files served on 127.0.0.1 by
#   examples/serve (a thread per connection, 1 MiB writes: the server costs little).
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
# shellcheck source=benches/common.sh
source "$repo/benches/common.sh"
bench_count RUNS "$runs"
bench_build_bpkit
bench_build_serve
command -v python3 >/dev/null || { echo "python3 is needed for the floor" >&2; exit 1; }

bench_work

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
bench_serve "$work/deps"
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

# A zip of the files by Python's zipfile, fsynced: stored ($1 = stored) or deflated at zlib's
# level 6 ($1 = deflated), one thread.
python_zip() {
  python3 - "$1" "$out/$1.zip" "${files[@]}" <<'PY'
import os, sys, zipfile
method = zipfile.ZIP_STORED if sys.argv[1] == "stored" else zipfile.ZIP_DEFLATED
with zipfile.ZipFile(sys.argv[2], "w", method, compresslevel=6) as z:
    for path in sys.argv[3:]:
        z.write(path, "dependencies/" + os.path.basename(path))
    fp = z.fp
    fp.flush()
    os.fsync(fp.fileno())
PY
}
floor() { python_zip stored; }
deflate_all() { python_zip deflated; }
info_zip() {
  zip -q -0 -j "$out/info.zip" "${files[@]}"
  sync "$out/info.zip"
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
tools=(copy floor warm cold deflate_all)
((cores < 4)) && tools+=(cold_cores)
command -v curl >/dev/null && tools+=(download)
command -v zip >/dev/null && tools+=(info_zip)

now() { date +%s%N; }
declare -A best all
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
    all[$tool]="${all[$tool]:-} $ms"
  done
done

# Peak resident memory of one warm run, in MB.
rss_mb=$(bench_peak_rss "$http_bp" "$cache" "$out")

zip=$out/bench_buildpack-cached-cflinuxfs4-v1.0.0.zip
"$BPKIT" -q verify "$zip" >/dev/null || { echo "bpkit verify failed on $zip" >&2; exit 1; }
size=$(stat -c %s "$zip")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { tr ' ' '\n' <<<"${all[$1]}" | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
declare -A med
for tool in "${tools[@]}"; do med[$tool]=$(median "$tool"); done
echo "zip: $(unzip -Z1 "$zip" | wc -l) entries, $((size / 1000000)) MB; $runs runs each: best (median)"
# name, tool, and what to compare it with: "floor", "warm" or nothing.
line() {
  local name=$1 tool=$2 against=${3:-} note=${4:-}
  [[ -n ${best[$tool]:-} ]] || return 0
  local text
  text=$(printf '%-52s %6s ms (%s)' "$name" "${best[$tool]}" "${med[$tool]}")
  if [[ -n $against ]]; then
    text+=$(printf '  %s (%s) of the %s%s' "$(ratio "${best[$tool]}" "${best[$against]}")" \
      "$(ratio "${med[$tool]}" "${med[$against]}")" "$against" "$note")
  fi
  echo "$text"
}
line "floor: python zipfile, stored, fsync" floor
line "bpkit package --cached, warm cache" warm floor " (target: at most 1.50)"
line "Info-ZIP zip -0, stored, fsync (the same, in C)" info_zip floor
line "plain copy: cat + fsync, no zip" copy floor
line "deflate every byte, one thread (as the Go packager)" deflate_all floor
line "bpkit package --cached, cold cache, 127.0.0.1" cold warm " (target: at most 1.50)"
line "the same, --jobs $cores (this machine's cores)" cold_cores warm
if [[ -n ${best[download]:-} ]]; then
  printf '%-52s %6s ms (%s)  cold - warm = %s ms, %s of this\n' "network floor: 5 parallel curl -o, same server" \
    "${best[download]}" "${med[download]}" "$((best[cold] - best[warm]))" \
    "$(ratio "$((best[cold] - best[warm]))" "${best[download]}")"
fi
echo "bpkit warm against the others: $(ratio "${best[warm]}" "${best[deflate_all]}") of deflate-everything$(
  [[ -n ${best[info_zip]:-} ]] && printf ', %s of Info-ZIP zip -0' "$(ratio "${best[warm]}" "${best[info_zip]}")")"
echo "peak memory (max RSS) of a warm run: ${rss_mb} MB for 100 MB of dependencies"
