#!/usr/bin/env bash
# Makes sure Debian's dataset-fashion-mnist package is installed (its IDX files land in
# /usr/share/datasets/fashion-mnist), installing it with apt-get when missing and the machine
# allows it (root, apt-get present). Never fails the caller: without the data, the Fashion-MNIST
# trainer explains what to do, and the tests that need it say why they were skipped.
set -uo pipefail

dir=/usr/share/datasets/fashion-mnist
files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)

have_all() {
  for f in "${files[@]}"; do [ -s "$dir/$f" ] || return 1; done
}

if have_all; then exit 0; fi
if [ -n "${TENSORGRAD_DATA:-}" ] && [ -d "$TENSORGRAD_DATA" ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-dataset: Fashion-MNIST is not in $dir and this machine can't install it (needs root and apt-get);" \
    "install Debian's dataset-fashion-mnist package or set TENSORGRAD_DATA to a folder with the IDX .gz files" >&2
  exit 0
fi
echo "ensure-dataset: installing Debian's dataset-fashion-mnist (apt-get)..."
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends dataset-fashion-mnist >/dev/null 2>&1; then
  apt-get update -q >/dev/null 2>&1 || true
  apt-get install -y -q --no-install-recommends dataset-fashion-mnist >/dev/null 2>&1 || true
fi
if have_all; then
  echo "ensure-dataset: installed into $dir"
else
  echo "ensure-dataset: apt-get could not install dataset-fashion-mnist; the trainer and its tests will say what is missing" >&2
fi
exit 0
