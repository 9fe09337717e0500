// A reading of Markdown as GitHub renders it (CommonMark + GFM tables), just deep enough to tell text from markup.
//
// Used to check that server text stays text: what is left of a line once escapes and code spans are taken
// out is what a renderer could read as markup, and table rows must have exactly their cells.

const ESCAPABLE = /[!-/:-@[-`{-~]/;

/** The line with every backslash escape and code span replaced by a space: the part a renderer parses. */
export function outsideCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length && ESCAPABLE.test(line[i + 1]!)) {
      out += ' ';
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(line.slice(i))![0];
      const close = closingRun(line, i + run.length, run.length);
      if (close !== -1) {
        out += ' ';
        i = close + run.length;
        continue;
      }
      // An unclosed run is literal backticks.
      out += run;
      i += run.length;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

/** Where a run of exactly `n` backticks starts at or after `from`, or -1. */
function closingRun(line: string, from: number, n: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let m = runs.exec(line); m !== null; m = runs.exec(line)) if (m[0].length === n) return m.index;
  return -1;
}

/** GFM splits a table row on every pipe not directly after a backslash, inside code spans too. */
export function cellCount(row: string): number {
  const pipes = [...row.matchAll(/(?<!\\)\|/g)].length;
  return pipes - 1;
}

/** The lines of a document that are table rows (ours start with a pipe). */
export function tableRows(markdown: string): string[] {
  return markdown.split('\n').filter((l) => l.startsWith('|'));
}

/** Our own HTML (the folded info findings), the only tags a report may hold. */
export function withoutOurHtml(markdown: string): string {
  return markdown.replace(/<details><summary>[^<>]*<\/summary>|<\/details>/g, '');
}
