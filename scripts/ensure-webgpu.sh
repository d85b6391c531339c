#!/usr/bin/env bash
# Makes a software Vulkan driver available to Dawn (the `webgpu` npm package) on a machine without
# a GPU, so that @tensorgrad/backend-webgpu can be tested anywhere, CI included.
#
# Usage:   eval "$(bash scripts/ensure-webgpu.sh)"
#
# On success it prints shell `export` lines on stdout (VK_ICD_FILENAMES, LD_LIBRARY_PATH) and exits
# 0; everything else goes to stderr. On failure it prints nothing on stdout and exits non-zero with
# a message that says what is missing and how to fix it.
#
# Why: Debian bookworm's own mesa-vulkan-drivers (Mesa 22.3) is too old for Dawn — its
# requestAdapter() returns null. Mesa 25's lavapipe from Debian's bookworm-backports works. This
# script never upgrades the system: it installs only the Vulkan loader (libvulkan1, from bookworm
# itself) when it is missing, downloads mesa-vulkan-drivers from bookworm-backports plus the
# libraries it needs that the system lacks or has too old (libdrm, …) with `apt-get download`, and
# unpacks them with `dpkg -x` into a cache folder ($REPO/.cache/webgpu/lavapipe, gitignored). The
# backports suite is named in a separate sources file that only these apt calls read (private
# lists and cache folders under the cache dir, the same mirror as the system's Debian source); the
# file and those lists are removed again afterwards. An ICD json there points at the absolute path
# of the unpacked libvulkan_lvp.so.
#
# Idempotent: once unpacked it only prints the exports (no network). Fallback when lavapipe cannot
# be had: Chromium's SwiftShader ICD (/usr/lib/chromium/vk_swiftshader_icd.json, Debian's
# `chromium` package), which works too, slower.
#
# Environment: TENSORGRAD_WEBGPU_CACHE overrides the cache folder; TENSORGRAD_WEBGPU_ICD=swiftshader
# picks the SwiftShader fallback directly.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${TENSORGRAD_WEBGPU_CACHE:-$repo/.cache/webgpu}"
lvp_dir="$cache/lavapipe"
root_dir="$lvp_dir/root"
icd="$lvp_dir/lvp_icd.json"
stamp="$lvp_dir/.complete"
swiftshader_icd=/usr/lib/chromium/vk_swiftshader_icd.json

log() { echo "ensure-webgpu: $*" >&2; }

multiarch() {
  if command -v dpkg-architecture >/dev/null 2>&1; then dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null && return; fi
  case "$(uname -m)" in
    x86_64) echo x86_64-linux-gnu ;;
    aarch64) echo aarch64-linux-gnu ;;
    *) echo "$(uname -m)-linux-gnu" ;;
  esac
}
libdir="$root_dir/usr/lib/$(multiarch)"

has_loader() {
  # not `ldconfig -p | grep -q`: grep exits at the first match, ldconfig dies of SIGPIPE and
  # pipefail turns the whole test false at random
  local cache_list
  cache_list="$(ldconfig -p 2>/dev/null || true)"
  [[ "$cache_list" == *"libvulkan.so.1 "* ]] || [ -e "$libdir/libvulkan.so.1" ]
}

# `export` lines for the caller; LD_LIBRARY_PATH is prepended at eval time, in the caller's shell
print_lavapipe_env() {
  printf 'export VK_ICD_FILENAMES=%q\n' "$icd"
  printf 'export LD_LIBRARY_PATH=%q"${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"\n' "$libdir"
}

print_swiftshader_env() {
  printf 'export VK_ICD_FILENAMES=%q\n' "$swiftshader_icd"
}

fallback_or_fail() {
  local why="$1"
  if [ -f "$swiftshader_icd" ] && has_loader; then
    log "$why; falling back to Chromium's SwiftShader ICD ($swiftshader_icd, slower than lavapipe)"
    print_swiftshader_env
    exit 0
  fi
  log "$why."
  log "No software Vulkan driver is available, so WebGPU cannot get an adapter on this machine. Fix: run this script as root" \
    "on Debian bookworm with access to the Debian mirror (it installs libvulkan1 and unpacks lavapipe from bookworm-backports)," \
    "or install Debian's chromium package (SwiftShader ICD), or point VK_ICD_FILENAMES at any Vulkan ICD json yourself."
  exit 1
}

