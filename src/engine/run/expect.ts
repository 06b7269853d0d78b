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
  /** One-line title for the Testing view / CodeLens. */
  title: string;
}

/** Checks the scenario's `expect:` block against a run and the diagnostics it produced. */
export function checkExpectations(run: RunResult, diagnostics: Problem[]): ExpectationResult[] {
  return run.scenario.expect.map((e) => {
    const [pass, message, title] = check(run, diagnostics, e);
    return { index: e.index, span: e.span, pass, message, title };
  });
}

function check(run: RunResult, diagnostics: Problem[], e: Expectation): [boolean, string, string] {
  switch (e.kind) {
    case 'diagnostic': {
      const found = diagnostics.filter((d) => d.code === e.code);
      const title = `${e.present ? '' : 'no '}${e.code}`;
      if (e.present) return [found.length > 0, found.length ? `${e.code} reported` : `expected diagnostic ${e.code}, got none (got: ${codes(diagnostics)})`, title];
      return [found.length === 0, found.length ? `expected no ${e.code}, got: ${found[0].message}` : `no ${e.code}`, title];
    }
    case 'lock': {
      const rows = lockStats(run.trace).filter((r) => r.name === e.name);
      const title = `lock ${e.name}`;
      if (rows.length === 0) return [false, `lock ${e.name} was never taken`, title];
      const hold = Math.max(...rows.map((r) => r.holdMaxNs));
      const wait = Math.max(...rows.map((r) => r.waitMaxNs));
      const contentions = rows.reduce((n, r) => n + r.contentions, 0);
      const fails: string[] = [];
      if (e.maxHoldBelow !== undefined && hold >= e.maxHoldBelow) fails.push(`max hold ${formatNs(hold)}, expected below ${formatNs(e.maxHoldBelow)}`);
      if (e.maxWaitBelow !== undefined && wait >= e.maxWaitBelow) fails.push(`max wait ${formatNs(wait)}, expected below ${formatNs(e.maxWaitBelow)}`);
      if (e.contentionsAtMost !== undefined && contentions > e.contentionsAtMost) fails.push(`${contentions} contentions, expected at most ${e.contentionsAtMost}`);
      return [fails.length === 0, fails.length ? `${e.name}: ${fails.join('; ')}` : `${e.name}: max hold ${formatNs(hold)}, max wait ${formatNs(wait)}`, title];
    }
    case 'page': {
      const dev = e.pfn.device ? run.devices.find((d) => d.spec.name === e.pfn.device) : undefined;
      const pfn = resolvePfn(run.geometry, e.pfn, dev);
      const p = inspectPfn(run, pfn, e.afterStep);
      const title = `page ${e.pfn.relative ? `${e.pfn.device}+${e.pfn.value}` : `0x${pfn.toString(16)}`}`;
      const fails: string[] = [];
      if (e.refcount !== undefined && p.refcount !== e.refcount) fails.push(`refcount ${p.refcount}, expected ${e.refcount}`);
      if (e.mapcount !== undefined && p.mapcount !== e.mapcount) fails.push(`mapcount ${p.mapcount}, expected ${e.mapcount}`);
      if (e.zone !== undefined && p.zone !== e.zone) fails.push(`zone ${p.zone ?? 'none'}, expected ${e.zone}`);
      if (e.initialised !== undefined && (p.memmap === 'initialised') !== e.initialised) fails.push(`memmap ${p.memmap}, expected ${e.initialised ? 'initialised' : 'not initialised'}`);
      if (e.flags !== undefined) {
        const want = [...e.flags].sort().join(',');
        const got = [...p.flags].sort().join(',');
        if (want !== got) fails.push(`flags [${got}], expected [${want}]`);
      }
      const why = fails.length && e.pfn.device ? whyNotProbed(run, e.pfn.device) : undefined;
      if (why) fails.push(why);
      return [fails.length === 0, fails.length ? `pfn 0x${pfn.toString(16)}: ${fails.join('; ')}` : `pfn 0x${pfn.toString(16)} as expected`, title];
    }
    case 'time': {
      const what = e.device ? `${e.device} init` : e.node !== undefined ? `node ${e.node} deferred init` : 'total';
      const notProbed = e.device && whyNotProbed(run, e.device);
      if (notProbed) return [false, `${what} has no time: ${notProbed}`, `time ${what}`];
      const ns = e.device ? deviceInitNs(run, e.device) : e.node !== undefined ? deferredInitNs(run, e.node) : run.trace.endNs;
      const fails: string[] = [];
      if (e.below !== undefined && ns >= e.below) fails.push(`expected below ${formatNs(e.below)}`);
      if (e.above !== undefined && ns <= e.above) fails.push(`expected above ${formatNs(e.above)}`);
      return [fails.length === 0, `${what} took ${formatNs(ns)}${fails.length ? ', ' + fails.join(', ') : ''}`, `time ${what}`];
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
    return status && (status.outcome === 'ok' || (status.devicesFailed && !status.devicesFailed.includes(device)));
  });
  return probed ? undefined : `${device} was not probed in this run`;
}

function codes(ds: Problem[]): string {
  return ds.length ? [...new Set(ds.map((d) => d.code))].join(', ') : 'nothing';
}
