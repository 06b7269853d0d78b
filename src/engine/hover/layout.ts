import type { ScenarioKernel } from '../editor/context';
import { layoutNamespace, type NamespaceLayout } from '../state/namespace';
import { layoutNodes, placeDevices } from '../run/layout';
import type { DeviceSpec, Scenario } from '../scenario/model';
import type { NodeLayout } from '../state/machine';

/** Where a device sits before anything runs: its placed byte ranges and, for a namespace, its layout. */
export interface StaticDevice {
  spec: DeviceSpec;
  /** The kernel's name for it (pfn0.0, dax0.0). */
  devName: string;
  placed: { start: number; end: number }[];
  layout?: NamespaceLayout;
}

/**
 * The machine and devices as `ndctl create-namespace` would lay them out, without running the
 * scenario: the same placement and nd_pfn_init() arithmetic the run uses.
 */
export function staticLayout(
  s: Scenario,
  k: ScenarioKernel,
): { nodes: NodeLayout[]; devices: StaticDevice[] } {
  const nodes = layoutNodes(s);
  const placed = placeDevices(s, nodes).devices;
  const ram = nodes.flatMap((n) => n.ram.map((r): [number, number] => [r.start, r.end]));
  const devices = placed.map((d): StaticDevice => {
    const spec = d.spec;
    if (spec.kind !== 'namespace') return { spec, devName: d.devName, placed: d.placed };
    const [{ start, end }] = d.placed;
    const neighbours = [
      ...ram,
      ...placed
        .filter((o) => o !== d)
        .flatMap((o) => o.placed.map((p): [number, number] => [p.start, p.end])),
    ];
    const result = layoutNamespace(k.g, {
      devName: d.nsName ?? d.devName,
      start,
      size: end - start,
      align: spec.align,
      map: spec.map,
      sectionUnit: k.features.hotplugUnit === 'section',
      compatCheck: k.features.compatAlignCheck,
      neighbours,
    });
    return {
      spec,
      devName: d.devName,
      placed: d.placed,
      layout: result.ok ? result.layout : undefined,
    };
  });
  return { nodes, devices };
}
