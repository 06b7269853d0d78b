import type { RunResult } from '../run/runScenario';
import { inspectPfn, pfnHistory, type PageInfo } from '../run/inspect';
import { pfnToSection } from '../mm/sparse';
import { hex } from '../units';

/** The inspector's answer for one pfn: its struct page, where it sits, and its history. */
export interface PageModel {
  /** What the user typed. */
  text: string;
  pfn: number;
  section: number;
  /** The struct page after `afterStep` (undefined: at the end of the run). */
  page: PageInfo;
  /** The struct page after every step that ran, for the scrubber. */
  history: PageInfo[];
  /** `device+offset` for a pfn among a probed device's data pages. */
  deviceOffset?: { device: string; offset: string };
  /**
   * The pfns whose struct pages share this pfn's vmemmap page (a 4 KiB page holds 64 of them on
   * x86): fixed by the vmemmap's address arithmetic, whether or not the page is populated.
   */
  vmemmapSharers: { first: string; last: string; count: number };
}

export type PageAnswer = PageModel | { text: string; error: string };

/** `memmap-lab inspect` for the inspector: a resolved pfn with its history and neighbours. */
export function pageModel(
  run: RunResult,
  text: string,
  pfn: number,
  afterStep?: number,
): PageAnswer {
  const g = run.geometry;
  const maxPfn = Math.floor(2 ** 52 / g.pageSize);
  if (!Number.isSafeInteger(pfn) || pfn < 0 || pfn >= maxPfn)
    return { text, error: `pfn ${text} is outside the ${g.arch} physical address space` };
  const page = inspectPfn(run, pfn, afterStep);
  // Offsets count from the first data pfn, as `device+offset` does; the altmap before it has none.
  const dev = run.devices.find(
    (d) =>
      d.pgmap &&
      pfn >= d.pgmap.pfnFirst &&
      d.pgmap.ranges.some((r) => pfn >= r.start && pfn < r.end),
  );
  const per = g.structPagesPerVmemmapPage;
  const first = Math.floor(pfn / per) * per;
  return {
    text,
    pfn,
    section: pfnToSection(g, pfn),
    page,
    history: pfnHistory(run, pfn),
    deviceOffset: dev?.pgmap
      ? { device: dev.spec.name, offset: hex(pfn - dev.pgmap.pfnFirst) }
      : undefined,
    vmemmapSharers: { first: hex(first), last: hex(first + per - 1), count: per },
  };
}
