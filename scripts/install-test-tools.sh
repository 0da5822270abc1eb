#!/usr/bin/env bash
# Installs the real peers the integration tests drive: OpenSIPS 3.6 (with its runtime libraries),
# sipp, freeDiameterd and its dictionaries, tshark, socat, git. Idempotent; needs root for apt.
#
# OpenSIPS is not packaged in Debian: this uses the prebuilt 3.6.8 tarball in ../shared/opensips
# when it sits beside the repository (as in CI). Elsewhere, build OpenSIPS 3.6 from source
# (https://github.com/OpenSIPS/opensips, tag 3.6.8, modules listed in tutorials/osips_async/README.md)
# and point ACCURATE_OPENSIPS_PREFIX at its install prefix.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
prefix=${ACCURATE_OPENSIPS_PREFIX:-/opt/opensips}
apt_pkgs=(git sip-tester freediameterd freediameter-extensions tshark socat openssl)

missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-test-tools: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ -x "$prefix/sbin/opensips" ]; then
  echo "install-test-tools: OpenSIPS already in $prefix"
elif [ -x "$here/../shared/opensips/install.sh" ] || [ -f "$here/../shared/opensips/install.sh" ]; then
  bash "$here/../shared/opensips/install.sh" "$prefix"
else
  echo "install-test-tools: no ../shared/opensips beside the repository: build OpenSIPS 3.6 from source and set ACCURATE_OPENSIPS_PREFIX (the OpenSIPS tests skip until then)" >&2
fi
