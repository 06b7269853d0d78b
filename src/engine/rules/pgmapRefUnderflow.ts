import { kernelEventRule } from './kernelEvent';

export default kernelEventRule({
  code: 'pgmap-ref-underflow',
  severity: 'error',
  title: 'pgmap percpu_ref dropped below zero',
  doc: 'Teardown put more references than the probe took: the v5 deferral as first merged lost the percpu_ref_get_many() after memmap_init_zone_device(), so the per-page put_page() at teardown drives the count negative and the switch to atomic WARNs; teardown then hangs (lore: "mm: Defer ZONE_DEVICE page initialization to the point where we init pgmap" (2018)).',
  source: 'lib/percpu-refcount.c: percpu_ref_switch_to_atomic_rcu(); mm/memremap.c',
});
