import type { Problem } from '../scenario/model';
import type { RuleContext, Rule } from './rule';
import altmapLeak from './altmapLeak';
import devdaxAlign from './devdaxAlign';
import { expectFailed } from './expectFailed';
import hungTask from './hungTask';
import invalidAltmap from './invalidAltmap';
import leakedPgmapRef from './leakedPgmapRef';
import longHotplugLockHold from './longHotplugLockHold';
import memoryBlockAlign from './memoryBlockAlign';
import memoryOfflineFailed from './memoryOfflineFailed';
import memoryStillOnline from './memoryStillOnline';
import misalignedSubsection from './misalignedSubsection';
import mixedRegion from './mixedRegion';
import namespaceAlignUnsatisfiable from './namespaceAlignUnsatisfiable';
import namespaceMisaligned from './namespaceMisaligned';
import pgmapRefUnderflow from './pgmapRefUnderflow';
import probeFailed from './probeFailed';
import rangeOverlap from './rangeOverlap';
import reservedDaxPages from './reservedDaxPages';
import { binarySizeUnit, scenarioSchema, scenarioSyntax } from './scenarioSchema';
import sectionAlreadyDeactivated from './sectionAlreadyDeactivated';
import sectionConflict from './sectionConflict';
import sectionPadding from './sectionPadding';
import { invalidStep, memmapOnMemoryUnused, pfnOutOfRange } from './stepProblems';
import structPageTooBig from './structPageTooBig';
import vmemmapOptDisabled from './vmemmapOptDisabled';
import vmemmapOptUnsupported from './vmemmapOptUnsupported';
import zeroRefcountGetPage from './zeroRefcountGetPage';

/** Every rule, by stable code. */
export const RULES: Rule[] = [
  scenarioSyntax,
  scenarioSchema,
  binarySizeUnit,
  misalignedSubsection,
  sectionPadding,
  sectionConflict,
  mixedRegion,
  rangeOverlap,
  namespaceMisaligned,
  namespaceAlignUnsatisfiable,
  structPageTooBig,
  leakedPgmapRef,
  pgmapRefUnderflow,
  vmemmapOptUnsupported,
  vmemmapOptDisabled,
  zeroRefcountGetPage,
  longHotplugLockHold,
  devdaxAlign,
  reservedDaxPages,
  sectionAlreadyDeactivated,
  altmapLeak,
  memoryBlockAlign,
  memoryStillOnline,
  memoryOfflineFailed,
  memmapOnMemoryUnused,
  invalidStep,
  pfnOutOfRange,
  invalidAltmap,
  probeFailed,
  hungTask,
  expectFailed,
];

export function findRule(code: string): Rule | undefined {
  return RULES.find((r) => r.code === code);
}

/** Runs every rule over a run; problems sorted by position, then code. */
export function diagnose(ctx: RuleContext): Problem[] {
  const out = RULES.flatMap((r) => r.check(ctx));
  return out.sort((a, b) => a.span.offset - b.span.offset || a.code.localeCompare(b.code));
}
