#!/bin/sh
# One repetition of the gemm or vector_ops benchmark: our driver once per pass, each at its thread
# count and between marker lines that _gemm.py reads; the end marker carries the pass's exit status.
# Usage: gemm_job.sh BINARY MIN_MS PASS...
#   PASS: one argument, "<label> <threads> <driver arguments>", e.g.
#         "t1 1 gemm dgemm,sgemm 2048,4096"   "all 2 vector dram 8388608"
set -u
if [ "$#" -lt 3 ]; then
    echo "usage: $0 BINARY MIN_MS PASS..." >&2
    exit 2
fi
bin=$1 ms=$2
shift 2
status=0
run_pass() {
    label=$1 threads=$2
    shift 2
    echo "=== instancebench gemm pass threads=$label count=$threads mode=$1"
    # Every BLAS's own thread variable: the pass's count, whatever the environment said.
    OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads BLIS_NUM_THREADS=$threads "$bin" "$@" "$ms" 2>&1
    rc=$?
    echo "=== instancebench gemm pass end rc=$rc"
    return "$rc"
}
for pass in "$@"; do
    # The pass is our own words and numbers (checked by the role): split on spaces on purpose.
    # shellcheck disable=SC2086
    run_pass $pass || status=1
done
exit $status
