#!/usr/bin/env bash
# `npm start`: install, build and run the Fashion-MNIST trainer (apps/fashion-mnist): chapter 4's
# CNN, 5 epochs on the CPU backend. Extra arguments go to the CLI (`npm start -- --model mlp`).
# Works on a fresh machine with Node 20 and npm only: pnpm is fetched through npx when missing, and
# Debian's dataset-fashion-mnist is installed with apt-get when missing and the machine allows it.
# `scripts/start.sh examples` runs the book's chapter 1-2 examples instead (`npm run examples`), and
# `scripts/start.sh experiments [name] [--epochs N ...]` the chapter 3 experiments (`npm run experiments`).
# `scripts/start.sh web [--port N]` builds the app's web page and serves it (`npm run web`).
set -euo pipefail
cd "$(dirname "$0")/.."

# pnpm on PATH (a npx shim when missing) and the turbo environment
source scripts/with-pnpm.sh

# quiet on success; on failure show what the step printed
run_quiet() {
  local what="$1"
  shift
  local log
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "scripts/start.sh: $what failed (command: $*)" >&2
    exit 1
  fi
  rm -f "$log"
}

target=app
case "${1:-}" in
  examples | experiments | web)
    target="$1"
    shift
    ;;
esac
if [ "$target" = app ] || [ "$target" = web ]; then package='@tensorgrad/fashion-mnist'; else package='@tensorgrad/examples'; fi
# the page's build copies the IDX files into it (apps/fashion-mnist/scripts/copy-web-data.mjs)
if [ "$target" = web ]; then bash scripts/ensure-dataset.sh; fi

echo "installing dependencies and building $package..."
if [ -f pnpm-lock.yaml ]; then
  run_quiet "pnpm install" pnpm install --frozen-lockfile
else
  run_quiet "pnpm install" pnpm install
fi
run_quiet "build" pnpm turbo run build --filter "$package..." --output-logs=errors-only
echo

case "$target" in
  examples) node examples/dist/main.js "$@" ;;
  web) exec node apps/fashion-mnist/scripts/serve-web.mjs "$@" ;;
  experiments)
    bash scripts/ensure-dataset.sh
    node examples/dist/experiments.js "$@"
    ;;
  *)
    bash scripts/ensure-dataset.sh
    # trains chapter 4's CNN (5 epochs, CPU backend); extra args go to the CLI:
    #   npm start -- --model mlp      npm start -- --resume      npm start -- predict --index 0
    node apps/fashion-mnist/dist/cli.js "$@"
    ;;
esac
