import type { Problem } from '../scenario/model';
import type { ExpectationResult } from '../run/expect';
import type { Rule } from './rule';

/** The expect: block's failures, each at its own line with expected vs got. */
export const expectFailed: Rule & { fromResults(results: ExpectationResult[]): Problem[] } = {
  code: 'expect-failed',
  severity: 'error',
  title: 'An expectation of the scenario failed',
  doc: 'An `expect:` entry did not hold for this run; the message says what was expected and what the run gave.',
  source: 'the scenario',
  check: () => [],
  fromResults(results) {
    return results
      .filter((r) => !r.pass)
      .map((r) => ({ code: 'expect-failed', severity: 'error', message: r.message, span: r.span }));
  },
};
