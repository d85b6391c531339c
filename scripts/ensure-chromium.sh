#!/usr/bin/env bash
# Makes sure Debian's `chromium` is installed at /usr/bin/chromium, which the headless-browser tests
# (apps/browser-tests, driven by playwright-core) launch; playwright never downloads a browser of
# its own. Installs it with apt-get when missing and the machine allows it (root, apt-get present).
# Idempotent. On a machine that cannot install packages (not root, no apt-get) it only says so and the
# browser tests skip with that reason; where it can install but the install fails, it fails (CI must run them).
set -uo pipefail

bin=/usr/bin/chromium

if [ -x "$bin" ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $bin is missing and this machine can't install it (needs root and apt-get, as on Debian);" \
    "install Debian's chromium package (sudo apt-get install chromium) to run the browser tests" >&2
  exit 0
fi
echo "ensure-chromium: installing Debian's chromium (apt-get)..."
export DEBIAN_FRONTEND=noninteractive
# wait for another apt/dpkg run (e.g. ensure-dataset.sh) instead of failing on its lock
apt_install() {
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends chromium >/dev/null 2>&1
}
if ! apt_install; then
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null 2>&1 || true
  apt_install || true
fi
if [ -x "$bin" ]; then
  echo "ensure-chromium: installed $("$bin" --version 2>/dev/null || echo "$bin")"
else
  echo "ensure-chromium: apt-get could not install chromium (see: apt-get install chromium); the browser tests need it" >&2
  exit 1
fi
