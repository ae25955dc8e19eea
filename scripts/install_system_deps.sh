#!/usr/bin/env bash
# System packages the demo and the tests need: a C compiler and make for the benchmarks,
# openssh-server/client for the SSH test hosts, python3-boto3 so those hosts' system Python can
# write S3 results as an EC2 instance's does, shellcheck for ansible-test sanity; with --tests
# also a headless Chromium for the report rendering check; with --compare likwid (likwid-bench, the
# independent bandwidth reference) and clang for `make compare`. Also enables Debian source packages
# (deb-src, main and security), where the verified FFTW, HPCC, 7-Zip and OpenSSL tarballs come from. Installs only what is missing
# (needs root for that).
set -euo pipefail
need=()
command -v gcc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null || need+=(openssh-client)
command -v shellcheck >/dev/null || need+=(shellcheck)
if [ "${1:-}" = --tests ]; then
  command -v chromium-headless-shell >/dev/null || command -v chromium >/dev/null || need+=(chromium-headless-shell)
fi
if [ "${1:-}" = --compare ]; then
  command -v likwid-bench >/dev/null || need+=(likwid)
  command -v clang >/dev/null || need+=(clang libomp-dev)
fi
/usr/bin/python3 -c 'import boto3' 2>/dev/null || need+=(python3-boto3)

src_list=/etc/apt/sources.list.d/instancebench-deb-src.sources
update=false
# Debian's main and security sources: 7-Zip 26.02 is only in <codename>-security.
if [ -r /etc/os-release ] && . /etc/os-release && [ "${ID:-}" = debian ] \
   && ! grep -qs debian-security "$src_list" \
   && { [ -f "$src_list" ] || { ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; }; }; then
  if [ "$(id -u)" -ne 0 ]; then echo "need root to enable deb-src in $src_list" >&2; exit 1; fi
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb-src\nURIs: http://deb.debian.org/debian-security\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$VERSION_CODENAME" "$VERSION_CODENAME" > "$src_list"
  update=true
fi
if [ ${#need[@]} -gt 0 ] || $update; then
  if [ "$(id -u)" -ne 0 ]; then echo "need root to install ${need[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
