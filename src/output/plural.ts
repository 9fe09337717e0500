// Counted nouns for messages: "1 tool", "2 tools".

/** `count` and the noun in the form that goes with it; `many` for nouns not made plural by adding `s`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
