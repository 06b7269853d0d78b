import { ARCH_PRESETS, findArch } from '../engine/arch/presets';
import { FEATURE_VALUES, type FeatureName, type KernelFeatures } from '../engine/kernel/features';
import {
  featureSources,
  kernelFeatures,
  KERNEL_PRESETS,
  resolveKernel,
} from '../engine/kernel/presets';
import { FIRST_RELEASE, LAST_RELEASE } from '../engine/kernel/release';
import { versionName } from '../engine/kernel/version';
import { formatSize } from '../engine/units';
import { CliError, type Args } from './args';

/** `--feature name=value` (repeatable) on top of the preset. */
export function featureOverrides(args: Args): Partial<KernelFeatures> {
  const out: Record<string, unknown> = {};
  for (const item of args.options.get('--feature')?.split(',') ?? []) {
    const [name, raw] = item.split('=');
    const allowed = Object.hasOwn(FEATURE_VALUES, name)
      ? FEATURE_VALUES[name as FeatureName]
      : undefined;
    if (!allowed)
      throw new CliError(
        `unknown feature '${name}' (known: ${Object.keys(FEATURE_VALUES).join(', ')})`,
      );
    const value =
      raw === 'true' ? true : raw === 'false' ? false : /^\d+$/.test(raw ?? '') ? Number(raw) : raw;
    if (allowed !== 'string' && !(allowed as readonly unknown[]).includes(value))
      throw new CliError(`feature ${name} takes ${(allowed as readonly unknown[]).join(' | ')}`);
    out[name] = value;
  }
  return out as Partial<KernelFeatures>;
}

/**
 * memmap-lab variants: the presets (stories and what-ifs) with their summaries; with `--at <release>`
 * (and `--arch`), the switches a release or preset resolves to and the commit of each.
 */
export function variantsCommand(args: Args, out: (s: string) => void): number {
  const at = args.options.get('--at');
  if (at !== undefined) return switchesAt(at, args, out);
  const presets = KERNEL_PRESETS.map((p) => ({ ...p, features: kernelFeatures(p.name) }));
  if (args.flags.has('--json')) out(JSON.stringify(presets, null, 2));
  else
    for (const k of KERNEL_PRESETS)
      out(
        `${k.name.padEnd(20)} ${k.summary}\n${''.padEnd(20)} ${k.release}${k.overrides ? ' + ' + JSON.stringify(k.overrides) : ''}; source: ${k.source}`,
      );
  if (!args.flags.has('--json'))
    out(
      `\nAny release from ${versionName(FIRST_RELEASE)} to ${versionName(LAST_RELEASE)} works too (6.12, v5.14.21, 6.1.0-56-amd64): memmap-lab variants --at <release>`,
    );
  return 0;
}

function switchesAt(name: string, args: Args, out: (s: string) => void): number {
  const arch = args.options.get('--arch');
  if (arch !== undefined && !findArch(arch))
    throw new CliError(`--arch ${arch}: unknown arch (see memmap-lab arches)`);
  const k = resolveKernel(name, arch);
  if ('error' in k) throw new CliError(`--at ${name}: ${k.error}`);
  const sources = featureSources(k);
  if (args.flags.has('--json')) {
    out(JSON.stringify({ name, release: k.release, arch, features: k.features, sources }, null, 2));
    return 0;
  }
  out(
    `${name}: ${k.preset ? `preset on ${k.release.name} — ${k.preset.summary}` : `upstream ${k.release.name}`}${arch ? ` on ${arch}` : ''}`,
  );
  if (k.release.note) out(k.release.note);
  for (const s of sources) {
    const since = s.override
      ? 'this preset'
      : s.row
        ? `${versionName(s.row.release)} ${s.row.commit ?? '(commit not pinned)'} ${s.row.subject}`
        : `as in ${versionName(FIRST_RELEASE)}`;
    out(`  ${s.feature.padEnd(22)} ${String(s.value).padEnd(30)} ${since}`);
  }
  const unsure = k.rows.filter((r) => r.unpinned);
  if (unsure.length)
    out(
      `\nUncertain (commit not pinned):\n${unsure.map((r) => `  ${versionName(r.release)} ${r.subject}: ${r.unpinned}`).join('\n')}`,
    );
  return 0;
}

export function archesCommand(args: Args, out: (s: string) => void): number {
  const rows = ARCH_PRESETS.map((a) => ({
    ...a,
    vmemmapBase: '0x' + a.vmemmapBase.toString(16),
  }));
  if (args.flags.has('--json')) out(JSON.stringify(rows, null, 2));
  else
    for (const a of ARCH_PRESETS) {
      const sections = a.sectionBits
        .map(
          (s) =>
            `${formatSize(2 ** s.bits)}${s.until ? ` before v${Math.floor(s.until / 100)}.${s.until % 100}` : ''}`,
        )
        .join(', ');
      out(
        `${a.name.padEnd(12)} page ${formatSize(a.pageSize).padEnd(7)} section ${sections}; pageblock order ${a.pageblockOrder}; DAX vmemmap optimisation in ${versionName(LAST_RELEASE)} ${kernelFeatures(versionName(LAST_RELEASE), a.name)?.archVmemmapOpt ? 'yes' : 'no'}${a.note ? ` (${a.note})` : ''}`,
      );
    }
  return 0;
}
