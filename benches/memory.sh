#!/usr/bin/env bash
# Peak memory of packaging with 1 GB of dependencies (quality.md, "Performance": it does not
# grow with dependency size, and stays under 64 MB). A buildpack with 10 dependencies of 100 MB
# (incompressible) is packaged cached, from a cold cache (downloads from examples/serve on
# 127.0.0.1) and again from the warm cache; the peak resident set size of each run (getrusage's
# ru_maxrss) is printed beside the same figure with 10 x 1 MB of dependencies, the baseline
# measured in this run: the two should be about equal. A third buildpack has 1 GB of
# compressible dependencies (`.tar` files of base64 text), which the zip writer deflates, on
# worker threads ahead of the writer (their buffers are capped) or inline for large files, so
# the deflating paths are measured too; a fourth has no dependencies but 1,000 text files of
# 1 MB of its own, each deflated ahead on a worker thread. Needs about 6 GB of free disk in the
# work folder (the files, the cache and the zip).
#
# Usage: benches/memory.sh            (builds bpkit and examples/serve in release mode)
#        BPKIT=/path/to/bpkit BPKIT_SERVE=/path/to/serve benches/memory.sh
#        BENCH_DIR=/some/dir benches/memory.sh   (keep the data; default: a temporary folder)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=benches/common.sh
source "$repo/benches/common.sh"
bench_build_bpkit
bench_build_serve
command -v python3 >/dev/null || { echo "python3 is needed to read ru_maxrss" >&2; exit 1; }

bench_work
bench_serve "$work"

# make_buildpack NAME SIZE_MB [text]: a buildpack with 10 dependencies of SIZE_MB MB, served as
# NAME-N.tgz (random bytes, stored in the zip) or, with `text`, NAME-N.tar (base64 text, which
# deflates to about three quarters).
make_buildpack() {
  local name=$1 mb=$2 kind=${3:-random} bp=$work/$1-bp
  [[ -f $bp/manifest.yml ]] && return
  mkdir -p "$bp/bin"
  printf -- '---\nlanguage: %s\ninclude_files: [bin, manifest.yml, VERSION]\ndependencies:\n' "$name" >"$bp/manifest.yml"
  for n in $(seq 10); do
    local file=$name-$n.tgz
    if [[ $kind == text ]]; then
      file=$name-$n.tar
      # base64 writes a little more than the cut keeps: its SIGPIPE is expected.
      { head -c "$((mb * 3 / 4))M" /dev/urandom | base64 -w 76 | head -c "${mb}M" >"$work/$file"; } || true
    else
      head -c "${mb}M" /dev/urandom >"$work/$file"
    fi
    printf -- '- name: %s%s\n  version: 1.0.0\n  uri: http://127.0.0.1:PORT/%s\n  sha256: %s\n  cf_stacks: [cflinuxfs4]\n' \
      "$name" "$n" "$file" "$(sha256sum "$work/$file" | cut -d' ' -f1)" >>"$bp/manifest.yml"
  done
  # The phases a zip needs (a zip without them is warned about), as stand-ins.
  for phase in detect compile release; do printf '#!/bin/sh\n' >"$bp/bin/$phase"; done
  echo 1.0.0 >"$bp/VERSION"
}
# make_files_buildpack: a buildpack whose own lib/ holds 1,000 text files of 1 MB, each small
# enough to be deflated ahead on a worker thread (the zip writer's prepared path, whose
# buffers are capped), with no dependencies.
make_files_buildpack() {
  local bp=$work/many-bp
  [[ -f $bp/manifest.yml ]] && return
  mkdir -p "$bp/bin" "$bp/lib"
  printf -- '---\nlanguage: many\ninclude_files: [bin, manifest.yml, VERSION, lib]\ndependencies: []\n' >"$bp/manifest.yml"
  { head -c 750M /dev/urandom | base64 -w 76 | head -c 1000M >"$work/many.txt"; } || true
  split -b 1M -a 4 "$work/many.txt" "$bp/lib/part-"
  rm -f "$work/many.txt"
  # The phases a zip needs (a zip without them is warned about), as stand-ins.
  for phase in detect compile release; do printf '#!/bin/sh\n' >"$bp/bin/$phase"; done
  echo 1.0.0 >"$bp/VERSION"
}
echo "creating 10 x 1 MB, 10 x 100 MB and 10 x 100 MB of text dependencies, and 1,000 x 1 MB of text files in $work ..." >&2
make_buildpack small 1
make_buildpack large 100
make_buildpack text 100 text
make_files_buildpack
sed -i "s|127.0.0.1:[A-Z0-9]*/|127.0.0.1:$port/|" "$work"/{small,large,text}-bp/manifest.yml

# peak NAME: max RSS in MB of one `bpkit package --cached` of NAME's buildpack with its cache.
peak() { bench_peak_rss "$work/$1-bp" "$work/$1-cache" "$work/out"; }

declare -A rss
for name in small large text many; do
  rm -rf "$work/$name-cache" "$work/out"
  rss[$name-cold]=$(peak "$name")
  rm -rf "$work/out"
  rss[$name-warm]=$(peak "$name")
  zip_mb=$(($(stat -c %s "$work/out/${name}_buildpack-cached-cflinuxfs4-v1.0.0.zip") / 1000000))
  echo "$name: zip of $zip_mb MB" >&2
  rm -rf "$work/$name-cache" "$work/out"
done

printf '%-40s %8s %8s\n' "peak memory (max RSS), MB" "cold" "warm"
printf '%-40s %8s %8s\n' "10 x 1 MB of dependencies (baseline)" "${rss[small-cold]}" "${rss[small-warm]}"
printf '%-40s %8s %8s  (target: under 64)\n' "10 x 100 MB = 1 GB of dependencies" "${rss[large-cold]}" "${rss[large-warm]}"
printf '%-40s %8s %8s  (target: under 64)\n' "1 GB of text, deflated into the zip" "${rss[text-cold]}" "${rss[text-warm]}"
printf '%-40s %8s %8s  (target: under 64)\n' "1,000 x 1 MB text files, deflated ahead" "${rss[many-cold]}" "${rss[many-warm]}"
