import * as vscode from 'vscode';
import type { Services } from './services';
import { scenarioUri } from './pick';
import { ensureRun } from './runCommands';

/** Asks for a page the way the inspector takes it, checked against the latest run as you type. */
async function askPfn(s: Services, uri: vscode.Uri): Promise<string | undefined> {
  const devices = s.runs.latest(uri.toString())?.scenario?.devices.map((d) => d.name) ?? [];
  return vscode.window.showInputBox({
    title: 'Open Page Inspector',
    prompt: 'A pfn (decimal or 0x hex) or device+offset from its first data page',
    placeHolder: devices.length ? `0x6c00200 or ${devices[0]}+0x1000` : '0x6c00200',
    validateInput: async (text) => {
      if (!text.trim()) return undefined;
      const { error } = await s.runs.query(uri.toString(), 'resolvePfn', { text });
      return error;
    },
  });
}

export const viewCommands = {
  'memmapLab.openTimeline': (s: Services) => async (arg?: unknown, focus?: { device?: string }) => {
    const uri = await scenarioUri(arg, s.docs);
    if (uri && (await ensureRun(s, uri))) await s.panels.openTimeline(uri, focus);
  },

  'memmapLab.openLocks': (s: Services) => async (arg?: unknown) => {
    const uri = await scenarioUri(arg, s.docs);
    if (uri && (await ensureRun(s, uri))) await s.panels.openLocks(uri);
  },

  'memmapLab.openInspector': (s: Services) => async (arg?: unknown, pfnText?: string) => {
    const uri = await scenarioUri(arg, s.docs);
    if (!uri || !(await ensureRun(s, uri))) return;
    const text = pfnText ?? (await askPfn(s, uri));
    if (text !== undefined) await s.panels.openInspector(uri, text.trim() || undefined);
  },

  'memmapLab.showOutput': (s: Services) => () => s.output.show(),
};
