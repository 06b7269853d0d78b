/**
 * The text format of a kernel recording (test/fixtures/kernels/<uname -r>/<experiment>.txt):
 * sections, each opened by a line `==== <name> ====` or `==== <name> @ <label> ====`.
 * The first section is `header` (`key: value` lines), then `script` (the experiment as the guest
 * ran it), `qemu-monitor` (what the host typed into QEMU's monitor), then what the guest wrote:
 * `uname`, `output`, per snapshot `iomem`/`meminfo`/`zoneinfo`/`memory`/`ndctl`/`ndctl-u`/
 * `daxctl`/`daxctl-u` at a label, optionally `trace-setup` and `trace`, then `dmesg`, and last an
 * empty `end` (a recording cut short lacks it).
 */

export interface RecordingSection {
  name: string;
  /** The snapshot label after `@` (e.g. `end`, `online`), or undefined. */
  label?: string;
  /** 1-based line number of the section's `====` line. */
  line: number;
  body: string;
}

export interface Recording {
  header: Map<string, string>;
  sections: RecordingSection[];
}

const SECTION = /^==== (\S+)(?: @ (\S+))? ====$/;

export class RecordingError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseRecording(text: string): Recording {
  const lines = text.split('\n');
  const sections: RecordingSection[] = [];
  let open: { name: string; label?: string; line: number; body: string[] } | undefined;
  const close = (): void => {
    if (open)
      sections.push({
        name: open.name,
        label: open.label,
        line: open.line,
        body: open.body.join('\n'),
      });
  };
  lines.forEach((text, i) => {
    const m = SECTION.exec(text);
    if (m) {
      close();
      open = { name: m[1], label: m[2], line: i + 1, body: [] };
    } else if (open) {
      open.body.push(text);
    } else if (text !== '') {
      throw new RecordingError('text before the first "==== header ====" line', i + 1);
    }
  });
  close();
  const first = sections[0];
  if (!first || first.name !== 'header')
    throw new RecordingError('the recording does not start with "==== header ===="', 1);
  const header = new Map<string, string>();
  first.body.split('\n').forEach((text, i) => {
    if (text === '') return;
    const at = text.indexOf(': ');
    if (at <= 0)
      throw new RecordingError(
        `header line is not "key: value": ${JSON.stringify(text)}`,
        first.line + 1 + i,
      );
    header.set(text.slice(0, at), text.slice(at + 2));
  });
  return { header, sections };
}

export function sectionsNamed(rec: Recording, name: string): RecordingSection[] {
  return rec.sections.filter((s) => s.name === name);
}

export interface Experiment {
  name: string;
  script: string;
}

/** experiments.txt: blocks opened by `## <name>`; each block is a shell snippet /init sources. */
export function parseExperiments(text: string): Experiment[] {
  const out: Experiment[] = [];
  let cur: { name: string; lines: string[] } | undefined;
  text.split('\n').forEach((line, i) => {
    const m = /^## (\S+)\s*$/.exec(line);
    if (m) {
      if (!/^[a-z0-9][a-z0-9.-]*$/.test(m[1]))
        throw new Error(
          `experiments.txt:${i + 1}: experiment names are lower-case words and dashes: ${m[1]}`,
        );
      if (cur) out.push({ name: cur.name, script: cur.lines.join('\n').trim() + '\n' });
      cur = { name: m[1], lines: [] };
    } else if (cur) {
      cur.lines.push(line);
    }
  });
  if (cur) out.push({ name: cur.name, script: cur.lines.join('\n').trim() + '\n' });
  return out;
}
