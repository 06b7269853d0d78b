import type { TwinInput } from './source';
import { inputKind, type InputKind } from './twin';

/**
 * Where a sosreport keeps an input: files it copies at their own path, and command output under
 * sos_commands/<plugin>/<command> (sos/report/plugins/__init__.py _mangle_command(): every run of
 * characters outside [\w.-/] becomes "_", "/" becomes "."). Plugins: kernel (dmesg), memory
 * (lsmem), numa (numactl), pmem (ndctl, daxctl). Best first within a kind.
 */
const SOS_FILES: [InputKind, RegExp][] = [
  ['dmesg', /^sos_commands\/kernel\/dmesg$/],
  ['dmesg', /^var\/log\/dmesg$/],
  ['dmesg', /^sos_commands\/kernel\/dmesg_-T$/],
  ['iomem', /^proc\/iomem$/],
  ['ndctl', /^sos_commands\/(pmem|nvdimm)\/ndctl_list_-vvv$/],
  ['ndctl', /^sos_commands\/(pmem|nvdimm)\/ndctl_list_-iBDFHMNRX$/],
  ['daxctl', /^sos_commands\/(pmem|nvdimm)\/daxctl_list_-iDR$/],
  ['daxctl', /^sos_commands\/(pmem|nvdimm)\/daxctl_list$/],
  ['memory', /^sos_commands\/memory\/lsmem_-a_-o_\S+$/],
  ['memory', /^sos_commands\/memory\/lsmem\S*$/],
  ['numactl', /^sos_commands\/numa\/numactl_--hardware$/],
];

/**
 * supportconfig (openSUSE/supportutils bin/supportconfig): one .txt per area, each command's
 * output under a `#==[ Command ]===…#` line and a `# /path/to/command args` line. boot.txt holds
 * `dmesg -T` and the journal of the boot, memory.txt `numactl --hardware`, the pmem plugin's
 * pmem.txt `ndctl list -vvv` and `daxctl list -iDR`. supportconfig does not collect /proc/iomem.
 */
const SUPPORTCONFIG_SECTIONS: [InputKind, string, RegExp][] = [
  ['dmesg', 'boot.txt', /^(\S*\/)?dmesg -T$/],
  ['dmesg', 'boot.txt', /^(\S*\/)?journalctl --no-pager --boot=0\b/],
  ['numactl', 'memory.txt', /^(\S*\/)?numactl --hardware$/],
  ['ndctl', 'pmem.txt', /^(\S*\/)?ndctl list -vvv$/],
  ['daxctl', 'pmem.txt', /^(\S*\/)?daxctl list -iDR$/],
  ['daxctl', 'pmem.txt', /^(\S*\/)?daxctl list$/],
];

/** A file of a report as the reader found it: its path inside the report, and its text. */
export interface ReportFile {
  path: string;
  text: string;
}

/** The paths, relative to a report's top folder, that hold a twin input: the reader reads only these. */
export function isReportInput(path: string): boolean {
  return (
    SOS_FILES.some(([, re]) => re.test(path)) ||
    SUPPORTCONFIG_SECTIONS.some(([, file]) => file === path)
  );
}

/**
 * The twin's inputs in a sosreport or supportconfig: per kind, the first candidate (in the order
 * of the tables above) whose text is of that kind; a boot log must hold the boot ("Linux version"),
 * as the ring buffer of a machine up for months has lost it. Each input keeps its path in the
 * report and, for a supportconfig section, its line numbers in the .txt file.
 */
export function reportInputs(report: string, files: ReportFile[]): TwinInput[] {
  const candidates: { kind: InputKind; input: TwinInput }[] = [];
  for (const [kind, re] of SOS_FILES) {
    for (const f of files.filter((x) => re.test(x.path)))
      candidates.push({ kind, input: { file: `${report}/${f.path}`, text: f.text } });
  }
  for (const [kind, file, command] of SUPPORTCONFIG_SECTIONS) {
    const f = files.find((x) => x.path === file);
    for (const s of f ? commandSections(f.text) : []) {
      if (command.test(s.command))
        candidates.push({
          kind,
          input: { file: `${report}/${file}`, text: s.text, lineOffset: s.lineOffset },
        });
    }
  }
  const out: TwinInput[] = [];
  for (const kind of new Set(candidates.map((c) => c.kind))) {
    const fits = candidates.filter(
      (c) => c.kind === kind && c.input.text.trim() !== '' && safeKind(c.input) === kind,
    );
    const best =
      kind === 'dmesg'
        ? (fits.find((c) => /Linux version /.test(c.input.text)) ?? fits[0])
        : fits[0];
    if (best) out.push(best.input);
  }
  return out;
}

function safeKind(input: TwinInput): InputKind | undefined {
  try {
    return inputKind(input);
  } catch {
    return undefined;
  }
}

/** supportconfig's `#==[ Command ]…` sections: the command (without "# ") and its output, with where the output starts. */
export function commandSections(
  text: string,
): { command: string; text: string; lineOffset: number }[] {
  const lines = text.split('\n');
  const out: { command: string; text: string; lineOffset: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^#==\[ Command \]=+#?\s*$/.test(lines[i]) || i + 1 >= lines.length) continue;
    let end = i + 2;
    while (end < lines.length && !/^#==\[ .* \]=+#?\s*$/.test(lines[end])) end++;
    out.push({
      command: lines[i + 1].replace(/^#\s*/, '').trim(),
      text: lines.slice(i + 2, end).join('\n'),
      lineOffset: i + 2,
    });
  }
  return out;
}
