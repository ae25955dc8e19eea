#!/bin/sh
# One repetition of the latency benchmark: the pointer chase once per pass (pattern,pages), each
# between marker lines that _latency.py reads; the end marker carries the pass's exit status.
# Usage: latency_job.sh BINARY MIN_BYTES MAX_BYTES STEPS_PER_DOUBLING MIN_MS PASS...
#   PASS: <pattern>,<pages>, e.g. random,4k random,thp sequential,4k stride:256,4k
set -u
if [ "$#" -lt 6 ]; then
    echo "usage: $0 BINARY MIN_BYTES MAX_BYTES STEPS_PER_DOUBLING MIN_MS PASS..." >&2
    exit 2
fi
bin=$1 min=$2 max=$3 steps=$4 ms=$5
shift 5
status=0
for pass in "$@"; do
    pattern=${pass%,*}
    pages=${pass#*,}
    echo "=== instancebench latency pass pattern=$pattern pages=$pages"
    "$bin" "$min" "$max" "$steps" "$pattern" "$pages" "$ms" 2>&1
    rc=$?
    echo "=== instancebench latency pass end rc=$rc"
    [ "$rc" -eq 0 ] || status=1
done
exit $status
