#!/bin/sh
# instancebench.aws: one 7-Zip benchmark repetition. Runs `7zz b` once per requested thread
# count, each after a marker line that plugins/module_utils/_sevenzip.py splits the output on,
# so the job step runs one command per repetition. 7-Zip checks every decompressed buffer's
# CRC itself: a mismatch stops that run ("Decoding ERROR" on stderr, exit 2) and this script
# exits non-zero after the remaining runs.
#
# Usage: sevenzip_job.sh 7ZZ DICTIONARY_LOG2 ITERATIONS LABEL=THREADS...
#   DICTIONARY_LOG2 0 and ITERATIONS 0 keep 7-Zip's own choice (no -md, no pass count);
#   LABEL names the run in the metrics (t1, all, t4, ...), THREADS is passed as -mmt.
#
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
if [ "$#" -lt 4 ]; then
	echo "usage: $0 7ZZ DICTIONARY_LOG2 ITERATIONS LABEL=THREADS..." >&2
	exit 2
fi
bin=$1 dictionary=$2 iterations=$3
shift 3
case "$dictionary$iterations" in
	*[!0-9]*) echo "DICTIONARY_LOG2 and ITERATIONS must be whole numbers" >&2; exit 2 ;;
esac
# Line-buffered stdout (where coreutils' stdbuf exists): a killed run leaves the rows it
# finished, and stderr's "Decoding ERROR" lands after them, not before the buffered table.
linebuf=''
command -v stdbuf >/dev/null 2>&1 && linebuf='stdbuf -oL'
passes='' md=''
[ "$iterations" -gt 0 ] && passes=$iterations
[ "$dictionary" -gt 0 ] && md=-md$dictionary
status=0
for run in "$@"; do
	label=${run%%=*} threads=${run#*=}
	case "$threads" in
		'' | *[!0-9]*) echo "run $run: THREADS must be a whole number" >&2; status=2; continue ;;
	esac
	echo "=== instancebench 7zip run=$label threads=$threads dictionary=$dictionary iterations=$iterations"
	# $linebuf, $passes and $md are empty or fixed words: unquoted on purpose, so empty ones vanish.
	# shellcheck disable=SC2086
	$linebuf "$bin" b $passes "-mmt$threads" $md 2>&1 || status=1
done
exit $status
