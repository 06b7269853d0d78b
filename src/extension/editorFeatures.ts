/** The engine behind hovers, completions and quick fixes: a bundle loaded on the first request. */
export { ruleMarkdown } from '../engine/hover/docs';
export { hoverAt } from '../engine/hover/hover';
export { pageMarkdown } from '../engine/hover/pageHover';
export { completionsAt } from '../engine/editor/completion';
export { quickFixes } from '../engine/fixes/quickFixes';
