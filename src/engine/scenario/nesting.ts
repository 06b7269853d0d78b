/**
 * A scenario nests a handful of levels (steps → step → arguments → a range). The yaml library
 * recurses once per level and runs out of stack near 800 levels, and runs out of memory on a
 * million unclosed `{` or `- - - …` indicators; so the text is checked before it is parsed.
 */
export const NESTING_LIMITS = { depth: 64, indent: 512 };

export interface NestingProblem {
  offset: number;
  message: string;
}

/**
 * The first place the text nests deeper than the limits: flow brackets (`[` `{`), compact block
 * indicators on one line (`- - -`), or indentation. Quoted scalars and comments are skipped.
 */
export function nestingProblem(text: string, limits = NESTING_LIMITS): NestingProblem | undefined {
  let flow = 0;
  let quote: '"' | "'" | undefined;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    if (lineStart) {
      lineStart = false;
      if (!quote && flow === 0) {
        const block = blockDepth(text, i, limits);
        if (block) return block;
      }
    }
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      continue;
    }
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
      continue;
    }
    if (quote === "'") {
      if (c === "'" && text[i + 1] === "'") i++;
      else if (c === "'") quote = undefined;
      continue;
    }
    const prev = i === 0 ? '\n' : text[i - 1];
    const tokenStart =
      prev === ' ' ||
      prev === '\t' ||
      prev === '\n' ||
      prev === '\r' ||
      prev === '[' ||
      prev === '{' ||
      prev === ',' ||
      (flow > 0 && prev === ':');
    if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if ((c === '"' || c === "'") && tokenStart) {
      quote = c;
    } else if ((c === '[' || c === '{') && (flow > 0 || tokenStart)) {
      if (++flow > limits.depth)
        return {
          offset: i,
          message: `the scenario nests deeper than ${limits.depth} levels of [ and {; a scenario needs a handful`,
        };
    } else if ((c === ']' || c === '}') && flow > 0) {
      flow--;
    }
  }
  return undefined;
}

/** Indentation and compact `- ` / `? ` indicators at the start of the line at `i`. */
function blockDepth(
  text: string,
  i: number,
  limits: typeof NESTING_LIMITS,
): NestingProblem | undefined {
  let j = i;
  while (text[j] === ' ') j++;
  if (j - i > limits.indent)
    return {
      offset: i + limits.indent,
      message: `a line indented ${j - i} columns; the limit is ${limits.indent}`,
    };
  let indicators = 0;
  while ((text[j] === '-' || text[j] === '?') && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
    if (++indicators > limits.depth)
      return {
        offset: j,
        message: `more than ${limits.depth} nested '${text[j]} ' indicators on one line; a scenario needs a handful`,
      };
    j += 2;
    while (text[j] === ' ' || text[j] === '\t') j++;
  }
  return undefined;
}
