#!/usr/bin/env bash
# Installs every build, test and docs dependency of zcbench from Debian packages.
# Safe to re-run: apt-get skips what is already installed.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libtorch-dev libopenblas0-openmp
  libtcmalloc-minimal4  # the workers' malloc: 1.4x at 224-256 px (README "Speed")
  libhdf5-dev nlohmann-json3-dev libboost-math-dev libcli11-dev libkainjow-mustache-dev
  libcurl4-openssl-dev zlib1g-dev libbz2-dev libjpeg62-turbo-dev libgtest-dev libgmock-dev libbenchmark-dev
  doxygen graphviz chromium
  python3
  clang libclang-rt-14-dev
)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
