# shellcheck shell=bash
# The variables below are the sourcing script's: it sets $repo, and reads what these set.
# shellcheck disable=SC2034,SC2154
# Shared by the bench scripts, which source it (it is not run by itself): building what they
# time, their work folder, the local download server and the peak memory of one packaging.
# Every function reads and sets the scripts' own variables: $repo (the checkout) before any
# call, then $work, $server, $port, $BPKIT and $BPKIT_SERVE as each says.

# bench_count NAME VALUE: stop the bench (exit 2) unless VALUE, the setting NAME (CALLS, RUNS),
# is a whole number of at least 1: zero rounds would time nothing and then fail on the empty
# totals.
bench_count() {
  if ! [[ $2 =~ ^[0-9]+$ ]] || (($2 < 1)); then
    echo "$(basename "$0"): $1 must be a whole number, at least 1 (got '$2')" >&2
    exit 2
  fi
}

# bench_build_bpkit: $BPKIT, the release binary built now unless the caller gave one.
bench_build_bpkit() {
  if [[ -z ${BPKIT:-} ]]; then
    (cd "$repo" && cargo build --quiet --release --offline --bin bpkit)
    BPKIT=${CARGO_TARGET_DIR:-$repo/target}/release/bpkit
  fi
}

# bench_build_serve: $BPKIT_SERVE, examples/serve built now in release mode unless the caller
# gave one.
bench_build_serve() {
  if [[ -z ${BPKIT_SERVE:-} ]]; then
    (cd "$repo" && cargo build --quiet --release --offline --example serve)
    BPKIT_SERVE=${CARGO_TARGET_DIR:-$repo/target}/release/examples/serve
  fi
}

# bench_work: $work, the folder BENCH_DIR names (kept, so that a later run reuses its data) or
# else a new temporary folder, removed on exit; the server bench_serve starts is stopped then.
bench_work() {
  if [[ -n ${BENCH_DIR:-} ]]; then
    work=$BENCH_DIR
    mkdir -p "$work"
  else
    work=$(mktemp -d)
  fi
  server=""
  trap bench_cleanup EXIT
}

bench_cleanup() {
  [[ -z $server ]] || kill "$server" 2>/dev/null || true
  [[ -n ${BENCH_DIR:-} ]] || rm -rf "$work"
}

# bench_serve DIR: examples/serve serving DIR on 127.0.0.1 in the background; $server is its
# pid and $port its port (which it writes to $work/port once it listens).
bench_serve() {
  "$BPKIT_SERVE" "$1" >"$work/port" &
  server=$!
  for _ in $(seq 100); do [[ -s $work/port ]] && break; sleep 0.05; done
  port=$(cat "$work/port")
}

# bench_peak_rss BUILDPACK CACHE OUT: the peak resident set size (getrusage's ru_maxrss), in MB,
# of one `bpkit -q package BUILDPACK --cached --stack cflinuxfs4 --output-dir OUT` with its
# cache in CACHE.
bench_peak_rss() {
  python3 - "$BPKIT" "$1" "$2" "$3" <<'PY'
import os, resource, subprocess, sys
bpkit, bp, cache, out = sys.argv[1:]
env = dict(os.environ, BPKIT_CACHE_DIR=cache)
subprocess.run([bpkit, "-q", "package", bp, "--cached", "--stack", "cflinuxfs4", "--output-dir", out],
               env=env, check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
}
