import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { ROOT } from './helpers';

function cli(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const example = (name: string) => join(ROOT, 'examples', `${name}.memmap.yaml`);

test('run --json has the documented fields', () => {
  const r = cli('run', example('three-tib-per-node'), '--json');
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.deepEqual(Object.keys(s).sort(), ['arch', 'counters', 'diagnostics', 'dmesg', 'expectations', 'locks', 'nodes', 'scenario', 'steps', 'totalNs', 'variant'].sort());
  assert.equal(s.variant, 'v4.20');
  assert.deepEqual(Object.keys(s.nodes[0].devices[0]).sort(), ['initNs', 'name', 'pages', 'probeNs', 'state']);
  assert.ok(s.locks.some((l: { name: string }) => l.name === 'mem_hotplug_lock'));
  for (const key of ['structPagesInitialised', 'structPageWrites', 'vmemmapPages', 'paddingBytes']) assert.equal(typeof s.counters[key], 'number', key);
  assert.ok(s.dmesg.some((l: string) => /^\[\s+\d+\.\d{6}\] pfn0\.0 initialised, 792722944 pages in \d+ms$/.test(l)));
});

test('run --trace writes Chrome trace JSON with thread names and spans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-'));
  const trace = join(dir, 'sub', 't.json');
  assert.equal(cli('run', example('three-tib-per-node'), '--trace', trace).code, 0);
  const events = JSON.parse(readFileSync(trace, 'utf8')).traceEvents as { ph: string; name: string; args?: { name?: string } }[];
  assert.ok(events.some((e) => e.ph === 'M' && e.args?.name === 'probe/0:pmem0'));
  assert.ok(events.some((e) => e.ph === 'X' && e.name === 'memmap_init_zone_device'));
});

test('run exits 1 when an expectation fails, with the expectation in the output', () => {
  const r = cli('run', example('three-tib-per-node'), '--variant', 'v4.18');
  assert.equal(r.code, 1);
  assert.match(r.out, /FAIL line \d+: time pmem0 init — pmem0 init took 44\.\d+ s, expected below 30\.00 s/);
});

test('check prints file:line:col: severity code: message', () => {
  const r = cli('check', example('missing-ref-regression'));
  assert.equal(r.code, 1);
  assert.match(r.out, new RegExp(`^${example('missing-ref-regression').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:16:5: error pgmap-ref-underflow: percpu ref \\(blk_queue_usage_counter_release\\) <= 0 \\(-\\d+\\) after switching to atomic`, 'm'));
});

test('a scenario with mistakes: every problem as file:line:col, exit 2, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-'));
  const file = join(dir, 'bad.memmap.yaml');
  writeFileSync(file, 'name: bad\narch: x86_46\nkernel: v4.20\nmachine:\n  nodes: [{ ram: 1GiB }]\n');
  const r = cli('check', file);
  assert.equal(r.code, 2);
  assert.equal(r.err, `${file}:2:7: error scenario-schema: unknown arch 'x86_46'; did you mean 'x86_64'?; expected one of x86_64, arm64, arm64-64k, ppc64-radix, ppc64-hash, s390x, riscv64, loongarch64 (suggestion: x86_64)`);
  assert.match(cli('run', join(dir, 'missing.yaml')).err, /cannot read .*missing\.yaml: ENOENT/);
});

test('inspect --json: the struct page with flags by name', () => {
  const r = cli('inspect', example('three-tib-per-node'), '--pfn', '0x6c00200', '--after-step', '1', '--json');
  assert.equal(r.code, 0, r.err);
  const p = JSON.parse(r.out);
  assert.deepEqual([p.flags, p.refcount, p.zone, p.nid, p.pgmap.device, p.pgmap.type, p.pfnValid, p.pfnToOnlinePage], [['reserved'], 1, 'Device', 0, 'pmem0', 'fsdax', true, false]);
  assert.equal(p.vmemmap.on, 'altmap');
  assert.equal(p.initialisedBy, 'memmap_init_zone_device');
  const human = cli('inspect', example('three-tib-per-node'), '--pfn', '0x6c00200', '--after-step', '1').out;
  assert.match(human, /pfn_valid: true\s+pfn_to_online_page: NULL/);
});

test('variants and arches list the presets', () => {
  const v = JSON.parse(cli('variants', '--json').out) as { name: string }[];
  assert.deepEqual(v.map((x) => x.name), ['v4.18', 'v4.20', 'v4.20-missing-ref', 'v4.20-pageblock', 'v5.3', 'v5.10', 'v5.17', 'v6.1', 'v6.4', 'latest', 'hotplug-lock-rwsem', 'hotplug-lock-range']);
  assert.match(cli('arches').out, /^ppc64-hash\s+page 64 KiB\s+section 16 MiB.*DAX vmemmap optimisation in v6\.18 no/m);
});

test('--feature overrides a preset feature; a wrong one is a usage error', () => {
  const r = cli('run', example('three-tib-per-node'), '--variant', 'v4.18', '--feature', 'hotplugLock=range', '--json');
  const s = JSON.parse(r.out);
  const write = s.locks.find((l: { name: string; mode: string }) => l.name === 'mem_hotplug_lock' && l.mode === 'write');
  assert.equal(write.contentions, 0, 'a range lock lets the two nodes proceed');
  assert.match(cli('run', example('three-tib-per-node'), '--feature', 'hotplugLock=sometimes').err, /feature hotplugLock takes global \| rwsem-init-read \| range/);
});

test('bad options and missing cost profiles are clear errors, exit 2', () => {
  assert.match(cli('run', example('three-tib-per-node'), '--variant', 'v4.2').err, /^--variant 'v4\.2': v4\.2 is older than the first release modelled \(v4\.18\)/);
  assert.match(cli('run', example('three-tib-per-node'), '--until-step', 'abc').err, /--until-step abc: expected a step number/);
  const dir = mkdtempSync(join(tmpdir(), 'memmap-'));
  const file = join(dir, 'c.memmap.yaml');
  writeFileSync(file, readFileSync(example('three-tib-per-node'), 'utf8').replace('cost: default', 'cost: ./nowhere.cost.json'));
  const r = cli('run', file);
  assert.equal(r.code, 2);
  assert.match(r.err, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error scenario-schema: cannot read cost profile ./nowhere.cost.json: ENOENT`));
  // A scenario is data: its cost profile is looked up in its own folder tree, never outside it.
  writeFileSync(join(dir, '..', 'outside.cost.json'), '{ "name": "outside", "costs": {} }');
  for (const path of ['../outside.cost.json', join(dir, '..', 'outside.cost.json')]) {
    writeFileSync(file, readFileSync(example('three-tib-per-node'), 'utf8').replace('cost: default', `cost: ${path}`));
    const out = cli('run', file);
    assert.equal(out.code, 2, path);
    assert.match(out.err, /error scenario-schema: cost profile .* is outside the scenario's folder/, path);
  }
});
