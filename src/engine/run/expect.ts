import type { Expectation, Problem, Span } from '../scenario/model';
import { lockStats } from '../trace/lockStats';
import { formatNs } from '../units';
import { resolvePfn } from '../steps/stepRun';
import { inspectPfn } from './inspect';
import { deferredInitNs, deviceInitNs } from './measure';
import { deviceFailure } from './failures';
import type { RunResult } from './runScenario';

export interface ExpectationResult {
  index: number;
  span: Span;
  pass: boolean;
  /** What was expected and what the run gave. */
  message: string;
  /** What is checked, in a few words ("time pmem0 init"): the Testing view's name for it. */
  title: string;
  /** The title with the run's values beside the bounds ("time pmem0 init 24.55 s < 30 s"). */
  verdict: string;
}

type Checked = Omit<ExpectationResult, 'index' | 'span'>;

/** Checks the scenario's `expect:` block against a run and the diagnostics it produced. */
export function checkExpectations(run: RunResult, diagnostics: Problem[]): ExpectationResult[] {
  return run.scenario.expect.map((e) => ({
    index: e.index,
    span: e.span,
    ...check(run, diagnostics, e),
  }));
}

/** One bound beside its measured value: `shown` in the verdict, `fail` (when broken) in the message. */
interface Bound {
  shown: string;
  fail?: string;
}

/** A measured duration that must stay below (or above) `limit`. */
function duration(name: string, ns: number, limit: number, side: 'below' | 'above'): Bound {
  const ok = side === 'below' ? ns < limit : ns > limit;
  const op = side === 'below' ? (ok ? '<' : '≥') : ok ? '>' : '≤';
  const shown = `${name ? `${name} ` : ''}${formatNs(ns)} ${op} ${formatLimit(limit)}`;
  return {
    shown,
    fail: ok
      ? undefined
      : `${name ? `max ${name} ${formatNs(ns)}, ` : ''}expected ${side} ${formatNs(limit)}`,
  };
}

/** A bound as its author wrote it: "30 s", not "30.00 s". */
function formatLimit(ns: number): string {
  return formatNs(ns).replace(/\.(\d*?)0+ /, (_, d: string) => (d ? `.${d} ` : ' '));
}

/** A value against the expected one: "refcount 1", or "refcount 2 ≠ 1" when they differ. */
function equal(name: string, got: string, want: string): Bound {
  if (got === want) return { shown: `${name} ${got}` };
  return { shown: `${name} ${got} ≠ ${want}`, fail: `${name} ${got}, expected ${want}` };
}

/** The verdict of bounds: the title with each bound's value; the message lists the broken ones. */
function judged(
  title: string,
  bounds: Bound[],
  failed: (fails: string) => string,
  passed: string,
): Checked {
  const fails = bounds.flatMap((b) => (b.fail ? [b.fail] : []));
  const verdict = `${title} ${bounds.map((b) => b.shown).join(', ')}`.trim();
  return {
    pass: fails.length === 0,
    message: fails.length ? failed(fails.join('; ')) : passed,
    title,
    verdict,
  };
}

