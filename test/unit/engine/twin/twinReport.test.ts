import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../../helpers';
import { main } from '../../../../src/cli/main';
import { EXIT } from '../../../../src/cli/exitCodes';
import { commandSections } from '../../../../src/engine/twin/report';
import { twinScenario } from '../../../../src/engine/twin/twin';
import { parseRecording, sectionsNamed, type Recording } from '../../../kernel/recording';

// A sosreport or supportconfig as input: the files of a real-kernel recording (kmem.txt, after
// `daxctl reconfigure-device --mode=system-ram --no-online`) laid out where sos and supportconfig
// put them (sos/report/plugins/{kernel,pmem,numa}.py with sos's command-name mangling;
// supportutils bin/supportconfig's `#==[ Command ]` sections in boot.txt, memory.txt and the
// pmem plugin's pmem.txt). The layout is ours, the contents are the kernel's and the tools'.
const kernels = join(ROOT, 'test/fixtures/kernels');
const release = readdirSync(kernels).sort().at(-1)!;
const rec = parseRecording(readFileSync(join(kernels, release, 'kmem.txt'), 'utf8'));
const numactl = readFileSync(join(ROOT, 'test/fixtures/machines/numactl-two-node-vm.txt'), 'utf8');

function section(r: Recording, name: string): string {
  return sectionsNamed(r, name).find((x) => x.label === undefined || x.label === 'reconfigured')!
    .body;
}

