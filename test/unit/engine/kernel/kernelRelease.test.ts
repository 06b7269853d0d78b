import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../../src/cli/main';
import {
  featureSources,
  resolveKernel,
  type ResolvedKernel,
} from '../../../../src/engine/kernel/presets';
import { modelledReleases, parseRelease } from '../../../../src/engine/kernel/release';
import { SWITCHES } from '../../../../src/engine/kernel/switches';

function resolved(name: string, arch?: string): ResolvedKernel {
  const k = resolveKernel(name, arch);
  assert.ok(!('error' in k), `${name}: ${'error' in k ? k.error : ''}`);
  return k;
}

test('releases as users name them reduce to their upstream release, and say what is not modelled', () => {
  const release = (text: string) => {
    const r = parseRelease(text);
    assert.ok('release' in r, text);
    return r.release;
  };
  assert.deepEqual(release('6.12'), { code: 612, name: 'v6.12' });
  assert.deepEqual(release('v6.12'), { code: 612, name: 'v6.12' });
  assert.equal(release('v6.8.9').name, 'v6.8');
  assert.match(release('v6.8.9').note!, /stable update of v6\.8/);
  assert.equal(release('6.1.0-56-amd64').name, 'v6.1');
  assert.match(
    release('6.1.0-56-amd64').note!,
    /distribution build of v6\.1: modelled as upstream v6\.1; what its stable and distribution backports changed is not modelled/,
  );
  assert.equal(release('5.14.0-427.13.1.el9_4.x86_64').name, 'v5.14');
  assert.equal(modelledReleases().length, 3 + 20 + 19, 'v4.18–v4.20, v5.0–v5.19, v6.0–v6.18');
});

test('every switch row names a commit (12 hex digits) or says why not, and rows run oldest first', () => {
  for (const r of SWITCHES) {
    assert.ok(
      r.commit ? /^[0-9a-f]{12}$/.test(r.commit) : !!r.unpinned,
      `${r.subject}: commit or unpinned`,
    );
    assert.ok(r.where.length > 0 && r.subject.length > 0);
  }
  assert.deepEqual(
    SWITCHES.map((r) => r.release),
    [...SWITCHES.map((r) => r.release)].sort((a, b) => a - b),
  );
});

test('a release between two rows has the older row and not the newer one', () => {
  for (const row of SWITCHES) {
    const [feature, value] = Object.entries(row.set)[0];
    const before = modelledReleases()
      .filter((c) => c < row.release)
      .pop();
    const at = resolved(`${Math.floor(row.release / 100)}.${row.release % 100}`, row.arches?.[0]);
    assert.equal(
      at.features[feature as keyof typeof at.features],
      value,
      `${feature} at ${at.release.name}`,
    );
    if (before === undefined) continue;
    const prev = resolved(`${Math.floor(before / 100)}.${before % 100}`, row.arches?.[0]);
    const earlier = prev.rows.filter((r) => feature in r.set).pop();
    assert.ok(!prev.rows.includes(row), `${row.subject} is not in ${prev.release.name}`);
    if (!earlier) continue;
    assert.equal(
      prev.features[feature as keyof typeof prev.features],
      earlier.set[feature as keyof typeof earlier.set],
    );
  }
});

test('a preset is its release plus overrides; the switches name where each value comes from', () => {
  const missing = resolved('v4.20-missing-ref');
  assert.equal(missing.release.name, 'v4.20');
  assert.equal(missing.features.zoneDeviceInit, 'deferred-missing-ref');
  const sources = featureSources(missing);
  assert.equal(sources.find((s) => s.feature === 'zoneDeviceInit')?.override, true);
  assert.equal(sources.find((s) => s.feature === 'deviceInitLog')?.row?.commit, '966cf44f637e');
  assert.equal(sources.find((s) => s.feature === 'hotplugUnit')?.row, undefined, 'as in v4.18');
});

test('memmap-lab variants --at prints the switches of a release with their commits; a bad release is an error', () => {
  const out: string[] = [];
  const err: string[] = [];
  assert.equal(
    main(
      ['variants', '--at', '6.1.0-56-amd64', '--arch', 'x86_64'],
      (s) => out.push(s),
      (s) => err.push(s),
    ),
    0,
  );
  const text = out.join('\n');
  assert.match(text, /^6\.1\.0-56-amd64: upstream v6\.1 on x86_64/);
  assert.match(text, /zoneDeviceInit +deferred +v4\.20 966cf44f637e/);
  assert.notEqual(
    main(
      ['variants', '--at', '6.30'],
      () => {},
      (s) => err.push(s),
    ),
    0,
  );
  assert.match(err.join('\n'), /v6\.30 is newer than the last release modelled \(v6\.18\)/);
});
