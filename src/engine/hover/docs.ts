import { findArch } from '../arch/presets';
import { COST_DOCS, DEFAULT_COSTS, isCostName } from '../cost/profile';
import { FEATURE_VALUES, type FeatureName } from '../kernel/features';
import { findKernel, KERNEL_PRESETS } from '../kernel/presets';
import { findRule } from '../rules';
import { STEP_DOCS } from '../scenario/steps';
import { formatSize } from '../units';

export function presetMarkdown(name: string): string | undefined {
  const k = findKernel(name);
  if (!k) return undefined;
  const features = Object.entries(k.features).map(([f, v]) => `| \`${f}\` | \`${v}\` |`);
  return [`**kernel ${k.name}** — ${k.summary}`, '', `source: ${k.source}`, '', '| feature | value |', '|---|---|', ...features].join('\n');
}

export function archMarkdown(name: string): string | undefined {
  const a = findArch(name);
  if (!a) return undefined;
  const sections = a.sectionBits.map((s) => `${formatSize(2 ** s.bits)}${s.until ? ` before v${Math.floor(s.until / 100)}.${s.until % 100}` : ''}`).join(', ');
  return [
    `**${a.name}** — ${formatSize(a.pageSize)} pages, ${sections} sections, 2 MiB sub-sections`,
    '',
    `pageblock order ${a.pageblockOrder} · memremap_compat_align ${formatSize(a.compatAlign)} · vmemmap tail reuse ${a.optimizeVmemmap ? 'allowed (ARCH_WANT_OPTIMIZE_VMEMMAP)' : '**not allowed**'}`,
    ...(a.note ? ['', a.note] : []),
  ].join('\n');
}

/** A diagnostic code: what it means and the kernel source it comes from. */
export function ruleMarkdown(code: string): string | undefined {
  const r = findRule(code);
  return r && [`**${r.code}** (${r.severity}) — ${r.title}`, '', r.doc, '', `source: ${r.source}`].join('\n');
}

export function featureMarkdown(name: string, preset: string): string | undefined {
  if (!(name in FEATURE_VALUES)) return undefined;
  const allowed = FEATURE_VALUES[name as FeatureName];
  const value = findKernel(preset)?.features[name as FeatureName];
  const where = KERNEL_PRESETS.filter((k) => k.features[name as FeatureName] === value).map((k) => k.name);
  return [
    `**kernel feature \`${name}\`** — ${allowed === 'string' ? 'any string' : allowed.map((v) => `\`${v}\``).join(' | ')}`,
    '',
    `${preset} has \`${value}\` (so do: ${where.join(', ')})`,
  ].join('\n');
}

export function costMarkdown(name: string): string | undefined {
  if (!isCostName(name)) return undefined;
  return `**cost \`${name}\`** — ${COST_DOCS[name]}\n\ndefault: ${DEFAULT_COSTS[name]} ns`;
}

export function stepMarkdown(op: string): string | undefined {
  const doc = (STEP_DOCS as Record<string, string>)[op];
  return doc && `**step \`${op}\`** — ${doc}`;
}
