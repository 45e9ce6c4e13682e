#!/bin/sh
# CI for the {{name}} buildpack (written by `bpkit init`; run it on your machine too):
#   1. bpkit validate    the manifest, every problem at once
#   2. bpkit package     a cached zip (dependencies inside), as `cf create-buildpack` takes it
#   3. bpkit stage       fixtures/app with that zip, as Cloud Foundry stages an app
#   4. bpkit run --check the droplet started as the platform starts it, until `/` answers
#
#   ./ci.sh          offline (`bpkit package --offline`): when fixtures/deps/dependencies.yml
#                    exists, the zip is made from a copy of manifest.yml whose `dependencies:`
#                    are the small stand-ins in fixtures/deps (see README.md, "Fixtures")
#   ./ci.sh --real   the manifest's own dependencies: downloaded once into the packager's cache
#                    (BPKIT_CACHE_DIR, default ~/.buildpack-packager/cache), or from a mirror
#                    (BPKIT_MIRRORS) on an air-gapped site; the zip it makes is the release zip
#
# bpkit comes from $BPKIT, else `bpkit` on PATH, else bin/bpkit when it has a binary to run
# (BPKIT_BINARY, or a released one named in bin/bpkit.lock); without any, ci.sh stops with one
# line saying what to set (README.md, "Where bpkit comes from"). Outputs go to .ci-out/offline
# or .ci-out/real. POSIX sh.
set -eu
# A relative $BPKIT means relative to where ci.sh was started, not to this folder.
case ${BPKIT:-} in
'' | /*) ;;
*/*) BPKIT=$(pwd)/$BPKIT ;;
esac
# CDPATH='': an exported CDPATH would take `sh my-bp/ci.sh` to another my-bp (and print it).
CDPATH='' cd -- "$(dirname -- "$0")"
root=$(pwd)

mode=offline
case ${1:-} in
--real) mode=real ;;
'') ;;
*)
	echo "usage: ./ci.sh [--real]" >&2
	exit 2
	;;
esac

if [ -n "${BPKIT:-}" ]; then
	bpkit=$BPKIT
elif command -v bpkit >/dev/null 2>&1; then
	bpkit=bpkit
elif [ -n "${BPKIT_BINARY:-}" ] || grep -q '^sha256 ' bin/bpkit.lock 2>/dev/null; then
	bpkit=$root/bin/bpkit
else
	# bin/bpkit could only try to download a release the lock does not name: say so at once.
	echo "ci.sh: error: no bpkit: BPKIT is not set, bpkit is not on PATH, and bin/bpkit.lock names no released bpkit binary to download; set BPKIT=/path/to/bpkit or install bpkit (README.md, \"Where bpkit comes from\")" >&2
	exit 1
fi

step() { printf -- '-----> ci: %s\n' "$*" >&2; }
detail() { printf -- '       %s\n' "$*" >&2; }

out=$root/.ci-out/$mode
rm -rf "$out"
mkdir -p "$out"

step "bpkit validate"
"$bpkit" validate "$root"

set -- --cached --output-dir "$out"
standins=
if [ "$mode" = offline ] && [ -f fixtures/deps/dependencies.yml ]; then
	standins="dependencies: the stand-ins of fixtures/deps/dependencies.yml, not manifest.yml's (./ci.sh --real uses those); a version the fixture app asks for must be listed there too"
	# manifest.yml without its top-level `dependencies:` block (a block ends at the next line
	# that starts a top-level key), then the stand-ins' block.
	awk '/^[^[:space:]#-]/ { skip = ($1 == "dependencies:") } !skip' manifest.yml >"$out/manifest.yml"
	cat fixtures/deps/dependencies.yml >>"$out/manifest.yml"
	# The folder as a file:// URL: percent-encoded, so a `,` (which separates mirror rules), a
	# `#` or `?` (which end a URL's path) or a `%` in its path reaches bpkit as it is.
	deps=$(printf '%s\n' "$root/fixtures/deps/" | sed 's/%/%25/g; s/ /%20/g; s/#/%23/g; s/?/%3F/g; s/,/%2C/g; s/=/%3D/g')
	BPKIT_MIRRORS="https://stand-ins.invalid/=file://$deps${BPKIT_MIRRORS:+,$BPKIT_MIRRORS}"
	BPKIT_CACHE_DIR=$out/cache
	export BPKIT_MIRRORS BPKIT_CACHE_DIR
	set -- "$@" --manifest "$out/manifest.yml"
fi
# Offline means offline: a dependency with no stand-in fails here, not with a download.
[ "$mode" = real ] || set -- "$@" --offline
step "bpkit package $*"
# Said before packaging: a version the app asks for that only the real list has fails at
# staging, and the log must say which list the zip was made from.
[ -z "$standins" ] || detail "$standins"
if [ "$mode" = real ]; then
	zip=$("$bpkit" package "$root" "$@")
else
	# bpkit's narration is shown as it comes and kept in $log, so that a hint below follows
	# only the failure it is about; its exit status goes to $status. Both beside the output
	# folder, not in it: `bpkit package` warns of any file there but its zip.
	log=$out.package.log
	status=$out.package.status
	rm -f "$log" "$status"
	zip=$({ { "$bpkit" package "$root" "$@" 2>&1 >&3 3>&- || echo $? >"$status"; } | tee "$log" >&2; } 3>&1)
	if [ -f "$status" ]; then
		# bpkit names the copy it read; the fix belongs in the files the copy is made from.
		if [ -n "$standins" ] && grep -qF "$out/manifest.yml" "$log"; then
			echo "ci.sh: error: $out/manifest.yml is a copy ci.sh makes of manifest.yml with the dependencies of fixtures/deps/dependencies.yml: fix those two files, not the copy (a dependency that install: names needs a stand-in there too)" >&2
		fi
		# bpkit's "run again without --offline" means `./ci.sh --real` here, which ci.sh's
		# user would not guess.
		if [ -z "$standins" ] && grep -q 'is not in the cache and --offline forbids' "$log"; then
			echo "ci.sh: error: ./ci.sh packages offline, so a dependency with no file:// URI must be in the packager's cache (BPKIT_CACHE_DIR, default ~/.buildpack-packager/cache); run ./ci.sh --real once to fill it, or list small stand-ins in fixtures/deps/dependencies.yml (README.md, \"Fixtures\")" >&2
		fi
		exit "$(cat "$status")"
	fi
fi

step "bpkit stage fixtures/app -b $zip"
droplet=$("$bpkit" stage fixtures/app -b "$zip" --out "$out/stage")

step "bpkit run $droplet --check /"
"$bpkit" run "$droplet" --port 0 --check /

step "passed ($mode): $zip"
