import { ARCH_PRESETS } from '../engine/arch/presets';
import { FEATURE_VALUES, type FeatureName, type KernelFeatures } from '../engine/kernel/features';
import { KERNEL_PRESETS } from '../engine/kernel/presets';
import { formatSize } from '../engine/units';
import { CliError, type Args } from './args';

/** `--feature name=value` (repeatable) on top of the preset. */
export function featureOverrides(args: Args): Partial<KernelFeatures> {
  const out: Record<string, unknown> = {};
  for (const item of args.options.get('--feature')?.split(',') ?? []) {
    const [name, raw] = item.split('=');
    const allowed = Object.hasOwn(FEATURE_VALUES, name) ? FEATURE_VALUES[name as FeatureName] : undefined;
    if (!allowed) throw new CliError(`unknown feature '${name}' (known: ${Object.keys(FEATURE_VALUES).join(', ')})`);
    const value = raw === 'true' ? true : raw === 'false' ? false : /^\d+$/.test(raw ?? '') ? Number(raw) : raw;
    if (allowed !== 'string' && !(allowed as readonly unknown[]).includes(value)) throw new CliError(`feature ${name} takes ${(allowed as readonly unknown[]).join(' | ')}`);
    out[name] = value;
  }
  return out as Partial<KernelFeatures>;
}

export function variantsCommand(args: Args, out: (s: string) => void): number {
  if (args.flags.has('--json')) out(JSON.stringify(KERNEL_PRESETS, null, 2));
  else for (const k of KERNEL_PRESETS) {
    out(`${k.name.padEnd(20)} ${k.summary}\n${''.padEnd(20)} source: ${k.source}`);
    out(Object.entries(k.features).map(([n, v]) => `${''.padEnd(22)}${n}: ${v}`).join('\n'));
  }
  return 0;
}

export function archesCommand(args: Args, out: (s: string) => void): number {
  const rows = ARCH_PRESETS.map((a) => ({
    ...a, vmemmapBase: '0x' + a.vmemmapBase.toString(16),
  }));
  if (args.flags.has('--json')) out(JSON.stringify(rows, null, 2));
  else for (const a of ARCH_PRESETS) {
    const sections = a.sectionBits.map((s) => `${formatSize(2 ** s.bits)}${s.until ? ` before v${Math.floor(s.until / 100)}.${s.until % 100}` : ''}`).join(', ');
    out(`${a.name.padEnd(12)} page ${formatSize(a.pageSize).padEnd(7)} section ${sections}; pageblock order ${a.pageblockOrder}; vmemmap optimisation ${a.optimizeVmemmap ? 'yes' : 'no'}${a.note ? ` (${a.note})` : ''}`);
  }
  return 0;
}
