#!/usr/bin/env bash
# The whole check, as run by `npm test` and CI (.ci/run): lint, typecheck, build, every test suite
# (unit, conformance, doc examples), the typedoc API reference (which fails on any warning), then
# one summary line `tests: N passed, N failed, N skipped`.
# Works on a fresh machine with Node 20 and npm only: pnpm is fetched through npx when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# pnpm on PATH (a npx shim when missing) and the turbo environment
source scripts/with-pnpm.sh

pnpm install --frozen-lockfile

# the Fashion-MNIST trainer's end-to-end tests read the real data set
bash scripts/ensure-dataset.sh
# the headless-browser tests (apps/browser-tests) launch Debian's chromium
bash scripts/ensure-chromium.sh
# the .pth and torchvision-model tests cross-check with Debian's PyTorch (/usr/bin/python3)
bash scripts/ensure-torch.sh
# the WebGPU backend's tests run on a software Vulkan driver (Mesa's lavapipe) on machines without a GPU
if webgpu_env="$(bash scripts/ensure-webgpu.sh)"; then
  eval "$webgpu_env"
  export TENSORGRAD_REQUIRE_WEBGPU=1
elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  # a machine that can install the driver must test WebGPU: a silent skip would hide the backend
  echo "scripts/test.sh: could not set up the software Vulkan driver for WebGPU (see the message above)" >&2
  exit 1
else
  echo "scripts/test.sh: no Vulkan driver for WebGPU (see the message above); the WebGPU tests will say why they were skipped" >&2
fi

# the docs site's browser test fails instead of skipping when the built site is missing (the docs
# task below builds it before that test)
export TENSORGRAD_REQUIRE_DOCS_SITE=1

# reports left from an earlier run must not be counted again
find packages apps examples bench scripts -name test-results.json -not -path '*/node_modules/*' -delete 2>/dev/null || true

status=0
# --continue: run every task that can run, so one failure does not hide the others
pnpm turbo run lint typecheck build test docs --concurrency=2 --continue --log-order=grouped || status=$?

if [ "$status" -ne 0 ]; then
  echo "scripts/test.sh: some tasks failed (turbo exit $status); see the output above" >&2
fi
# the summary line stays the last line of the output
summary=0
node scripts/summarize-tests.mjs || summary=$?
if [ "$status" -ne 0 ]; then exit "$status"; fi
exit "$summary"
