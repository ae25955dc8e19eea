#!/bin/sh
# instancebench.aws: one sysbench repetition. Runs each requested sysbench test after a marker
# line that plugins/module_utils/_sysbench.py splits the output on, so the job step runs one
# command per repetition. A test that fails (sysbench prints FATAL and exits non-zero) does not
# stop the others; the script exits non-zero at the end.
#
# Usage: sysbench_job.sh SYSBENCH SECONDS SECTION...
#   SECTION is NAME:TEST:THREADS[:OPTION,OPTION...], e.g. cpu_t1:cpu:1:--cpu-max-prime=10000.
#   Options are split on commas only (they hold no spaces or commas); each runs for SECONDS.
#
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
if [ "$#" -lt 3 ]; then
	echo "usage: $0 SYSBENCH SECONDS NAME:TEST:THREADS[:OPTION,...]..." >&2
	exit 2
fi
bin=$1 seconds=$2
shift 2
case "$seconds" in
	'' | *[!0-9]*) echo "SECONDS must be a whole number" >&2; exit 2 ;;
esac
status=0
set -f   # options are never globbed
for section in "$@"; do
	name=${section%%:*} rest=${section#*:}
	test=${rest%%:*} rest=${rest#*:}
	threads=${rest%%:*}
	options=''
	case "$rest" in *:*) options=${rest#*:} ;; esac
	case "$threads" in
		'' | *[!0-9]*) echo "section $section: THREADS must be a whole number" >&2; status=2; continue ;;
	esac
	echo "=== instancebench sysbench section=$name test=$test threads=$threads time=$seconds"
	# $options is split on commas only: each piece is one argument.
	IFS=,
	# shellcheck disable=SC2086
	"$bin" "$test" "--threads=$threads" "--time=$seconds" $options run 2>&1 || status=1
	unset IFS
done
exit $status
