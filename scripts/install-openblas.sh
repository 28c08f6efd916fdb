#!/usr/bin/env bash
# Installs Debian's OpenBLAS (pthread build) for the matmul benchmarks, if it is not there yet, and
# prints the path of its libblas.so.3 for -Ddev.ludovic.netlib.blas.nativeLibPath=...
set -euo pipefail

package=libopenblas0-pthread
if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo_cmd=(sudo)
    fi
    "${sudo_cmd[@]}" apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "$package" >&2
fi

library=$(dpkg -L "$package" | grep '/openblas-pthread/libblas\.so\.3$' | head -n 1)
if [ -z "$library" ] || [ ! -f "$library" ]; then
    echo "install-openblas.sh: $package is installed but has no openblas-pthread/libblas.so.3" >&2
    exit 1
fi
echo "$library"
