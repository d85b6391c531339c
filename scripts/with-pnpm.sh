#!/usr/bin/env bash
# Makes pnpm available, then runs the command given (`bash scripts/with-pnpm.sh turbo run build`):
# the root package.json scripts and scripts/start.sh and scripts/test.sh all go through here, so
# the README's `npm run …` commands work on a fresh machine with Node 20 and npm only.
# turbo runs each task through `pnpm run` and looks the binary up on PATH (without it: "Unable to
# find package manager binary"), so a missing pnpm is replaced by a shim on PATH that runs
# `npx -y pnpm@10`, not by a shell function.
# Sourced (`source scripts/with-pnpm.sh`) it only sets up PATH and the turbo environment, for the
# rest of the sourcing script; the shim directory is removed when that shell exits.
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 TURBO_NO_UPDATE_NOTIFIER=1

if ! command -v pnpm >/dev/null 2>&1; then
  if ! command -v npx >/dev/null 2>&1; then
    echo "scripts/with-pnpm.sh: neither pnpm nor npx is on PATH; expected Node 20 with npm (which brings npx). Install Node.js 20 with npm, or pnpm 10" >&2
    exit 1
  fi
  _tg_pnpm_shim="$(mktemp -d)"
  trap 'rm -rf "$_tg_pnpm_shim"' EXIT
  printf '#!/usr/bin/env bash\nexec npx -y pnpm@10 "$@"\n' >"$_tg_pnpm_shim/pnpm"
  chmod +x "$_tg_pnpm_shim/pnpm"
  export PATH="$_tg_pnpm_shim:$PATH"
  echo "pnpm not found: using npx pnpm@10 ($(pnpm --version))" >&2
fi

# executed (not sourced) with a command: run it; the EXIT trap removes the shim afterwards
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "$#" -gt 0 ]; then
  "$@"
fi
