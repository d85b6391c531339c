#!/usr/bin/env bash
# `npm start`: install, build the examples and what they depend on, and run the book's chapter 1-2
# examples (examples/src/main.ts). Works on a fresh machine with Node 20 and npm only: pnpm is
# fetched through npx when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 TURBO_NO_UPDATE_NOTIFIER=1

if ! command -v pnpm >/dev/null 2>&1; then
  # turbo runs each task through `pnpm run`, so pnpm must be on PATH, not only a shell function
  shim_dir="$(mktemp -d)"
  trap 'rm -rf "$shim_dir"' EXIT
  printf '#!/usr/bin/env bash\nexec npx -y pnpm@10 "$@"\n' >"$shim_dir/pnpm"
  chmod +x "$shim_dir/pnpm"
  export PATH="$shim_dir:$PATH"
fi

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

echo "installing dependencies and building the examples..."
if [ -f pnpm-lock.yaml ]; then
  run_quiet "pnpm install" pnpm install --frozen-lockfile
else
  run_quiet "pnpm install" pnpm install
fi
run_quiet "build" pnpm turbo run build --filter '@tensorgrad/examples...' --output-logs=errors-only
echo

node examples/dist/main.js
