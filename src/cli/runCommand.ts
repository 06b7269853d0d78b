import { analyseScenario, type Analysis } from '../engine/analyse';
import { resolveCostProfile } from '../engine/run/costProfile';
import type { RunOptions } from '../engine/run/runScenario';
import { parseScenario } from '../engine/parse/parseScenario';
import type { Problem, Scenario } from '../engine/scenario/model';
import { summarize, type RunSummary } from '../engine/run/summary';
import { toChromeTrace } from '../engine/trace/chrome';
import { formatNs, formatSize } from '../engine/units';
import { costProfileReader } from '../files/costProfileFile';
import { writeFileAtomic } from '../files/writeFileAtomic';
import { CliError, type Args } from './args';
import { EXIT } from './exitCodes';
import { ProblemsError, readScenarioText } from './io';
import { featureOverrides } from './presets';
import { kernelNameProblem } from '../engine/scenario/kernelName';
import { printable } from '../engine/printable';

/**
 * Reads and parses a scenario file and the run options the CLI's flags and its cost profile give.
 * Parse errors, and a cost profile that cannot be used, are a ProblemsError listing them.
 */
export function loadScenario(
  file: string,
  args: Args,
): { scenario: Scenario; problems: Problem[]; options: RunOptions } {
  const { scenario, problems } = parseScenario(readScenarioText(file));
  const errors = problems.filter((p) => p.severity === 'error');
  if (!scenario || errors.length > 0)
    throw new ProblemsError(file, errors.length ? errors : problems);
  const until = args.options.get('--until-step');
  if (until !== undefined && !/^\d+$/.test(until))
    throw new CliError(`--until-step ${until}: expected a step number (0 is the first step)`);
  const variant = args.options.get('--variant');
  const unknown = variant === undefined ? undefined : kernelNameProblem(variant);
  if (unknown)
    throw new CliError(
      `--variant ${unknown.message.replace(/^unknown kernel /, '')} (see memmap-lab variants)`,
    );
  const { profile, problem } = resolveCostProfile(scenario, costProfileReader(file));
  if (problem) throw new ProblemsError(file, [problem]);
  return {
    scenario,
    problems,
    options: {
      variant,
      features: featureOverrides(args),
      costProfile: profile,
      untilStep: until === undefined ? undefined : Number(until),
      dyndbg: args.flags.has('--dyndbg'),
    },
  };
}

/** Parses and runs a scenario file with the CLI's options. */
export function analyseFile(file: string, args: Args): Analysis {
  const { scenario, problems, options } = loadScenario(file, args);
  return analyseScenario(scenario, options, problems);
}

/** memmap-lab run: the summary (or JSON), a Perfetto trace; exit 1 on a failed expect or error diagnostic. */
export function runCommand(args: Args, out: (s: string) => void): number {
  const file = args.positional[0];
  const analysis = analyseFile(file, args);
  const run = analysis.run!;
  const summary = summarize(run, analysis.diagnostics, analysis.expectations);
  const tracePath = args.options.get('--trace');
  if (tracePath) writeFileAtomic(tracePath, JSON.stringify(toChromeTrace(run.trace)), [file]);
  if (args.flags.has('--json')) out(JSON.stringify(summary, null, 2));
  else out(formatSummary(file, summary, tracePath));
  const failed =
    analysis.diagnostics.some((d) => d.severity === 'error') ||
    analysis.expectations.some((e) => !e.pass);
  return failed ? EXIT.diagnostics.code : EXIT.ok.code;
}

export function formatSummary(file: string, s: RunSummary, tracePath?: string): string {
  const lines: string[] = [];
  lines.push(
    `${printable(s.scenario)} — kernel ${s.variant} on ${s.arch}, ${s.nodes.length} node(s)`,
  );
  lines.push(`  emulated time ${formatNs(s.totalNs)}`);
  for (const n of s.nodes) {
    const deferred = n.deferredInitNs
      ? `deferred struct page init ${formatNs(n.deferredInitNs)}`
      : 'no deferred init';
    lines.push(`  node ${n.node}: ${deferred}`);
    for (const d of n.devices) {
      lines.push(
        `    ${printable(d.name).padEnd(10)} ${String(d.pages).padStart(12)} pages  memmap init ${formatNs(d.initNs).padStart(10)}  probe ${formatNs(d.probeNs).padStart(10)}  (${d.state})`,
      );
    }
  }
  lines.push('  locks (lock_stat):');
  for (const l of s.locks) {
    lines.push(
      `    ${`${l.name}-${l.mode === 'read' ? 'R' : 'W'}`.padEnd(28)} acq ${String(l.acquisitions).padStart(6)}  cont ${String(l.contentions).padStart(4)}  hold max ${formatNs(l.holdMaxNs).padStart(10)}  wait max ${formatNs(l.waitMaxNs).padStart(10)}`,
    );
  }
  const c = s.counters;
  lines.push(
    `  struct pages initialised ${c.structPagesInitialised}, written ${c.structPageWrites}; vmemmap ${c.vmemmapPagesPeak} pages at peak (${formatSize(c.vmemmapBytesDramPeak)} DRAM, ${formatSize(c.vmemmapBytesAltmapPeak)} on device)` +
      (c.paddingBytes ? `; section padding ${formatSize(c.paddingBytes)}` : ''),
  );
  const failedSteps = s.steps.filter((st) => st.outcome !== 'ok');
  for (const st of failedSteps)
    lines.push(
      `  step ${st.index} (${st.op}): ${st.outcome}${st.error ? ` — ${printable(st.error)}` : ''}`,
    );
  if (s.diagnostics.length) {
    lines.push('  diagnostics:');
    for (const d of s.diagnostics)
      lines.push(
        `    ${printable(file)}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${printable(d.message)}`,
      );
  }
  if (s.expectations.length) {
    lines.push('  expectations:');
    for (const e of s.expectations)
      lines.push(
        `    ${e.pass ? 'pass' : 'FAIL'} line ${e.line}: ${printable(e.title)} — ${printable(e.message)}`,
      );
  }
  lines.push('  dmesg:');
  for (const l of s.dmesg) lines.push(`    ${printable(l)}`);
  if (tracePath) lines.push(`  trace written to ${tracePath} (open it in https://ui.perfetto.dev)`);
  return lines.join('\n');
}
