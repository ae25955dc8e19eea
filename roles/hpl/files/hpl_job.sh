#!/bin/sh
# One repetition of the HPL job: xhpl under the role's MPI launch, bracketed (when a DGEMM is asked)
# by the gemm role's driver under the same launch — the same cores, ranks, threads and BLAS — once
# before and once after HPL, each rank timing DGEMM at once, its lines tagged with its rank
# (mpirun --tag-output) between markers that module_utils/_hpl.py reads. Two DGEMMs, so a neighbour's
# load that comes or goes during HPL is not taken for HPL beating its own BLAS (the faster one counts).
# The exit status is xhpl's, else the first failed DGEMM launch's.
# Usage: hpl_job.sh XHPL GEMM_JOB GEMM_BINARY THREADS N MIN_MS LAUNCH...
#   GEMM_JOB empty: HPL only. LAUNCH: mpirun and its options, without the program.
set -u
if [ "$#" -lt 7 ]; then
    echo "usage: $0 XHPL GEMM_JOB GEMM_BINARY THREADS N MIN_MS LAUNCH..." >&2
    exit 2
fi
xhpl=$1 gemm_job=$2 gemm=$3 threads=$4 n=$5 ms=$6
shift 6
dgemm_rc=0
dgemm() {
    when=$1
    shift
    echo "=== instancebench hpl dgemm begin when=$when threads=$threads n=$n min_ms=$ms"
    # The driver prints the kernel OpenBLAS chose itself; OpenBLAS's own banner would be a stray line.
    OPENBLAS_VERBOSE=0 "$@" --tag-output "$gemm_job" "$gemm" "$ms" "hpl $threads gemm dgemm $n"
    rc=$?
    echo "=== instancebench hpl dgemm end rc=$rc"
    [ "$dgemm_rc" -eq 0 ] && dgemm_rc=$rc
}
[ -n "$gemm_job" ] && dgemm before "$@"
"$@" "$xhpl"
hpl_rc=$?
[ -n "$gemm_job" ] && dgemm after "$@"
[ "$hpl_rc" -ne 0 ] && exit "$hpl_rc"
exit "$dgemm_rc"