# ---- fast path: already unpacked ------------------------------------------------------------------
if [ "${TENSORGRAD_WEBGPU_ICD:-}" = swiftshader ]; then
  [ -f "$swiftshader_icd" ] || { log "TENSORGRAD_WEBGPU_ICD=swiftshader but $swiftshader_icd is missing (install Debian's chromium)"; exit 1; }
  has_loader || { log "the Vulkan loader libvulkan.so.1 is missing (apt-get install libvulkan1)"; exit 1; }
  print_swiftshader_env
  exit 0
fi
if [ -f "$stamp" ] && [ -f "$icd" ] && [ -f "$libdir/libvulkan_lvp.so" ] && has_loader; then
  print_lavapipe_env
  exit 0
fi

# ---- one setup at a time (several test runs may start together) -----------------------------------
mkdir -p "$cache"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.lock"
  flock 9
  # another run may have finished the job while this one waited
  if [ -f "$stamp" ] && [ -f "$icd" ] && [ -f "$libdir/libvulkan_lvp.so" ] && has_loader; then
    print_lavapipe_env
    exit 0
  fi
fi

# ---- which system is this? ------------------------------------------------------------------------
codename=""
if [ -r /etc/os-release ]; then codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"; fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
  fallback_or_fail "this is not a Debian system (no apt-get/dpkg)"
fi
if [ "$codename" != bookworm ]; then
  # newer Debian releases ship a Mesa recent enough for Dawn: use the system's lavapipe if present
  sys_icd="$(ls /usr/share/vulkan/icd.d/lvp_icd*.json 2>/dev/null | head -n1 || true)"
  if [ -n "$sys_icd" ] && has_loader; then
    log "using the system's lavapipe ($sys_icd) on Debian '$codename'"
    printf 'export VK_ICD_FILENAMES=%q\n' "$sys_icd"
    exit 0
  fi
  fallback_or_fail "this script fetches lavapipe for Debian bookworm, but this system is '${codename:-unknown}'; install mesa-vulkan-drivers (Mesa >= 24) and libvulkan1 from its own release"
fi

is_root=0
[ "$(id -u)" -eq 0 ] && is_root=1

# ---- the Vulkan loader (libvulkan1) from bookworm itself ------------------------------------------
export DEBIAN_FRONTEND=noninteractive
if ! has_loader && [ "$is_root" -eq 1 ]; then
  log "installing the Vulkan loader (apt-get install libvulkan1)..."
  apt_install() { apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends libvulkan1 >/dev/null 2>&1; }
  if ! apt_install; then
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null 2>&1 || true
    apt_install || log "apt-get could not install libvulkan1; unpacking it into the cache instead"
  fi
fi
# without root, libvulkan1 is unpacked into the cache with the driver below (it is then in the
# private dependency closure, since the system lacks it)

# ---- the mirror of the system's Debian source -----------------------------------------------------
find_mirror() {
  local f uri suites
  # deb822 .sources files: a stanza's URIs and Suites
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk -v code="$codename" '
      function flush() { if (uris != "" && (" " suites " ") ~ (" " code " ")) { split(uris, u, " "); print u[1]; found = 1; exit } uris = ""; suites = "" }
      /^[[:space:]]*$/ { flush(); next }
      /^[[:space:]]*#/ { next }
      tolower($1) == "uris:" { uris = $0; sub(/^[^:]*:[[:space:]]*/, "", uris) }
      tolower($1) == "suites:" { suites = $0; sub(/^[^:]*:[[:space:]]*/, "", suites) }
      END { if (!found) flush() }
    ' "$f"
  done | head -n1
}
find_mirror_oneline() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' |
    awk -v code="$codename" '$1 == "deb" && $3 == code { print $2; exit }'
}
mirror="$(find_mirror || true)"
[ -n "$mirror" ] || mirror="$(find_mirror_oneline || true)"
if [ -z "$mirror" ]; then
  fallback_or_fail "no Debian '$codename' source found in /etc/apt/sources.list{,.d} to take the mirror from"
