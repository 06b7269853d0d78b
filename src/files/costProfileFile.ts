import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ProfileRead } from '../engine/run/costProfile';
import { errorCode } from './fileError';
import { readRegularFile } from './readRegularFile';

/** A cost profile is a page of JSON; past this it is a mistake (or `/dev/zero` behind a symlink). */
export const COST_PROFILE_CAP = 1 << 20;

/**
 * How the CLI and the run worker read the profile a scenario names: looked up next to the scenario,
 * symlinks resolved before the check that it stays inside the scenario's folder tree, a regular
 * file of at most 1 MiB. Errors name the path, never the file's content. A scenario not on disk
 * (an untitled or virtual document) has no folder to look in.
 */
export function costProfileReader(scenarioFile: string | undefined): (path: string) => ProfileRead {
  return (path) => {
    if (scenarioFile === undefined)
      return {
        error: `cost profile ${path}: the scenario is not a file on disk, so there is no folder to look it up in`,
      };
    let root: string;
    let full: string;
    try {
      root = realpathSync(dirname(resolve(scenarioFile)));
      full = realpathSync(resolve(root, path));
    } catch (e) {
      return { error: `cannot read cost profile ${path}: ${errorCode(e)}` };
    }
    const rel = relative(root, full);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
      return { error: `cost profile ${path} is outside the scenario's folder` };
    try {
      return { text: readRegularFile(full, COST_PROFILE_CAP, 'a cost profile') };
    } catch (e) {
      return { error: `cannot read cost profile ${path}: ${errorCode(e)}` };
    }
  };
}