function lay(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function twin(argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    ['twin', ...argv],
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const SOS = 'sosreport-qemu-2026-12-03-abcdefg';
const sosFiles = {
  'version.txt': 'sosreport: 4.8.0\n',
  'sos_commands/kernel/dmesg': section(rec, 'dmesg'),
  'proc/iomem': section(rec, 'iomem'),
  'sos_commands/pmem/ndctl_list_-vvv': section(rec, 'ndctl'),
  'sos_commands/pmem/daxctl_list_-iDR': section(rec, 'daxctl'),
  'sos_commands/numa/numactl_--hardware': numactl,
};

test('twin of a sosreport folder and its .tar/.tar.gz: the same scenario as from the files, cited by their path in the report', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'twin-sos-'));
  try {
    const root = join(tmp, SOS);
    lay(root, sosFiles);
    // A link out of the report is passed over, never followed.
    symlinkSync('/etc/passwd', join(root, 'sos_commands/kernel/dmesg_-T'));
    const direct = twinScenario(
      Object.entries(sosFiles)
        .slice(1)
        .map(([path, text]) => ({ file: `${SOS}/${path}`, text })),
    );
    assert.deepEqual(direct.warnings, []);
    execFileSync('tar', ['--format=pax', '-cf', join(tmp, `${SOS}.tar`), '-C', tmp, SOS]);
    execFileSync('tar', ['--format=pax', '-czf', join(tmp, `${SOS}.tar.gz`), '-C', tmp, SOS]);
    for (const input of [tmp, join(tmp, `${SOS}.tar`), join(tmp, `${SOS}.tar.gz`), root]) {
      const out = join(tmp, 'm.memmap.yaml');
      const r = twin([input, '-o', out]);
      assert.equal(r.code, EXIT.ok.code, r.err);
      assert.equal(r.err, '');
      // The same scenario but for the report's name (the folder's, or the archive's) in the citations.
      const same = (t: string) =>
        t
          .split('\n')
          .filter((l) => !/^(# memmap-lab twin|name:)/.test(l))
          .join('\n')
          .replace(/[\w.-]+\/(sos_commands|proc)\//g, 'R/$1/');
      assert.equal(same(readFileSync(out, 'utf8')), same(direct.scenario), input);
      assert.match(r.out, /\/sos_commands\/kernel\/dmesg as dmesg, .*\/proc\/iomem as iomem/);
    }
    const text = readFileSync(join(tmp, 'm.memmap.yaml'), 'utf8');
    assert.match(
      text,
      new RegExp(
        `kernel: ${release.replace(/[+.]/g, '\\$&')} {2}# ${SOS}/sos_commands/kernel/dmesg:1 "Linux version`,
      ),
    );
    assert.match(
      text,
      /reconfigure: \{ device: namespace0\.0, mode: system-ram, online: none \} {2}# sosreport-\S+\/sos_commands\/pmem\/daxctl_list_-iDR:\d+/,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('twin of a supportconfig folder: its #==[ Command ] sections, each value cited by its line in the .txt', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'twin-scc-'));
  try {
    const header = '#==[ Command ]======================================#';
    // supportconfig runs `dmesg -T`: the boot-relative stamps become wall-clock ones.
    const dmesgT = section(rec, 'dmesg').replace(
      /^\[\s*(\d+)\.\d+\]/gm,
      (_, s: string) =>
        `[Thu Dec  3 10:${String(Math.min(59, Number(s))).padStart(2, '0')}:00 2026]`,
    );
    const boot = [
      header,
      '# /usr/bin/uname -a',
      'Linux qemu 6.12.0 #1 SMP x86_64 GNU/Linux',
      '',
      header,
      '# /usr/bin/dmesg -T',
      dmesgT,
      '',
    ].join('\n');
    const memory = [
      '#==[ Configuration File ]===========================#',
      '# /proc/meminfo',
      'MemTotal: 2000000 kB',
      '',
      header,
      '# /usr/bin/numactl --hardware',
      numactl,
    ].join('\n');
    const pmem = [
      header,
      'ndctl list -vvv',
      section(rec, 'ndctl'),
      '',
      header,
      'daxctl list -iDR',
      section(rec, 'daxctl'),
      '',
    ].join('\n');
    const root = join(tmp, 'scc_qemu_261203_1000');
    lay(root, {
      'basic-environment.txt': 'x\n',
      'boot.txt': boot,
      'memory.txt': memory,
      'pmem.txt': pmem,
    });
    assert.deepEqual(
      commandSections(boot).map((s) => s.command),
      ['/usr/bin/uname -a', '/usr/bin/dmesg -T'],
    );
    const out = join(tmp, 'm.memmap.yaml');
    const r = twin([root, '-o', out]);
    assert.equal(r.code, EXIT.ok.code, r.err);
    assert.equal(r.err, '', `the sections agree: no warnings (${r.out})`);
    const text = readFileSync(out, 'utf8');
    const linuxLine = boot.split('\n').findIndex((l) => /Linux version/.test(l)) + 1;
    assert.match(
      text,
      new RegExp(
        `^kernel: \\S+ {2}# scc_qemu_261203_1000/boot\\.txt:${linuxLine} "\\[Thu Dec  3 10:00:00 2026\\] Linux version`,
        'm',
      ),
    );
    assert.match(
      text,
      /online: none \} {2}# scc_qemu_261203_1000\/pmem\.txt:\d+ "mode":"system-ram"/,
    );
    // The run is compared with boot.txt's dmesg section, lines cited as in boot.txt.
    const cited = [...r.out.matchAll(/machine scc_qemu_261203_1000\/boot\.txt:(\d+): (.*)/g)];
    assert.ok(cited.length > 0, r.out);
    for (const [, n, line] of cited) {
      assert.ok(boot.split('\n')[Number(n) - 1].endsWith(line), `boot.txt:${n} is "${line}"`);
    }
    assert.match(
      r.out,
      /boot\.txt as dmesg, .*memory\.txt as numactl, .*pmem\.txt as ndctl, .*pmem\.txt as daxctl/,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('twin of a report: xz and other compressions, damaged archives and empty folders are clear errors', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'twin-bad-'));
  try {
    writeFileSync(
      join(tmp, 'sosreport.tar.xz'),
      Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]),
    );
    writeFileSync(join(tmp, 'junk.tar'), Buffer.alloc(1024, 7));
    lay(join(tmp, 'src', SOS), sosFiles);
    execFileSync('tar', ['-cf', join(tmp, 'whole.tar'), '-C', join(tmp, 'src'), SOS]);
    writeFileSync(join(tmp, 'cut.tar'), readFileSync(join(tmp, 'whole.tar')).subarray(0, 3000));
    mkdirSync(join(tmp, 'empty'));
    const cases: [string, RegExp][] = [
      [
        'sosreport.tar.xz',
        /sosreport\.tar\.xz: xz-compressed: only \.tar and \.tar\.gz are read here; unpack it \(tar -xf sosreport\.tar\.xz\)/,
      ],
      ['junk.tar', /junk\.tar: not a tar archive \(bad header checksum at byte 0\)/],
      ['cut.tar', /cut\.tar: cut short: an entry at byte \d+ runs past the end/],
      ['empty', /empty: no input the twin reads is in it/],
    ];
    for (const [name, message] of cases) {
      const r = twin([join(tmp, name), '-o', join(tmp, 'out.memmap.yaml')]);
      assert.notEqual(r.code, EXIT.ok.code, name);
      assert.match(r.err, message, name);
      assert.doesNotMatch(r.err, /internal error/);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
