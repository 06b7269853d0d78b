import * as vscode from 'vscode';
import { isCostName, type CostName } from '../engine/cost/profile';
import { isKernelName } from '../engine/kernel/presets';
import { parseDuration } from '../engine/units';
import type { RunSettings, TraceDetail } from '../protocol/worker';

/** Every `memmapLab.*` setting, read and checked in one place (package.json declares them). */
export interface Settings extends RunSettings {
  /** A kernel (preset or release) to run scenarios with instead of their own `kernel:`; undefined: their own. */
  defaultVariant?: string;
}

const SECTION = 'memmapLab';

/** Typed access to the settings, and one event when any of them changes. */
export class Config implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly listener = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) this.changed.fire();
  });

  get settings(): Settings {
    const c = vscode.workspace.getConfiguration(SECTION);
    const variant = c.get<string>('defaultVariant', '').trim();
    const threshold = c.get<string>('longLockThreshold', '').trim();
    const detail = c.get<string>('traceDetail', 'full');
    return {
      defaultVariant: variant && isKernelName(variant) ? variant : undefined,
      costOverrides: costOverrides(c.get<Record<string, unknown>>('costOverrides', {})),
      longLockThresholdNs: threshold ? parseDuration(threshold) : undefined,
      traceDetail: (['full', 'spans'] as TraceDetail[]).includes(detail as TraceDetail)
        ? (detail as TraceDetail)
        : 'full',
    };
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}

/** Known cost names with non-negative numbers; anything else is ignored (the schema flags it). */
function costOverrides(raw: Record<string, unknown>): Partial<Record<CostName, number>> {
  const out: Partial<Record<CostName, number>> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (isCostName(name) && typeof value === 'number' && Number.isFinite(value) && value >= 0)
      out[name] = value;
  }
  return out;
}
