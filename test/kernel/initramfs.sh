#!/usr/bin/env bash
# Builds the base initramfs for one unpacked kernel: busybox, ndctl and daxctl with the shared
# libraries ldd names, the nvdimm/dax modules of that exact kernel (with what modules.dep says they
# need, decompressed so busybox modprobe loads them) and test/kernel/init.
# Left uncompressed so that record.ts can append the experiment as a second cpio archive.
# Usage: initramfs.sh <kernel cache dir> <out.cpio>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$1 out=$2
kroot="$tree/root"
release=$(ls "$kroot/lib/modules")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,run} "$stage/lib/modules/$release"
cp /bin/busybox "$stage/bin/busybox"
for tool in /usr/bin/ndctl /usr/bin/daxctl; do
  cp "$tool" "$stage/usr/bin/"
  ldd "$tool" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
    mkdir -p "$stage$(dirname "$lib")"
    cp -L "$lib" "$stage$lib"
  done
done
# /lib64/ld-linux-x86-64.so.2 resolves through /lib64 on Debian.
[[ -e "$stage/lib64/ld-linux-x86-64.so.2" ]] || { mkdir -p "$stage/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"; }

# nfit finds the NVDIMM in ACPI; libnvdimm/nd_pmem/nd_btt make namespaces; dax_pmem/device_dax
# make device-dax instances; kmem hands them to the page allocator.
wanted=(nfit libnvdimm nd_pmem nd_btt dax_pmem device_dax kmem)
dep="$kroot/lib/modules/$release/modules.dep"
declare -A take=()
for m in "${wanted[@]}"; do
  line=$(grep -E "/$m\.ko(\.xz|\.zst|\.gz)?:" "$dep") || { echo "initramfs: module $m not in $release" >&2; exit 1; }
  for f in ${line/:/}; do take[$f]=1; done
done
for f in "${!take[@]}"; do
  dst="$stage/lib/modules/$release/${f%.xz}"
  mkdir -p "$(dirname "$dst")"
  case "$f" in
    *.xz) xz -dc "$kroot/lib/modules/$release/$f" > "$dst" ;;
    *) cp "$kroot/lib/modules/$release/$f" "$dst" ;;
  esac
done
# modules.builtin tells modprobe (and libkmod in ndctl) which modules need no loading.
for f in modules.builtin modules.builtin.modinfo modules.order; do
  [[ -e "$kroot/lib/modules/$release/$f" ]] && cp "$kroot/lib/modules/$release/$f" "$stage/lib/modules/$release/"
done
depmod -b "$stage" "$release"

cp "$here/init" "$stage/init"
chmod +x "$stage/init"
( cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) > "$out.tmp"
mv "$out.tmp" "$out"
