#!/usr/bin/env bash
# Makes sure Debian's PyTorch (python3-torch 1.13.1, python3-torchvision 0.14.1) is importable by
# /usr/bin/python3: the tests that cross-check `.pth` files and torchvision models with PyTorch
# itself run it, and scripts/fixtures/generate.sh writes the generated fixtures with it. Installs
# the two packages with apt-get when missing and the machine allows it (root, apt-get present).
# Idempotent. Where it cannot install, it says so and those tests skip with that reason; where it
# can install but the install fails, it fails (CI must run them).
set -uo pipefail

python=/usr/bin/python3
packages=(python3-torch python3-torchvision)
have_torch() { [ -x "$python" ] && "$python" -c 'import torch, torchvision' >/dev/null 2>&1; }

if have_torch; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-torch: $python cannot import torch and torchvision and this machine can't install them (needs root and apt-get);" \
    "install Debian's ${packages[*]} (sudo apt-get install ${packages[*]}) to run the PyTorch cross-checks" >&2
  exit 0
fi
echo "ensure-torch: installing ${packages[*]} (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
# wait for another apt/dpkg run (e.g. ensure-chromium.sh) instead of failing on its lock
apt_install() {
  apt-get -o DPkg::Lock::Timeout=1800 install -y -q --no-install-recommends "${packages[@]}" >/dev/null 2>&1
}
if ! apt_install; then
  apt-get -o DPkg::Lock::Timeout=1800 update -q >/dev/null 2>&1 || true
  apt_install || true
fi
if have_torch; then
  echo "ensure-torch: installed $("$python" -c 'import torch, torchvision; print("torch", torch.__version__, "torchvision", torchvision.__version__)')" >&2
  exit 0
fi
echo "ensure-torch: apt-get could not install ${packages[*]} (try: apt-get install ${packages[*]}); the PyTorch cross-checks need them" >&2
exit 1
