/**
 * Parts of the extension that load on first use. Each is its own bundle beside dist/extension.js
 * (esbuild.mjs), so activation evaluates only the wiring: the log importers, the panels' view
 * models, hovers, completions, quick fixes and the commands' engine code load when first needed
 * (scenarios are parsed in the run worker). Each user names the bundle's module type where it asks for it.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the point: a bundle of its own, loaded late */
const BUNDLES = {
  logFormats: () => require('./extensionImport.js'),
  editorFeatures: () => require('./extensionEditor.js'),
  controllers: () => require('./extensionPanels.js'),
  quickCommands: () => require('./extensionQuickCommands.js'),
  commandTable: () => require('./extensionCommands.js'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The bundle `name`, loaded on the first call and kept. */
export function lazy<T>(name: keyof typeof BUNDLES): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= BUNDLES[name]() as T);
}
