#!/usr/bin/env bash
# Extraction speed: bpkit::archive::extract against `tar -xzf` on the same ~75 MB tarball
# (quality.md, "Performance": within 1.3x of tar). Both are timed in this run, best of $RUNS
# (default 3), each into a fresh folder; the tarball is read from the page cache by both.
#
# Usage: benches/extract.sh            (builds examples/extract in release mode)
#        BPKIT_EXTRACT=/path/to/extract benches/extract.sh
#        BENCH_DIR=/some/dir benches/extract.sh   (keep the data; default: a temporary folder)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}

# shellcheck source=benches/common.sh
source "$repo/benches/common.sh"
bench_count RUNS "$runs"

if [[ -z ${BPKIT_EXTRACT:-} ]]; then
  (cd "$repo" && cargo build --quiet --release --offline --example extract)
  BPKIT_EXTRACT=${CARGO_TARGET_DIR:-$repo/target}/release/examples/extract
fi
bench_work

tarball=$work/bench.tgz
if [[ ! -f $tarball ]]; then
  echo "creating the tarball in $work ..." >&2
  src=$work/src/bench-1.0
  rm -rf "$work/src"
  mkdir -p "$src"
  # Compressible text (numbers) and incompressible bytes, cut into files of mixed sizes in
  # nested folders: 6,144 small files, 256 medium ones, 3 large ones and a link, about 75 MB.
  { seq 1 20000000 || true; } | head -c 60M >"$work/text"
  head -c 60M /dev/urandom >"$work/random"
  for part in a b c d; do
    mkdir -p "$src/lib/small/$part/deep" "$src/share/medium/$part"
    head -c 4M "$work/text" | split -b 4k -a 3 - "$src/lib/small/$part/t"
    head -c 2M "$work/random" | split -b 4k -a 3 - "$src/lib/small/$part/deep/r"
    tail -c 8M "$work/text" | split -b 256k -a 2 - "$src/share/medium/$part/t"
    tail -c 4M "$work/random" | split -b 128k -a 2 - "$src/share/medium/$part/r"
  done
  mkdir -p "$src/bin"
  head -c 20M "$work/random" >"$src/bin/large-random"
  head -c 20M "$work/text" >"$src/bin/large-text"
  head -c 8M "$work/random" >"$src/bin/tool"
  chmod 755 "$src/bin/tool"
  ln -s tool "$src/bin/tool-link"
  rm -f "$work/text" "$work/random"
  tar -czf "$tarball" -C "$work/src" .
  rm -rf "$work/src"
fi

now() { date +%s%N; }

run_tar() { tar -xzf "$tarball" -C "$1"; }
run_bpkit() { "$BPKIT_EXTRACT" "$tarball" "$1" 2>/dev/null; }

# Runs alternate (tar, bpkit, tar, ...) so that drift in the machine's state hits both alike.
# Every run extracts into a folder of its own, and the folders are removed only at the end:
# ext4 skips recently deleted inodes when it allocates new ones, scanning for them, which
# makes creating files right after an `rm -rf` of as many files several times slower.
tar_ms="" bpkit_ms=""
outs=${BENCH_OUT:-$work/outs}  # BENCH_OUT=/dev/shm/x: extract to tmpfs, without the disk
rm -rf "$outs"
for run in $(seq "$runs"); do
  for tool in tar bpkit; do
    out=$outs/$tool-$run
    mkdir -p "$out"
    sync
    start=$(now)
    "run_$tool" "$out" || { echo "$tool failed" >&2; exit 1; }
    end=$(now)
    ms=$(((end - start) / 1000000))
    if [[ $tool == tar ]]; then
      if [[ -z $tar_ms || $ms -lt $tar_ms ]]; then tar_ms=$ms; fi
    else
      if [[ -z $bpkit_ms || $ms -lt $bpkit_ms ]]; then bpkit_ms=$ms; fi
    fi
  done
done
if ! diff -r "$outs/tar-1" "$outs/bpkit-1" >/dev/null; then
  echo "bpkit extracted something else than tar" >&2
  exit 1
fi
rm -rf "$outs"

files=$(tar -tzf "$tarball" | wc -l)
size=$(gzip -l "$tarball" | awk 'NR == 2 { printf "%.0f MB unpacked, %.0f MB compressed", $2 / 1e6, $1 / 1e6 }')
echo "tarball: $files entries, $size"

echo "tar -xzf:              ${tar_ms} ms (best of $runs)"
echo "bpkit archive extract: ${bpkit_ms} ms (best of $runs)"
awk -v b="$bpkit_ms" -v t="$tar_ms" 'BEGIN { printf "ratio bpkit / tar:     %.2f (target: at most 1.30)\n", b / t }'