fi
mirror="${mirror%/}"
log "unpacking lavapipe (mesa-vulkan-drivers from $codename-backports, mirror $mirror) into $lvp_dir ..."

# ---- private apt state: the backports suite in a separate sources file, removed afterwards --------
apt_dir="$cache/apt"
rm -rf "$apt_dir"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
cleanup() { rm -rf "$apt_dir"; }
trap cleanup EXIT
signed=""
[ -r /usr/share/keyrings/debian-archive-keyring.gpg ] && signed="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
{
  echo "deb ${signed}$mirror $codename main"
  echo "deb ${signed}$mirror $codename-backports main"
} >"$apt_dir/backports.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/backports.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=$(id -un)"
)
if ! apt-get "${apt_opts[@]}" update -q >"$apt_dir/update.log" 2>&1; then
  sed 's/^/  /' "$apt_dir/update.log" >&2
  fallback_or_fail "apt-get update for $codename-backports failed (no network, or the mirror $mirror is unreachable)"
fi

# the packages that installing mesa-vulkan-drivers from backports would add or upgrade: the driver
# plus whatever the system lacks or has too old; the same resolver as a real install, simulated
sim="$(apt-get "${apt_opts[@]}" install -s -q --no-install-recommends "mesa-vulkan-drivers/$codename-backports" 2>&1)" || {
  printf '%s\n' "$sim" | sed 's/^/  /' >&2
  fallback_or_fail "apt-get could not resolve mesa-vulkan-drivers/$codename-backports"
}
mapfile -t wanted < <(printf '%s\n' "$sim" | awk '$1 == "Inst" { v = $0; sub(/^[^(]*\(/, "", v); split(v, f, " "); print $2 "=" f[1] }')
if [ "${#wanted[@]}" -eq 0 ]; then
  fallback_or_fail "apt-get reported nothing to fetch for mesa-vulkan-drivers/$codename-backports (is it installed system-wide already?)"
fi
log "downloading ${wanted[*]}"
if ! (cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" download -q "${wanted[@]}" >"$apt_dir/download.log" 2>&1); then
  sed 's/^/  /' "$apt_dir/download.log" >&2
  fallback_or_fail "apt-get download failed"
fi

rm -rf "$root_dir" "$stamp"
mkdir -p "$root_dir"
for deb in "$apt_dir"/debs/*.deb; do dpkg -x "$deb" "$root_dir"; done
if [ ! -f "$libdir/libvulkan_lvp.so" ]; then
  fallback_or_fail "the unpacked mesa-vulkan-drivers has no $libdir/libvulkan_lvp.so"
fi
api_version="$(sed -n 's/.*"api_version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$root_dir"/usr/share/vulkan/icd.d/lvp_icd*.json 2>/dev/null | head -n1)"
cat >"$icd" <<EOF
{
  "file_format_version": "1.0.0",
  "ICD": {
    "library_path": "$libdir/libvulkan_lvp.so",
    "api_version": "${api_version:-1.3.0}"
  }
}
EOF
missing="$(LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd "$libdir/libvulkan_lvp.so" 2>/dev/null | awk '/not found/ { print $1 }' | tr '\n' ' ')"
if [ -n "$missing" ]; then
  fallback_or_fail "the unpacked libvulkan_lvp.so cannot load: missing ${missing}"
fi
if ! has_loader; then
  fallback_or_fail "the Vulkan loader libvulkan.so.1 is missing (run as root, or apt-get install libvulkan1)"
fi
touch "$stamp"
log "ready: $(ls "$apt_dir"/debs | sed 's/_amd64\.deb\|_all\.deb//' | tr '\n' ' ')"
print_lavapipe_env
