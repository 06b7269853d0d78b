/** The log importers and the trace exporters: a bundle loaded when a log is first imported or exported. */
export { importLog } from '../engine/trace/import/importLog';
export { EXPORT_FORMATS } from '../engine/trace/exportFormats';
