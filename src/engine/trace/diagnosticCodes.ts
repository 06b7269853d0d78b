/**
 * Every diagnostic code, in one table: the rules' (rules/), the parser's, and the kernel events
 * that are evidence of one (emulated printk, an imported log's recognised message). Rules, trace
 * events, the importer and the comparison all take a `DiagnosticCode`, so a typo is a compile
 * error rather than a rule that never fires.
 */
export type DiagnosticCode =
  | 'altmap-leak'
  | 'binary-size-unit'
  | 'devdax-align'
  | 'expect-failed'
  | 'hung-task'
  | 'invalid-altmap'
  | 'invalid-step'
  | 'leaked-pgmap-ref'
  | 'long-hotplug-lock-hold'
  | 'memmap-on-memory-unused'
  | 'memory-offline-failed'
  | 'memory-still-online'
  | 'misaligned-memory-block'
  | 'misaligned-subsection'
  | 'mixed-region'
  | 'namespace-align-unsatisfiable'
  | 'namespace-misaligned'
  | 'pfn-out-of-range'
  | 'pgmap-ref-underflow'
  | 'probe-failed'
  | 'range-overlap'
  | 'reserved-dax-pages'
  | 'scenario-schema'
  | 'scenario-syntax'
  | 'section-already-deactivated'
  | 'section-conflict'
  | 'section-padding'
  | 'struct-page-too-big'
  | 'vmemmap-opt-disabled'
  | 'vmemmap-opt-unsupported'
  | 'zero-refcount-get-page';
