#!/bin/sh
# One repetition of HPL per ISA level (hpl_isa_levels): xhpl under the role's MPI launch once per
# level, with OPENBLAS_CORETYPE set to the level's OpenBLAS kernel set for that run only, then once
# as the job's environment has it (`native`: OpenBLAS's own choice). Each run sits between marker
# lines that module_utils/_hpl_isa.py reads; the end marker carries its exit status. Only levels this
# CPU has are handed here (hpl_isa_plan): nothing runs into SIGILL. OPENBLAS_VERBOSE=2 (the role's
# environment) makes OpenBLAS print the kernel set it runs ("Core: ...").
# Usage: hpl_isa_job.sh XHPL PASS... -- LAUNCH...
#   PASS: <metric-safe level>=<OpenBLAS core>, e.g. x86_64_v3=Haswell; native= (empty core: not set)
#   LAUNCH: mpirun and its options, without the program.
set -u
if [ "$#" -lt 3 ]; then
    echo "usage: $0 XHPL LEVEL=CORE... -- LAUNCH..." >&2
    exit 2
fi
xhpl=$1
shift
passes=""
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    passes="$passes $1"
    shift
done
if [ "$#" -lt 2 ]; then
    echo "usage: $0 XHPL LEVEL=CORE... -- LAUNCH..." >&2
    exit 2
fi
shift
status=0
# Level names and core names are [A-Za-z0-9_.+-] (checked by the role): splitting on spaces is safe.
for pass in $passes; do
    level=${pass%%=*}
    core=${pass#*=}
    echo "=== instancebench hpl_isa pass level=$level core=$core"
    if [ -n "$core" ]; then
        # For this run only; -x hands it to every rank as mpirun's other -x variables.
        OPENBLAS_CORETYPE=$core "$@" -x OPENBLAS_CORETYPE "$xhpl" 2>&1
    else
        "$@" "$xhpl" 2>&1
    fi
    rc=$?
    echo "=== instancebench hpl_isa pass end rc=$rc"
    [ "$rc" -eq 0 ] || [ "$status" -ne 0 ] || status=$rc
done
exit "$status"
