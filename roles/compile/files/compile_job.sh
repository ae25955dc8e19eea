#!/bin/sh
# instancebench.aws: one Linux kernel build repetition. An untimed configure (`make <config>`) into
# a fresh object directory and a read of the whole source tree (a warm page cache, so the timed
# build measures the CPU and not the disk), then the timed `make -j<jobs>`. Marker lines carry
# what plugins/module_utils/_compile.py reads; make's own output goes to build.log beside the
# object directory (a defconfig build prints thousands of lines), its tail to stdout on failure.
#
# Usage: compile_job.sh SOURCE_DIR OBJECT_DIR CONFIG JOBS CC TARGET
#   CONFIG a kbuild configuration target (defconfig, tinyconfig), TARGET all or vmlinux.
#
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
if [ "$#" -ne 6 ]; then
	echo "usage: $0 SOURCE_DIR OBJECT_DIR CONFIG JOBS CC TARGET" >&2
	exit 2
fi
src=$1 obj=$2 config=$3 jobs=$4 cc=$5 target=$6
case "$jobs" in
	'' | *[!0-9]* | 0) echo "JOBS must be a whole number above 0" >&2; exit 2 ;;
esac
case "$config" in
	defconfig | tinyconfig) ;;
	*) echo "CONFIG must be defconfig or tinyconfig" >&2; exit 2 ;;
esac
case "$target" in
	all | vmlinux) ;;
	*) echo "TARGET must be all or vmlinux" >&2; exit 2 ;;
esac
log=$obj.build.log
# Reproducible identity strings: the build does not depend on who ran it or when.
KBUILD_BUILD_USER=instancebench KBUILD_BUILD_HOST=instancebench KBUILD_BUILD_TIMESTAMP='1970-01-01'
export KBUILD_BUILD_USER KBUILD_BUILD_HOST KBUILD_BUILD_TIMESTAMP

echo "=== instancebench compile compiler: $("$cc" --version 2>&1 | head -n 1)"
rm -rf "$obj" "$log" "$log.cpu-before" "$log.cpu-after" && mkdir -p "$obj" || exit 1
if ! make -C "$src" O="$obj" CC="$cc" HOSTCC="$cc" "$config" >"$log" 2>&1; then
	echo "=== instancebench compile configure failed: $config"
	tail -n 40 "$log"
	exit 1
fi
echo "=== instancebench compile kernelrelease: $(make -s -C "$src" O="$obj" CC="$cc" HOSTCC="$cc" kernelrelease 2>/dev/null)"
# Every source file through the page cache (GNU tar skips reading when writing to /dev/null: cat).
tar -cf - -C "$src" . | cat >/dev/null

# CPU time of finished children before and after the build: `times` run in this shell (in a
# pipe or $(...) it would report a fresh subshell's zeros), its second line.
times >"$log.cpu-before"
start=$(date +%s.%N)
make -C "$src" O="$obj" CC="$cc" HOSTCC="$cc" -j"$jobs" "$target" >>"$log" 2>&1
rc=$?
end=$(date +%s.%N)
times >"$log.cpu-after"
echo "=== instancebench compile build config=$config jobs=$jobs target=$target start=$start end=$end rc=$rc"
echo "=== instancebench compile cpu before: $(tail -n 1 "$log.cpu-before")"
echo "=== instancebench compile cpu after: $(tail -n 1 "$log.cpu-after")"
echo "=== instancebench compile warnings: $(grep -c 'warning:' "$log")"
if [ -f "$obj/vmlinux" ]; then
	echo "=== instancebench compile vmlinux bytes=$(wc -c <"$obj/vmlinux" | tr -d ' ')"
else
	echo "=== instancebench compile vmlinux missing"
fi
if [ "$rc" -ne 0 ]; then
	tail -n 40 "$log"
fi
# The object tree is large (a defconfig build leaves about 1.5 GB): not kept between repetitions.
rm -rf "$obj"
exit "$rc"
