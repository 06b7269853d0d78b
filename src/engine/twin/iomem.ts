import { inputLines, TwinInputError, type SourcedRange, type TwinInput } from './source';

/** A named resource of /proc/iomem. */
export interface IomemResource extends SourcedRange {
  name: string;
  /** devdax: the dax device's resource that holds the rest of the namespace. */
  dax?: SourcedRange;
}

/** What /proc/iomem says: it names no NUMA node for any range. */
export interface IomemFacts {
  /** Top-level "System RAM" (kernel/resource.c; firmware RAM and hot-added memory alike). */
  ram: SourcedRange[];
  /** "Persistent Memory" (e820 type 7, or an NFIT SPA range) and "Persistent Memory (legacy)" (type 12). */
  pmem: SourcedRange[];
  /**
   * The namespaces in a pmem range. fsdax: nd_pmem claims the whole namespace under its name;
   * devdax: drivers/dax/pmem.c __dax_pmem_probe() claims only the info block and memmap under the
   * namespace's name and the dax device (daxX.Y) claims the data after it, so the namespace runs to the end of its dax device.
   */
  namespaces: IomemResource[];
  /** True when every address reads 0: iomem read without CAP_SYS_ADMIN. */
  zeroed: boolean;
}

const LINE = /^( *)([0-9a-f]+)-([0-9a-f]+) : (.+)$/;

/** Reads /proc/iomem text. */
export function readIomem(input: TwinInput): IomemFacts {
  const facts: IomemFacts = { ram: [], pmem: [], namespaces: [], zeroed: true };
  const parents: string[] = [];
  let resources = 0;
  for (const from of inputLines(input)) {
    if (from.text.trim() === '') continue;
    const m = LINE.exec(from.text);
    if (!m)
      throw new TwinInputError(
        input.file,
        `not a /proc/iomem line ("start-end : name"): ${JSON.stringify(from.text.slice(0, 80))}`,
        from.line,
      );
    resources++;
    const depth = m[1].length / 2;
    const r = { start: parseInt(m[2], 16), end: parseInt(m[3], 16) + 1, from };
    if (r.start !== 0 || r.end !== 1) facts.zeroed = false;
    parents[depth] = m[4];
    if (depth === 0 && m[4] === 'System RAM') facts.ram.push(r);
    else if (depth === 0 && /^Persistent Memory( \(legacy\))?$/.test(m[4])) facts.pmem.push(r);
    else if (
      depth === 1 &&
      /^Persistent Memory/.test(parents[0]) &&
      /^namespace\d+\.\d+$/.test(m[4])
    )
      facts.namespaces.push({ ...r, name: m[4] });
    else if (depth === 1 && /^Persistent Memory/.test(parents[0]) && /^dax\d+\.\d+$/.test(m[4])) {
      // The namespace listed just before it; kmem (drivers/dax/kmem.c) may leave a gap between the
      // two, as it shrinks the dax device's range inward to memory blocks.
      const ns = facts.namespaces.at(-1);
      if (ns && !ns.dax && ns.end <= r.start) {
        ns.dax = r;
        ns.end = r.end;
      }
    }
  }
  if (resources === 0) throw new TwinInputError(input.file, 'empty: no /proc/iomem lines');
  if (facts.zeroed)
    throw new TwinInputError(
      input.file,
      'every address is 0: /proc/iomem was read without root (CAP_SYS_ADMIN); read it as root',
    );
  return facts;
}
