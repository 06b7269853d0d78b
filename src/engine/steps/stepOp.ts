import type { Node } from 'yaml';
import type { Span, Step, StepOp, StepSpec } from '../scenario/model';
import type { DeviceNames } from '../scenario/deviceNames';
import type { Path } from '../runtime/context';
import type { StepRun } from './stepRun';

/** A step's arguments as the scenario gives them (the op aside). */
export type StepArgs<Op extends StepOp> = Omit<Extract<StepSpec, { op: Op }>, 'op'>;

/** A step of one op, as parsed (with its place in the scenario). */
export type StepOf<Op extends StepOp> = Extract<Step, { op: Op }>;

/** What reading a step's argument gives: its arguments and the spans of its fields. */
export interface StepRead<Op extends StepOp> {
  args: StepArgs<Op>;
  fields: Partial<Record<string, Span>>;
}

/**
 * One step op, whole: the keys it takes, how it is read from the scenario, how it runs, and what
 * it does in kernel terms. The registry (index.ts) holds one per op, so a missing piece or a
 * missing op is a compile error.
 */
export interface StepOpModule<Op extends StepOp> {
  /** What the step does in kernel terms: the path it runs (hover, completion). */
  doc: string;
  /** The keys of its argument mapping; none for a step that takes a device list or nothing. */
  keys: readonly string[];
  /** Reads its argument (`arg`: the value after `op:`); problems go to the reader. */
  read(d: DeviceNames, arg: Node | null, op: Op): StepRead<Op> | undefined;
  /** Runs it on the scenario's own thread; a message says why it failed. */
  run(s: StepRun, step: StepOf<Op>): Path<string | undefined>;
}
