import type { FeatureName, KernelFeatures } from './features';
import { modelledReleases, parseRelease, type Release } from './release';
import { BASE, SWITCHES, type SwitchRow } from './switches';
import { versionName } from './version';

/**
 * A named kernel: a release with a story, or a patch experiment from the threads (a release plus
 * overrides). Any other release (`6.12`, `v6.8.9`, `6.1.0-56-amd64`) resolves through the switch
 * table without a preset.
 */
export interface KernelPreset {
  name: string;
  summary: string;
  /** Where the behaviour comes from: a commit or a lore thread. */
  source: string;
  /** The release it is. */
  release: string;
  /** Features that differ from the release: the patch or what-if. */
  overrides?: Partial<KernelFeatures>;
}

export const KERNEL_PRESETS: readonly KernelPreset[] = [
  {
    name: 'v4.18',
    release: 'v4.18',
    source: 'kernel/memremap.c before 966cf44f637e',
    summary:
      'ZONE_DEVICE pages initialised under mem_hotplug_lock, then a per-page pgmap/percpu_ref loop',
  },
  {
    name: 'v4.20',
    release: 'v4.20',
    source:
      '966cf44f637e (lore: "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap", 2018)',
    summary: 'memmap_init_zone_device() outside the hotplug lock; nodes initialise in parallel',
  },
  {
    name: 'v4.20-missing-ref',
    release: 'v4.20',
    overrides: { zoneDeviceInit: 'deferred-missing-ref' },
    source:
      'lore: "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap", v5, as first merged',
    summary: 'the deferral without percpu_ref_get: the ref underflows at teardown and it hangs',
  },
  {
    name: 'v4.20-pageblock',
    release: 'v4.20',
    overrides: { memmapInit: 'pageblock', deferredInitLoop: 'maxorder' },
    source: 'lore: "[mm PATCH v5 0/7] Deferred page init improvements" (2018)',
    summary: 'v4.20 plus pageblock-at-a-time struct page init',
  },
  {
    name: 'v5.3',
    release: 'v5.3',
    source:
      'sub-section hotplug series (lore: "mm/sparsemem: introduce struct mem_section_usage", 2019)',
    summary: '2 MiB sub-section hotplug, subsection_map, no section padding',
  },
  {
    name: 'v5.10',
    release: 'v5.10',
    source: 'v5.10',
    summary: '"memmap_init_zone_device initialised" log line, padata deferred init',
  },
  {
    name: 'v5.17',
    release: 'v5.17',
    source: 'c4386bd8ee3a',
    summary:
      'compound ZONE_DEVICE pages (vmemmap_shift); every struct page written, no vmemmap tail reuse yet',
  },
  {
    name: 'v6.1',
    release: 'v6.1',
    source: 'v6.1',
    summary:
      'PRIVATE/COHERENT pages idle at refcount 0 (ef233450898f); teardown by percpu_ref_put_many since v5.18',
  },
  {
    name: 'v6.4',
    release: 'v6.4',
    source:
      '87a7ae75d738 (lore: "mm/vmemmap/devdax: Fix kernel crash when probing devdax devices", 2023)',
    summary: 'vmemmap optimisation is arch opt-in (ARCH_WANT_OPTIMIZE_VMEMMAP)',
  },
  {
    name: 'latest',
    release: 'v6.17',
    source: 'mainline as of v6.17',
    summary: 'fs-dax folios refcounted from 0, hot-added RAM marked Offline, fixed misaligned WARN',
  },
  {
    name: 'hotplug-lock-rwsem',
    release: 'v4.18',
    overrides: { hotplugLock: 'rwsem-init-read' },
    source:
      'the lock-scope debate in the review of "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (never merged)',
    summary: 'what-if: v4.18 with the memmap init under mem_hotplug_lock held for read',
  },
  {
    name: 'hotplug-lock-range',
    release: 'v4.18',
    overrides: { hotplugLock: 'range' },
    source:
      'the lock-scope debate in the review of "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (never merged)',
    summary: 'what-if: v4.18 with a range lock instead of the global mem_hotplug_lock',
  },
];

export function findKernel(name: string): KernelPreset | undefined {
  return KERNEL_PRESETS.find((k) => k.name === name);
}

/** A kernel name resolved to its features, with the rows that made them. */
export interface ResolvedKernel {
  /** The name as given (a preset or a release). */
  name: string;
  release: Release;
  preset?: KernelPreset;
  features: KernelFeatures;
  /** The rows applied, oldest first. */
  rows: readonly SwitchRow[];
}

/** The switch rows that apply to `code` on `arch` (only the arch-independent ones when undefined), oldest first. */
export function rowsUpTo(code: number, arch?: string): SwitchRow[] {
  return SWITCHES.filter(
    (r) => r.release <= code && (!r.arches || (arch !== undefined && r.arches.includes(arch))),
  );
}

/** A preset or any modelled release, as features (per arch where a row is per arch); or why not. */
export function resolveKernel(name: string, arch?: string): ResolvedKernel | { error: string } {
  const preset = findKernel(name);
  const parsed = parseRelease(preset?.release ?? name);
  if ('error' in parsed) return { error: parsed.error };
  const rows = rowsUpTo(parsed.release.code, arch);
  const features: KernelFeatures = { ...BASE, version: versionName(parsed.release.code) };
  for (const r of rows) Object.assign(features, r.set);
  return {
    name,
    release: parsed.release,
    preset,
    features: { ...features, ...preset?.overrides },
    rows,
  };
}

/** The features of a preset or release, or undefined when it names no modelled kernel. */
export function kernelFeatures(name: string, arch?: string): KernelFeatures | undefined {
  const k = resolveKernel(name, arch);
  return 'error' in k ? undefined : k.features;
}

/** One feature of a resolved kernel and the row that set it (none: as in the oldest release). */
export interface FeatureSource {
  feature: FeatureName;
  value: KernelFeatures[FeatureName];
  row?: SwitchRow;
  /** Set by the preset's overrides (a patch or what-if), not by a release. */
  override?: true;
}

/** Each feature of a resolved kernel with the commit it comes from: for `variants --at` and hovers. */
export function featureSources(k: ResolvedKernel): FeatureSource[] {
  return (Object.keys(k.features) as FeatureName[])
    .filter((f) => f !== 'version')
    .map((feature) => {
      const override =
        k.preset?.overrides && feature in k.preset.overrides ? (true as const) : undefined;
      const row = [...k.rows].reverse().find((r) => feature in r.set);
      return { feature, value: k.features[feature], row, override };
    });
}

/** Whether `name` is a preset or a modelled release (as users write them). */
export function isKernelName(name: string): boolean {
  return !('error' in resolveKernel(name));
}

/** Every name a picker offers: the presets, then each modelled release that is not one, newest first. */
export function kernelChoices(): string[] {
  const presets = KERNEL_PRESETS.map((k) => k.name);
  return [
    ...presets,
    ...modelledReleases()
      .reverse()
      .map(versionName)
      .filter((n) => !presets.includes(n)),
  ];
}
