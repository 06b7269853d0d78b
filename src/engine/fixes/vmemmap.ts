import { isMap, type Document, type Node } from 'yaml';
import { SWITCHES } from '../kernel/switches';
import { versionName } from '../kernel/version';
import type { Problem, Scenario } from '../scenario/model';
import { deviceAt, scenarioKernel } from '../editor/context';
import { mapAt, pairAtPath, pairOf } from '../editor/locate';
import { formatSize } from '../units';
import {
  deletePair,
  formatLike,
  replaceScalar,
  setField,
  type QuickFix,
  type TextEdit,
} from './edits';

/**
 * vmemmap-opt-unsupported (lore: "mm/vmemmap/devdax: Fix kernel crash when probing devdax devices" (2023)): v5.19 (4917f55b4ef9) to v6.3 reused tail vmemmap pages on every arch, and
 * ppc64 hash faults in memmap_init_zone_device(). Ways out: no compound pages (drop
 * vmemmap_shift, or devdax align = PAGE_SIZE), the memmap on the device (map: dev, an altmap
 * disables the optimisation), or a kernel with 87a7ae75d738 (v6.4: arch opt-in).
 */
export function vmemmapFixes(text: string, doc: Document, s: Scenario, p: Problem): QuickFix[] {
  const dev = deviceAt(s, p.span);
  const map = dev && mapAt(doc, dev.span.offset);
  const fixes: QuickFix[] = [];
  const add = (title: string, edit: TextEdit | undefined, preferred = false) =>
    edit && fixes.push({ title, edits: [edit], preferred });
  if (dev?.kind === 'pgmap' && map) {
    const shift = pairOf(map, 'vmemmap_shift');
    if (shift)
      add(
        `Drop vmemmap_shift from ${dev.name} (no compound pages)`,
        deletePair(text, map, shift),
        true,
      );
  }
  if (dev?.kind === 'namespace' && map) {
    const k = scenarioKernel(s);
    add(
      `Put ${dev.name}'s memmap on the device (map: dev)`,
      setField(text, map, 'map', 'dev'),
      true,
    );
    const align = pairOf(map, 'align')?.value;
    if (k) {
      const page = align
        ? formatLike(String((align as { source?: string }).source ?? ''), k.g.pageSize)
        : formatSize(k.g.pageSize).replace(' ', '');
      add(
        `Align ${dev.name} to PAGE_SIZE (align: ${page}, no compound pages)`,
        setField(text, map, 'align', page),
      );
    }
  }
  const fixed = SWITCHES.find((r) => r.set.vmemmapOptimize === 'arch-opt-in');
  const release = fixed && versionName(fixed.release);
  if (release && release !== s.kernel.name)
    add(
      `Switch the kernel to ${release} (vmemmap optimisation is arch opt-in)`,
      presetEdit(text, doc, release),
    );
  return fixes;
}

/** Replaces the kernel: `kernel: v5.19` or `kernel: { preset: v5.19, … }`. */
export function presetEdit(text: string, doc: Document, preset: string): TextEdit | undefined {
  const kernel = pairAtPath(doc, ['kernel'])?.value as Node | null | undefined;
  const node = isMap(kernel) ? pairOf(kernel, 'preset')?.value : kernel;
  return replaceScalar(text, node, preset, text.trimStart().startsWith('{'));
}
