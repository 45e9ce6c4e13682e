#!/usr/bin/env bash
# Detect latency (quality.md, "Performance": a few milliseconds per call, beside a one-line
# shell detect script). bin/detect runs for every buildpack in the platform's list on every
# push, so this times whole processes, as the platform starts them: `bin/detect BUILD_DIR`
# through a symlink to the release binary, with this repository's own manifest.yml (the Ruby
# buildpack, ~8 KB of YAML), against `#!/bin/sh` + `[ -f "$1/Gemfile" ] && echo ruby`. Both are
# timed in this run, interleaved, $CALLS calls each (default 500, any count from 1), on an app
# that matches and one that does not, plus a manifest whose rule needs a `**` glob and a
# `contains` regex, and /bin/true as the floor (the cost of starting any process from this shell).
#
# Usage: benches/detect.sh                 (builds the release binary first)
#        BPKIT=/path/to/bpkit benches/detect.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
calls=${CALLS:-500}

# shellcheck source=benches/common.sh
source "$repo/benches/common.sh"
bench_count CALLS "$calls"
# Calls are timed in rounds of up to 50 per case; fewer calls make one shorter round.
batch=$((calls < 50 ? calls : 50))
rounds=$((calls / batch))
bench_build_bpkit
BPKIT=$(realpath "$BPKIT") # bin/detect links to it from elsewhere

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The bpkit buildpack, as the platform sees it.
mkdir -p "$work/ruby-bp/bin" "$work/glob-bp/bin" "$work/sh-bp/bin"
cp "$repo/manifest.yml" "$repo/VERSION" "$work/ruby-bp/"
ln -s "$BPKIT" "$work/ruby-bp/bin/detect"
# A manifest whose rule walks the app: any *.csproj at any depth that mentions Microsoft.NET.
cp "$repo/VERSION" "$work/glob-bp/"
printf 'language: dotnet-core\ndetect:\n  any_of:\n  - file: "**/*.csproj"\n    contains: Microsoft\\.NET\n' >"$work/glob-bp/manifest.yml"
ln -s "$BPKIT" "$work/glob-bp/bin/detect"
# The one-line shell script it replaces ($1 is for the script, not for this shell).
# shellcheck disable=SC2016
printf '#!/bin/sh\n[ -f "$1/Gemfile" ] && echo ruby\n' >"$work/sh-bp/bin/detect"
chmod +x "$work/sh-bp/bin/detect"

mkdir -p "$work/ruby-app" "$work/other-app" "$work/dotnet-app"
printf "source 'https://rubygems.org'\ngem 'rack'\n" >"$work/ruby-app/Gemfile"
for d in a b c d e; do
  mkdir -p "$work/other-app/src/$d" "$work/dotnet-app/src/$d/lib"
  for f in 1 2 3 4 5 6 7 8; do
    echo "x" >"$work/other-app/src/$d/file$f.txt"
    echo "x" >"$work/dotnet-app/src/$d/lib/file$f.cs"
  done
done
printf '<Project Sdk="Microsoft.NET.Sdk"/>\n' >"$work/dotnet-app/src/e/lib/App.csproj"

# Each detect must give its answer before it is timed: a detect that fails at once would
# otherwise look fast.
expect() {
  local detect=$1 app=$2 code=$3 out=$4 got rc=0
  got=$("$detect" "$app" 2>/dev/null) || rc=$?
  if [[ $rc != "$code" || $got != "$out" ]]; then
    echo "$detect $app: exit $rc, printed '$got'; expected exit $code, '$out'" >&2
    exit 1
  fi
}
expect "$work/ruby-bp/bin/detect" "$work/ruby-app" 0 "Ruby"
expect "$work/ruby-bp/bin/detect" "$work/other-app" 1 ""
expect "$work/sh-bp/bin/detect" "$work/ruby-app" 0 "ruby"
expect "$work/sh-bp/bin/detect" "$work/other-app" 1 ""
expect "$work/glob-bp/bin/detect" "$work/dotnet-app" 0 "dotnet-core"

now() { date +%s%N; }

# mean milliseconds per call of "$@" (output discarded, exit status checked above)
declare -A total
time_calls() {
  local name=$1 detect=$2 app=$3 start end
  start=$(now)
  for ((i = 0; i < batch; i++)); do "$detect" "$app" >/dev/null 2>&1 || true; done
  end=$(now)
  total[$name]=$((${total[$name]:-0} + end - start))
}

# Warm the page cache, then alternate in rounds of $batch so drift hits every case alike.
for b in ruby glob sh; do "$work/$b-bp/bin/detect" "$work/ruby-app" >/dev/null 2>&1 || true; done
for ((round = 0; round < rounds; round++)); do
  time_calls "bpkit, match" "$work/ruby-bp/bin/detect" "$work/ruby-app"
  time_calls "sh, match" "$work/sh-bp/bin/detect" "$work/ruby-app"
  time_calls "bpkit, no match" "$work/ruby-bp/bin/detect" "$work/other-app"
  time_calls "sh, no match" "$work/sh-bp/bin/detect" "$work/other-app"
  time_calls "bpkit, ** glob + contains" "$work/glob-bp/bin/detect" "$work/dotnet-app"
  time_calls "/bin/true (process floor)" /bin/true "$work/ruby-app"
done

n=$((rounds * batch))
ms() { awk -v t="$1" -v n="$n" 'BEGIN { printf "%.2f", t / n / 1000000 }'; }
echo "detect latency, mean of $n calls each (binary: $(du -h "$BPKIT" | cut -f1))"
printf '%-28s %8s\n' "case" "ms/call"
for name in "bpkit, match" "sh, match" "bpkit, no match" "sh, no match" "bpkit, ** glob + contains" \
  "/bin/true (process floor)"; do
  printf '%-28s %8s\n' "$name" "$(ms "${total[$name]}")"
done
awk -v b="${total[bpkit, match]}" -v s="${total[sh, match]}" \
  'BEGIN { printf "bpkit / sh (match): %.2fx\n", b / s }'
