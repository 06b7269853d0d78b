import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers';
import {
  parseExperiments,
  parseRecording,
  RecordingError,
  sectionsNamed,
  type Recording,
} from '../kernel/recording';

// The recordings of real kernels (test/kernel/record.ts): well-formed, complete, and recorded from
// the experiments that test/kernel/experiments.txt lists now.
const dir = join(ROOT, 'test/fixtures/kernels');
const experiments = parseExperiments(
  readFileSync(join(ROOT, 'test/kernel/experiments.txt'), 'utf8'),
);
const kernels = existsSync(dir) ? readdirSync(dir).sort() : [];
const SNAPSHOT = [
  'iomem',
  'meminfo',
  'zoneinfo',
  'memory',
  'ndctl',
  'ndctl-u',
  'daxctl',
  'daxctl-u',
];

/** The problems a recording has; empty when it is whole. */
function problems(rec: Recording, release: string, experiment: string): string[] {
  const out: string[] = [];
  const h = rec.header;
  if (!/^linux-image-\S+ \S+$/.test(h.get('kernel-package') ?? ''))
    out.push(`kernel-package is ${JSON.stringify(h.get('kernel-package'))}`);
  if (h.get('uname-r') !== release)
    out.push(`uname-r ${h.get('uname-r')} is not the folder's ${release}`);
  if (h.get('experiment') !== experiment)
    out.push(`experiment ${h.get('experiment')} is not the file's ${experiment}`);
  if (!h.get('qemu-command')?.startsWith('qemu-system-x86_64 ')) out.push('no qemu-command');
  const uname = sectionsNamed(rec, 'uname')[0]?.body.trim().split(/\s+/)[2];
  if (uname !== release) out.push(`the guest's uname -r is ${uname}`);
  const output = sectionsNamed(rec, 'output')[0]?.body.trimEnd() ?? '';
  if (!/\[experiment exit \d+\]$/.test(output))
    out.push("output does not end with the experiment's exit status");
  for (const name of SNAPSHOT)
    if (!rec.sections.some((s) => s.name === name && s.label === 'end'))
      out.push(`no "${name} @ end" section`);
  for (const s of [...sectionsNamed(rec, 'ndctl'), ...sectionsNamed(rec, 'daxctl')]) {
    if (s.name === 'ndctl' && s.body.trim() === '') out.push(`empty ndctl at line ${s.line}`);
    if (s.body.trim() === '') continue;
    try {
      JSON.parse(s.body);
    } catch (e) {
      out.push(`${s.name} @ ${s.label} at line ${s.line} is not JSON: ${(e as Error).message}`);
    }
  }
  const dmesg = sectionsNamed(rec, 'dmesg')[0]?.body ?? '';
  if (!dmesg.includes(`Linux version ${release} `))
    out.push('dmesg lacks the "Linux version" line of this kernel');
  const lines = dmesg.split('\n').filter(Boolean);
  const bad = lines.find((l) => !/^\[\s*\d+\.\d{6}\] /.test(l));
  if (bad !== undefined) out.push(`dmesg line without a timestamp: ${JSON.stringify(bad)}`);
  for (const t of sectionsNamed(rec, 'trace'))
    if (!t.body.startsWith('# tracer: function_graph'))
      out.push('trace is not a function_graph trace');
  const last = rec.sections.at(-1);
  if (last?.name !== 'end') out.push('the last section is not "end": the recording was cut short');
  return out;
}

test('kernel recordings exist for two release lines', () => {
  assert.ok(
    kernels.some((k) => k.startsWith('6.1.')),
    `no 6.1 recordings in ${dir}`,
  );
  assert.ok(
    kernels.some((k) => k.startsWith('6.12.')),
    `no 6.12 recordings in ${dir}`,
  );
});

for (const release of kernels) {
  test(`kernel ${release}: one whole recording per experiment, of the experiment as listed now`, () => {
    const files = readdirSync(join(dir, release)).filter((f) => f.endsWith('.txt'));
    assert.deepEqual(
      files.map((f) => f.slice(0, -4)).sort(),
      experiments.map((e) => e.name).sort(),
      're-record with npm run record:kernels',
    );
    for (const e of experiments) {
      const text = readFileSync(join(dir, release, `${e.name}.txt`), 'utf8');
      assert.ok(text.length < 1024 * 1024, `${e.name}.txt is ${text.length} bytes`);
      const rec = parseRecording(text);
      assert.deepEqual(problems(rec, release, e.name), [], `${release}/${e.name}.txt`);
      assert.equal(
        sectionsNamed(rec, 'script')[0]?.body.trimEnd(),
        e.script.trimEnd(),
        `${e.name}: recorded from another version of the experiment`,
      );
    }
  });
}

test('a recording cut short is told apart from a whole one', () => {
  const release = kernels[0];
  const name = experiments[0].name;
  const text = readFileSync(join(dir, release, `${name}.txt`), 'utf8');
  assert.deepEqual(problems(parseRecording(text), release, name), []);
  const cutInDmesg = text.slice(0, text.indexOf('==== dmesg ====') + 2000);
  assert.ok(
    problems(parseRecording(cutInDmesg), release, name).includes(
      'the last section is not "end": the recording was cut short',
    ),
  );
  const ndctl = text.indexOf('==== ndctl @ end ====');
  const cutInJson = text.slice(0, ndctl + 60) + text.slice(text.indexOf('==== ndctl-u @ end ===='));
  assert.ok(
    problems(parseRecording(cutInJson), release, name).some(
      (p) => p.startsWith('ndctl @ end at line') && p.includes('is not JSON'),
    ),
  );
});

test('a recording that does not open with its header is refused at line 1', () => {
  assert.throws(
    () => parseRecording('Linux version 6.1.0\n==== dmesg ====\n'),
    (e: unknown) => e instanceof RecordingError && e.line === 1,
  );
  assert.throws(
    () => parseRecording('==== header ====\nuname-r 6.1\n'),
    /line 2: header line is not "key: value"/,
  );
});
