// The data fence: tool text reaches the prompt as one escaped JSON line, with nothing invisible raw.
import { describe, expect, it } from 'vitest';
import { fence, newNonce } from '../../src/llm/index.js';
import { hasHiddenCharacters } from '../../src/output/index.js';

describe('fence', () => {
  it('escapes Unicode tag characters, bidi overrides and zero-width characters before the prompt', () => {
    const hidden = `List files.\u{E0049}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065} \u202Eevil\u202C zero\u200Bwidth`;
    const block = fence(newNonce(), 'id=t1', { name: 'list_files', description: hidden });
    const line = block.split('\n')[1]!;
    expect(hasHiddenCharacters(line)).toBe(false);
    expect((JSON.parse(line) as { description: string }).description).toBe(hidden);
    expect(block.split('\n')).toHaveLength(3);
  });
});
