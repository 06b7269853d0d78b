import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { render, scenarioArb } from '../oracle/generate';
import { compareText } from '../oracle/compare';

/**
 * The differential oracle: random small scenarios through the range-compressed engine and the
 * per-page reference model (test/oracle/reference.ts); they must agree on every pfn of every
 * section either side knows (memmap, flags, refcount, mapcount, zone, nid, pgmap, compound
 * head/order, pfn_valid, pfn_to_online_page, vmemmap backing), every section (flags, sub-section
 * map), vmemmap page totals and peak, pgmap reference counts, step outcomes and diagnostic codes.
 *
 * Fixed seed in CI; ORACLE_SEED / ORACLE_RUNS vary it, ORACLE_PATH replays a reported failure.
 */
const SEED = Number(process.env.ORACLE_SEED ?? 0x6d656d6d);
const RUNS = Number(process.env.ORACLE_RUNS ?? 1000);
const PATH = process.env.ORACLE_PATH;

test(`oracle: engine and per-page reference agree on ${RUNS} random scenarios (seed ${SEED})`, (t) => {
  let pfns = 0;
  let sections = 0;
  const property = fc.property(scenarioArb(), (s) => {
    const c = compareText(render(s));
    pfns += c.pfns;
    sections += c.sections;
    // A generated scenario that does not even run is a generator bug: report it like a difference.
    return !c.skipped && c.mismatches.length === 0;
  });
  const result = fc.check(property, { seed: SEED, numRuns: RUNS, path: PATH, endOnFailure: false });
  t.diagnostic(`${result.numRuns} scenarios, ${sections} sections, ${pfns} pfns compared`);
  if (!result.failed) return;
  const shrunk = result.counterexample?.[0];
  const text = shrunk ? render(shrunk) : '(no counterexample)';
  const c = shrunk ? compareText(text, 30) : undefined;
  assert.fail(
    [
      `the engine and the reference model disagree — seed ${SEED}, path "${result.counterexamplePath}"`,
      `replay: ORACLE_SEED=${SEED} ORACLE_PATH="${result.counterexamplePath}" npm run test:unit`,
      // A throw inside the engine or the reference (not just a disagreement) comes with its stack.
      result.errorInstance &&
      !/Property failed by returning false/.test(String(result.errorInstance))
        ? `error: ${(result.errorInstance as Error).stack}`
        : '',
      'minimised scenario:',
      text,
      'differences:',
      ...(c?.skipped ? [`did not run: ${c.skipped}`] : (c?.mismatches ?? [])),
    ].join('\n'),
  );
});
