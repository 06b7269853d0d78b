/** The views' controllers (their models come from the engine's views): a bundle loaded on the first panel. */
export { CompareController } from './compareController';
export { LogCompareController } from './logCompareController';
export { LogLocksController, LogTimelineController } from './logControllers';
export { InspectorController } from './inspectorController';
export { LocksController } from './locksController';
export { TimelineController } from './timelineController';
export { logCompareKey } from './logCompareController';
