#!/usr/bin/env bash
# Brings everything the recordings need from Debian's archive, and nothing else:
# the host tools (QEMU, busybox, ndctl/daxctl, cpio, kmod for depmod) are installed with apt,
# the kernels are only downloaded and unpacked under .kernel-cache/ (never installed).
# Prints one line per kernel: "<cache dir> <package> <package version>".
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="$root/.kernel-cache"
mkdir -p "$cache/debs"

log() { echo "fetch: $*" >&2; }

if [[ ! -e "$cache/.apt-updated" ]]; then
  log "apt-get update (once per cache)"
  apt-get update -q >&2
  touch "$cache/.apt-updated"
fi

tools=(qemu-system-x86 busybox-static ndctl daxctl cpio kmod xz-utils)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# The image package a meta-package currently points at, e.g. linux-image-amd64 -> linux-image-6.1.0-57-amd64.
image_of() {
  apt-cache depends "$@" 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }'
}

# Two release lines: bookworm's 6.1, and 6.12 (bookworm-security carries linux-image-6.12-amd64
# for bookworm; older mirrors only have it in bookworm-backports).
images=()
# The newest 6.1 first (bookworm-security), then bookworm's own, should backports win the meta-package.
img61=$(image_of linux-image-amd64)
[[ "$img61" == linux-image-6.1.0-*-amd64 ]] || img61=$(image_of -t bookworm-security linux-image-amd64)
[[ "$img61" == linux-image-6.1.0-*-amd64 ]] || img61=$(image_of -t bookworm linux-image-amd64)
if [[ "$img61" == linux-image-6.1.0-*-amd64 ]]; then images+=("$img61"); else log "no linux-image-6.1.0-*-amd64 reachable: the 6.1 line is skipped"; fi

img612=$(image_of linux-image-6.12-amd64)
if [[ -z "$img612" ]]; then
  if ! apt-cache policy | grep -q 'bookworm-backports'; then
    log "linux-image-6.12-amd64 unknown to apt: adding bookworm-backports"
    cat > /etc/apt/sources.list.d/memmap-lab-backports.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -q >&2
  fi
  img612=$(image_of linux-image-6.12-amd64)
  [[ -n "$img612" ]] || img612=$(image_of -t bookworm-backports linux-image-amd64)
fi
if [[ "$img612" == linux-image-6.12.* ]]; then images+=("$img612"); else log "no linux-image-6.12.* reachable: the 6.12 line is skipped"; fi

for img in "${images[@]}"; do
  ( cd "$cache/debs" && ls "${img}"_*.deb >/dev/null 2>&1 || { log "apt-get download $img"; apt-get download -q "$img" >&2; } )
  deb=$(ls "$cache/debs/${img}"_*.deb | tail -1)
  version=$(dpkg-deb -f "$deb" Version)
  tree="$cache/$img"
  if [[ ! -e "$tree/.unpacked" ]]; then
    rm -rf "$tree"; mkdir -p "$tree/root"
    dpkg-deb -x "$deb" "$tree/root"
    release=$(ls "$tree/root/lib/modules")
    depmod -b "$tree/root" "$release"
    echo "$img $version" > "$tree/package"
    touch "$tree/.unpacked"
  fi
  echo "$tree $img $version"
done
