#!/bin/sh
# instancebench stressng job: one repetition = every (cpu method, worker count) pass, run one
# after another, each printed between marker lines so the analyzer reads one stdout.
#
# Usage: stressng_job.sh STRESS_NG SECONDS METHODS PASSES
#   STRESS_NG  path of the stress-ng binary
#   SECONDS    duration of every pass (stress-ng --timeout)
#   METHODS    comma-separated cpu stressor methods, e.g. div16,matrixprod
#   PASSES     comma-separated LABEL:WORKERS pairs, e.g. w1:1,all:2
#
# stress-ng writes its log and the --metrics table to stderr: 2>&1 puts them on stdout in
# order. No value is evaluated by the shell; a pass that fails sets the exit status to 1 and
# the remaining passes still run.
set -u
if [ "$#" -ne 4 ]; then
    echo "usage: $0 STRESS_NG SECONDS METHODS PASSES" >&2
    exit 2
fi
binary=$1
seconds=$2
methods=$(printf '%s' "$3" | tr ',' ' ')
passes=$(printf '%s' "$4" | tr ',' ' ')
status=0
echo "=== instancebench stressng version: $("$binary" --version 2>&1)"
for method in $methods; do
    for pass in $passes; do
        label=${pass%%:*}
        workers=${pass#*:}
        echo "=== instancebench stressng pass method=$method label=$label workers=$workers seconds=$seconds"
        "$binary" --cpu "$workers" --cpu-method "$method" --timeout "${seconds}s" --metrics 2>&1
        rc=$?
        echo "=== instancebench stressng pass end rc=$rc"
        [ "$rc" -eq 0 ] || status=1
    done
done
exit "$status"
