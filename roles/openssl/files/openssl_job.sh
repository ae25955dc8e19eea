#!/bin/sh
# instancebench openssl job: one repetition = `openssl version -a`, then one `openssl speed`
# pass per process count, each printed between marker lines so the analyzer reads one stdout.
#
# Usage: openssl_job.sh OPENSSL SECONDS BYTES PASSES ALGORITHM...
#   OPENSSL    path of the openssl binary
#   SECONDS    openssl speed -seconds (for each algorithm and operation)
#   BYTES      openssl speed -bytes: the one block size for ciphers and digests
#   PASSES     comma-separated LABEL:PROCESSES pairs, e.g. 1:1,all:2 (1 process runs without
#              -multi; more run with -multi N)
#   ALGORITHM  openssl speed algorithm names; evp:NAME becomes -evp NAME (at most one: openssl
#              speed takes one -evp)
#
# Always -elapsed: openssl speed divides by user CPU time unless told otherwise, while its
# -multi children always use wall-clock time; -elapsed makes both passes wall-clock rates.
# Always -mr: machine-readable +R/+F lines. openssl writes +R lines to stderr and +F lines to
# stdout; 2>&1 keeps both inside the pass. Words are split on blanks and never globbed (set -f):
# the role allows only letters, digits, '-', '_' and ':' in them. A pass that fails sets the exit
# status to 1 and the remaining passes still run.
set -u
set -f
if [ "$#" -lt 5 ]; then
    echo "usage: $0 OPENSSL SECONDS BYTES PASSES ALGORITHM..." >&2
    exit 2
fi
binary=$1
seconds=$2
bytes=$3
passes=$(printf '%s' "$4" | tr ',' ' ')
shift 4
# openssl speed stops reading options at the first algorithm name: -evp goes first.
options=""
algorithms=""
for arg in "$@"; do
    case $arg in
        evp:*) options="$options -evp ${arg#evp:}" ;;
        *) algorithms="$algorithms $arg" ;;
    esac
done
status=0
echo "=== instancebench openssl version"
"$binary" version -a 2>&1 || status=1
echo "=== instancebench openssl version end"
for pass in $passes; do
    label=${pass%%:*}
    processes=${pass#*:}
    multi=""
    if [ "$processes" -gt 1 ]; then
        multi="-multi $processes"
    fi
    echo "=== instancebench openssl pass label=$label processes=$processes seconds=$seconds bytes=$bytes"
    # shellcheck disable=SC2086 # $multi, $options and $algorithms are word lists on purpose
    "$binary" speed -elapsed -mr -seconds "$seconds" -bytes "$bytes" $multi $options $algorithms 2>&1
    rc=$?
    echo "=== instancebench openssl pass end rc=$rc"
    [ "$rc" -eq 0 ] || status=1
done
exit "$status"
