import { findArch } from '../arch/presets';
import { COST_DOCS, DEFAULT_COSTS, isCostName } from '../cost/profile';
import { FEATURE_VALUES, type FeatureName } from '../kernel/features';
import {
  featureSources,
  kernelFeatures,
  KERNEL_PRESETS,
  resolveKernel,
  type FeatureSource,
} from '../kernel/presets';
import { FIRST_RELEASE, LAST_RELEASE } from '../kernel/release';
import { versionName } from '../kernel/version';
import { findRule } from '../rules';
import { stepDoc } from '../steps';
import { formatSize } from '../units';

/** The hover on `kernel:`: the release it resolves to and every switch with its commit. */
export function kernelMarkdown(name: string, arch?: string): string | undefined {
  const k = resolveKernel(name, arch);
  if ('error' in k) return undefined;
  const head = k.preset
    ? `**kernel ${k.name}** (${k.release.name}) — ${k.preset.summary}`
    : `**kernel ${k.release.name}**`;
  const rows = featureSources(k).map(
    (s) => `| \`${s.feature}\` | \`${s.value}\` | ${sourceText(s)} |`,
  );
  const unsure = k.rows.some((r) => r.unpinned);
  return [
    head,
    '',
    ...(k.release.note ? [k.release.note, ''] : []),
    ...(k.preset ? [`source: ${k.preset.source}`, ''] : []),
    `| feature | value | since |`,
    '|---|---|---|',
    ...rows,
    ...(unsure
      ? [
          '',
          '(?) the commit of this row is not pinned: the behaviour is uncertain around that release',
        ]
      : []),
  ].join('\n');
}

function sourceText(s: FeatureSource): string {
  if (s.override) return 'this preset (patch or what-if)';
  if (!s.row) return `${versionName(FIRST_RELEASE)} or earlier`;
  const r = s.row;
  return `${versionName(r.release)}${r.commit ? ` ${r.commit}` : ' (?)'} ${r.subject}`;
}

export function archMarkdown(name: string): string | undefined {
  const a = findArch(name);
  if (!a) return undefined;
  const sections = a.sectionBits
    .map(
      (s) =>
        `${formatSize(2 ** s.bits)}${s.until ? ` before v${Math.floor(s.until / 100)}.${s.until % 100}` : ''}`,
    )
    .join(', ');
  return [
    `**${a.name}** — ${formatSize(a.pageSize)} pages, ${sections} sections, 2 MiB sub-sections`,
    '',
    `pageblock order ${a.pageblockOrder} · memremap_compat_align ${formatSize(a.compatAlign)} · DAX vmemmap tail reuse in ${versionName(LAST_RELEASE)} ${kernelFeatures(versionName(LAST_RELEASE), a.name)?.archVmemmapOpt ? 'allowed (ARCH_WANT_OPTIMIZE_DAX_VMEMMAP)' : '**not allowed**'}`,
    ...(a.note ? ['', a.note] : []),
  ].join('\n');
}

/** A diagnostic code: what it means and the kernel source it comes from. */
export function ruleMarkdown(code: string): string | undefined {
  const r = findRule(code);
  return (
    r &&
    [`**${r.code}** (${r.severity}) — ${r.title}`, '', r.doc, '', `source: ${r.source}`].join('\n')
  );
}

export function featureMarkdown(name: string, kernel: string, arch?: string): string | undefined {
  if (!(name in FEATURE_VALUES)) return undefined;
  const allowed = FEATURE_VALUES[name as FeatureName];
  const value = kernelFeatures(kernel, arch)?.[name as FeatureName];
  const where = KERNEL_PRESETS.filter(
    (k) => kernelFeatures(k.name, arch)?.[name as FeatureName] === value,
  ).map((k) => k.name);
  return [
    `**kernel feature \`${name}\`** — ${allowed === 'string' ? 'any string' : allowed.map((v) => `\`${v}\``).join(' | ')}`,
    '',
    `${kernel} has \`${value}\` (so do: ${where.join(', ')})`,
  ].join('\n');
}

export function costMarkdown(name: string): string | undefined {
  if (!isCostName(name)) return undefined;
  return `**cost \`${name}\`** — ${COST_DOCS[name]}\n\ndefault: ${DEFAULT_COSTS[name]} ns`;
}

export function stepMarkdown(op: string): string | undefined {
  const doc = stepDoc(op);
  return doc && `**step \`${op}\`** — ${doc}`;
}
