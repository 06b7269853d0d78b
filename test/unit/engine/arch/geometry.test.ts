import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findArch, resolveGeometry } from '../../../../src/engine/arch/presets';
import { versionCode } from '../../../../src/engine/kernel/version';
import { GiB, KiB, MiB } from '../../../../src/engine/units';

const at = (arch: string, version: string) =>
  resolveGeometry(findArch(arch)!, versionCode(version)!, 64);

test('DOMAIN §1: page, section and sub-section sizes per arch', () => {
  const expected: [string, string, number, number, number][] = [
    ['x86_64', 'v6.4', 4 * KiB, 128 * MiB, 64],
    ['arm64', 'v5.10', 4 * KiB, GiB, 512],
    ['arm64', 'v5.17', 4 * KiB, 128 * MiB, 64],
    ['arm64-64k', 'v5.10', 64 * KiB, GiB, 512],
    ['arm64-64k', 'v6.1', 64 * KiB, 512 * MiB, 256],
    ['ppc64-radix', 'v6.4', 64 * KiB, 16 * MiB, 8],
    ['ppc64-hash', 'v6.4', 64 * KiB, 16 * MiB, 8],
    ['s390x', 'v6.4', 4 * KiB, 256 * MiB, 128],
    ['riscv64', 'v6.4', 4 * KiB, 128 * MiB, 64],
    ['loongarch64', 'v6.4', 16 * KiB, 512 * MiB, 256],
  ];
  for (const [arch, v, page, section, subsections] of expected) {
    const g = at(arch, v);
    assert.deepEqual(
      [g.pageSize, g.sectionSize, g.subsectionsPerSection],
      [page, section, subsections],
      `${arch} ${v}`,
    );
    assert.equal(
      g.pagesPerSubsection * g.pageSize,
      2 * MiB,
      `${arch}: sub-sections are 2 MiB everywhere`,
    );
  }
});

test('64 struct pages per 4 KiB vmemmap page on x86; hash ppc64 cannot optimise the vmemmap', () => {
  assert.equal(at('x86_64', 'v6.4').structPagesPerVmemmapPage, 64);
  assert.equal(at('ppc64-hash', 'v6.4').compatAlign, 16 * MiB);
});
