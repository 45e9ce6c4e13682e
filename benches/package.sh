#!/usr/bin/env bash
# Cached packaging with a warm cache (quality.md, "Performance"): `bpkit package --cached` of a
# buildpack with 5 dependencies of 20 MB of incompressible data each, against a floor measured
# in the same run: Python's zipfile reading the same 5 files and writing a stored (not
# deflated) zip of them, then fsync-ing it as bpkit does. Target: within 1.5x of the floor.
# (The Go packager deflates every byte again, single-threaded: about 70 MB/s.)
#
# Both are timed in this run, alternating, best of $RUNS (default 5); the dependency files are
# in the page cache for both. For context it also times a plain copy of the same bytes into one
# file with fsync (`cat` + `sync FILE`): no zip format, no checksum at all. bpkit's time includes everything it does on a warm cache: reading
# and validating the manifest, re-verifying each cached file's sha256, writing the zip to a
# temporary file, fsync and rename.
#
# It then measures a cold cache, the dependencies served by Python's http.server on 127.0.0.1
# (quality.md: within 1.5x of the warm figure), and bpkit's peak memory (resident set).
#
# Usage: benches/package.sh             (builds bpkit in release mode)
#        BPKIT=/path/to/bpkit benches/package.sh
#        BENCH_DIR=/some/dir benches/package.sh   (keep the data; default: a temporary folder)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}

if [[ -z ${BPKIT:-} ]]; then
  cargo build --quiet --release --offline --manifest-path "$repo/Cargo.toml"
  BPKIT=${CARGO_TARGET_DIR:-$repo/target}/release/bpkit
fi
command -v python3 >/dev/null || { echo "python3 is needed for the floor" >&2; exit 1; }

if [[ -n ${BENCH_DIR:-} ]]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

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

out=$work/out
mkdir -p "$out"
package() {
  BPKIT_CACHE_DIR=$cache "$BPKIT" -q package "$bp" --cached --stack cflinuxfs4 --output-dir "$out" >/dev/null
}
package # warm the cache (copies the file:// dependencies into it)
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

now() { date +%s%N; }
floor_ms="" bpkit_ms="" copy_ms=""
for run in $(seq "$runs"); do
  for tool in copy floor package; do
    rm -f "$out"/*.zip "$out/copy"
    cat "${files[@]}" >/dev/null # both read from the page cache
    start=$(now)
    "$tool"
    end=$(now)
    ms=$(((end - start) / 1000000))
    case $tool in
    floor) if [[ -z $floor_ms || $ms -lt $floor_ms ]]; then floor_ms=$ms; fi ;;
    package) if [[ -z $bpkit_ms || $ms -lt $bpkit_ms ]]; then bpkit_ms=$ms; fi ;;
    copy) if [[ -z $copy_ms || $ms -lt $copy_ms ]]; then copy_ms=$ms; fi ;;
    esac
  done
done

# Cold cache: the same dependencies over HTTP from 127.0.0.1, the cache emptied before each run.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 "$port" --directory "$work/deps" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; [[ -n ${BENCH_DIR:-} ]] || rm -rf "$work"' EXIT
http_bp=$work/buildpack-http
rm -rf "$http_bp" && cp -r "$bp" "$http_bp"
sed -i "s|uri: file://$work/deps/|uri: http://127.0.0.1:$port/|" "$http_bp/manifest.yml"
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done
cold_ms=""
for run in $(seq "$runs"); do
  rm -rf "$work/cold-cache" "$out"/*.zip
  start=$(now)
  BPKIT_CACHE_DIR=$work/cold-cache "$BPKIT" -q package "$http_bp" --cached --stack cflinuxfs4 --output-dir "$out" >/dev/null
  end=$(now)
  ms=$(((end - start) / 1000000))
  if [[ -z $cold_ms || $ms -lt $cold_ms ]]; then cold_ms=$ms; fi
done

# Peak resident memory of one warm run, in MB.
rss_mb=$(python3 - "$BPKIT" "$bp" "$cache" "$out" <<'PY'
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
echo "zip: $(unzip -Z1 "$zip" | wc -l) entries, $((size / 1000000)) MB ($((size)) bytes)"
echo "floor (python zipfile, stored, fsync): ${floor_ms} ms (best of $runs)"
echo "bpkit package --cached (warm cache):   ${bpkit_ms} ms (best of $runs)"
echo "plain copy (cat + fsync), no zip:      ${copy_ms} ms (best of $runs)"
awk -v b="$bpkit_ms" -v f="$floor_ms" 'BEGIN { printf "ratio bpkit / floor:                   %.2f (target: at most 1.50)\n", b / f }'
awk -v b="$bpkit_ms" -v c="$copy_ms" 'BEGIN { printf "ratio bpkit / plain copy:              %.2f\n", b / c }'
echo "cold cache, from 127.0.0.1 over HTTP:  ${cold_ms} ms (best of $runs)"
awk -v c="$cold_ms" -v w="$bpkit_ms" 'BEGIN { printf "ratio cold / warm:                     %.2f (target: at most 1.50)\n", c / w }'
echo "peak memory (max RSS) of a warm run:   ${rss_mb} MB for 100 MB of dependencies"