function check(run: RunResult, diagnostics: Problem[], e: Expectation): Checked {
  switch (e.kind) {
    case 'diagnostic': {
      const found = diagnostics.filter((d) => d.code === e.code);
      const title = `${e.present ? '' : 'no '}${e.code}`;
      if (e.present) {
        const message = found.length
          ? `${e.code} reported`
          : `expected diagnostic ${e.code}, got none (got: ${codes(diagnostics)})`;
        return {
          pass: found.length > 0,
          message,
          title,
          verdict: found.length ? title : `${title}: none reported`,
        };
      }
      const message = found.length
        ? `expected no ${e.code}, got: ${found[0].message}`
        : `no ${e.code}`;
      return {
        pass: found.length === 0,
        message,
        title,
        verdict: found.length ? `${title}: ${found.length} reported` : title,
      };
    }
    case 'lock': {
      const rows = lockStats(run.trace).filter((r) => r.name === e.name);
      const title = `lock ${e.name}`;
      if (rows.length === 0)
        return {
          pass: false,
          message: `lock ${e.name} was never taken`,
          title,
          verdict: `${title}: never taken`,
        };
      const hold = Math.max(...rows.map((r) => r.holdMaxNs));
      const wait = Math.max(...rows.map((r) => r.waitMaxNs));
      const contentions = rows.reduce((n, r) => n + r.contentions, 0);
      const bounds: Bound[] = [];
      if (e.maxHoldBelow !== undefined)
        bounds.push(duration('hold', hold, e.maxHoldBelow, 'below'));
      if (e.maxWaitBelow !== undefined)
        bounds.push(duration('wait', wait, e.maxWaitBelow, 'below'));
      if (e.contentionsAtMost !== undefined) {
        const ok = contentions <= e.contentionsAtMost;
        const fail = ok
          ? undefined
          : `${contentions} contentions, expected at most ${e.contentionsAtMost}`;
        bounds.push({
          shown: `${contentions} contentions ${ok ? '≤' : '>'} ${e.contentionsAtMost}`,
          fail,
        });
      }
      if (!bounds.length) bounds.push({ shown: `hold ${formatNs(hold)}, wait ${formatNs(wait)}` });
      return judged(
        title,
        bounds,
        (f) => `${e.name}: ${f}`,
        `${e.name}: max hold ${formatNs(hold)}, max wait ${formatNs(wait)}`,
      );
    }
    case 'page': {
      const dev = e.pfn.device ? run.devices.find((d) => d.spec.name === e.pfn.device) : undefined;
      const pfn = resolvePfn(run.geometry, e.pfn, dev);
      const p = inspectPfn(run, pfn, e.afterStep);
      const title = `page ${e.pfn.relative ? `${e.pfn.device}+${e.pfn.value}` : `0x${pfn.toString(16)}`}`;
      const bounds: Bound[] = [];
      if (e.refcount !== undefined)
        bounds.push(equal('refcount', `${p.refcount}`, `${e.refcount}`));
      if (e.mapcount !== undefined)
        bounds.push(equal('mapcount', `${p.mapcount}`, `${e.mapcount}`));
      if (e.zone !== undefined) bounds.push(equal('zone', p.zone ?? 'none', e.zone));
      if (e.initialised !== undefined) {
        const ok = (p.memmap === 'initialised') === e.initialised;
        const fail = `memmap ${p.memmap}, expected ${e.initialised ? 'initialised' : 'not initialised'}`;
        bounds.push({ shown: `memmap ${p.memmap}`, fail: ok ? undefined : fail });
      }
      if (e.flags !== undefined)
        bounds.push(
          equal(
            'flags',
            `[${[...p.flags].sort().join(',')}]`,
            `[${[...e.flags].sort().join(',')}]`,
          ),
        );
      const why =
        bounds.some((b) => b.fail) && e.pfn.device ? whyNotProbed(run, e.pfn.device) : undefined;
      if (why) bounds.push({ shown: `(${e.pfn.device} not probed)`, fail: why });
      return judged(
        title,
        bounds,
        (f) => `pfn 0x${pfn.toString(16)}: ${f}`,
        `pfn 0x${pfn.toString(16)} as expected`,
      );
    }
    case 'time': {
      const what = e.device
        ? `${e.device} init`
        : e.node !== undefined
          ? `node ${e.node} deferred init`
          : 'total';
      const title = `time ${what}`;
      const notProbed = e.device && whyNotProbed(run, e.device);
      if (notProbed)
        return {
          pass: false,
          message: `${what} has no time: ${notProbed}`,
          title,
          verdict: `${title}: not probed`,
        };
      const ns = e.device
        ? deviceInitNs(run, e.device)
        : e.node !== undefined
          ? deferredInitNs(run, e.node)
          : run.trace.endNs;
      const bounds: Bound[] = [];
      if (e.below !== undefined) bounds.push(duration('', ns, e.below, 'below'));
      if (e.above !== undefined) bounds.push(duration('', ns, e.above, 'above'));
      if (!bounds.length) bounds.push({ shown: formatNs(ns) });
      return judged(
        title,
        bounds,
        (f) => `${what} took ${formatNs(ns)}, ${f.replace(/; /g, ', ')}`,
        `${what} took ${formatNs(ns)}`,
      );
    }
  }
}

/** Why a device has no init to measure: its probe failed (in the kernel's words), or no step probed it. */
function whyNotProbed(run: RunResult, device: string): string | undefined {
  const failure = deviceFailure(run, device);
  if (failure) return `${device} did not probe: ${failure.cause.text}`;
  // run.steps holds one status per scenario step, in the same order.
  const probed = run.scenario.steps.some((st, i) => {
    const status = st.op === 'probe' && st.devices.includes(device) ? run.steps[i] : undefined;
    // A probe step that failed for another of its devices still probed this one.
    return (
      status &&
      (status.outcome === 'ok' || (status.devicesFailed && !status.devicesFailed.includes(device)))
    );
  });
  return probed ? undefined : `${device} was not probed in this run`;
}

function codes(ds: Problem[]): string {
  return ds.length ? [...new Set(ds.map((d) => d.code))].join(', ') : 'nothing';
}
