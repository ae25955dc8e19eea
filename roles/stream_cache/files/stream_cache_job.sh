#!/bin/sh
# One repetition of the stream_cache benchmark: the program once per pass (thread count), each
# between marker lines that _stream_cache.py reads; the end marker carries the pass's exit status.
# Usage: stream_cache_job.sh BINARY MIN_MS PASS...
#   PASS: <label>:<threads>:<level>=<elements>,<level>=<elements>,... e.g. t1:1:l1=672,l2=21824,dram=16777216
# Threads are pinned one per logical CPU (OMP_PLACES=threads, OMP_PROC_BIND=spread) unless the
# environment already says otherwise: the per-core levels then hold one thread's arrays each.
set -u
if [ "$#" -lt 3 ]; then
    echo "usage: $0 BINARY MIN_MS PASS..." >&2
    exit 2
fi
bin=$1 ms=$2
shift 2
: "${OMP_PLACES:=threads}" "${OMP_PROC_BIND:=spread}"
export OMP_PLACES OMP_PROC_BIND
status=0
for pass in "$@"; do
    label=${pass%%:*}
    rest=${pass#*:}
    threads=${rest%%:*}
    levels=$(echo "${rest#*:}" | tr ',' ' ')
    echo "=== instancebench stream_cache pass label=$label threads=$threads"
    # shellcheck disable=SC2086  # one argument per level
    "$bin" "$threads" "$ms" $levels 2>&1
    rc=$?
    echo "=== instancebench stream_cache pass end rc=$rc"
    [ "$rc" -eq 0 ] || status=1
done
exit $status
