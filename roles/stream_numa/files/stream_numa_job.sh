#!/bin/sh
# One repetition of the stream_numa benchmark: STREAM once per (cpu node, memory node) pair, bound
# by numactl, each between marker lines that _stream_numa.py reads; the end marker carries the
# pass's exit status.
# Usage: stream_numa_job.sh STREAM NUMACTL PASS...
#   PASS: <cpu node>:<memory node>:<threads>, e.g. 0:0:48 0:1:48 1:0:48 1:1:48
set -u
if [ "$#" -lt 3 ]; then
    echo "usage: $0 STREAM NUMACTL PASS..." >&2
    exit 2
fi
bin=$1 numactl=$2
shift 2
status=0
for pass in "$@"; do
    cpu=${pass%%:*}
    rest=${pass#*:}
    mem=${rest%%:*}
    threads=${rest#*:}
    echo "=== instancebench stream_numa pass cpu_node=$cpu mem_node=$mem threads=$threads"
    # The pass's own thread count: one OpenMP thread per physical core of the CPU node.
    OMP_NUM_THREADS=$threads "$numactl" --cpunodebind="$cpu" --membind="$mem" "$bin" 2>&1
    rc=$?
    echo "=== instancebench stream_numa pass end rc=$rc"
    [ "$rc" -eq 0 ] || status=1
done
exit $status
