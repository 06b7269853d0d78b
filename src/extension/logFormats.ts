/** The trace exporters: a bundle loaded when an imported log is first exported. */
export { EXPORT_FORMATS } from '../engine/trace/exportFormats';
