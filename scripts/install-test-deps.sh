#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: the reference
# implementations used as oracles (PVM 3.4.6, POV-Ray 3.7) and the tools the
# multi-host tests use, and gfortran for the Fortran interface's tests. Skips apt
# entirely when everything is already there.
set -euo pipefail

packages=(pvm pvm-dev pvm-examples povray povray-includes povray-examples openssh-server iproute2 gfortran)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing test dependencies: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

rustup component add clippy rustfmt >/dev/null 2>&1 || true
