#!/bin/sh
# One repetition of the stream_isa benchmark: STREAM once per ISA level it was built for, each
# between marker lines that _stream_isa.py reads; the end marker carries the pass's exit status.
# Only levels this CPU supports are handed here (stream_isa_plan): nothing runs into SIGILL.
# Usage: stream_isa_job.sh PASS...
#   PASS: <metric-safe level>=<binary>, e.g. x86_64=/w/build/stream-1a2b/stream native=/w/build/stream-3c4d/stream
set -u
if [ "$#" -lt 1 ]; then
    echo "usage: $0 LEVEL=BINARY..." >&2
    exit 2
fi
status=0
for pass in "$@"; do
    level=${pass%%=*}
    bin=${pass#*=}
    echo "=== instancebench stream_isa pass level=$level"
    # Threads: OMP_NUM_THREADS from the job's environment (the stream role's thread setting).
    "$bin" 2>&1
    rc=$?
    echo "=== instancebench stream_isa pass end rc=$rc"
    [ "$rc" -eq 0 ] || status=1
done
exit $status
