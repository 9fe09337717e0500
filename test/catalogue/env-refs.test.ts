// `${NAME}` references: expansion from an explicit environment, escapes, and the error naming the server.
import { describe, expect, it } from 'vitest';
import { expandEnvRefs, referencedVariables } from '../../src/catalogue/index.js';

describe('expandEnvRefs', () => {
  const env = { TOKEN: 'tok-123', EMPTY: '', HOME: '/home/me' };

  it('expands ${NAME} anywhere in a value, and only what is referenced', () => {
    expect(expandEnvRefs({ Authorization: 'Bearer ${TOKEN}', Both: '${TOKEN}:${TOKEN}', Plain: 'no refs' }, env)).toEqual({
      Authorization: 'Bearer tok-123',
      Both: 'tok-123:tok-123',
      Plain: 'no refs',
    });
  });

  it('an empty variable is set; it expands to nothing', () => {
    expect(expandEnvRefs({ A: 'x${EMPTY}y' }, env)).toEqual({ A: 'xy' });
  });

  it('$${ writes a literal ${, and any other $ is literal', () => {
    expect(expandEnvRefs({ A: '$${TOKEN}', B: 'pa$$word', C: '$HOME and $1', D: '$$${TOKEN}' }, env)).toEqual({
      A: '${TOKEN}',
      B: 'pa$$word',
      C: '$HOME and $1',
      D: '$${TOKEN}',
    });
  });

  it('does not expand what a variable contains', () => {
    expect(expandEnvRefs({ A: '${X}' }, { X: '${TOKEN}' })).toEqual({ A: '${TOKEN}' });
  });

  it('a missing variable is a USAGE error naming the server and the variable', () => {
    expect(() => expandEnvRefs({ Authorization: 'Bearer ${MISSING_TOKEN}' }, env, 'remote')).toThrow(
      expect.objectContaining({ code: 'USAGE', message: 'catalogue server remote needs $MISSING_TOKEN, which is not set' }),
    );
  });

  it('a malformed reference is a USAGE error, never passed through half-expanded', () => {
    expect(() => expandEnvRefs({ A: '${TOKEN' }, env, 'x')).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('not a ${NAME} reference') }),
    );
  });
});

describe('referencedVariables', () => {
  it('lists each referenced name once, in order, skipping escaped ones', () => {
    expect(referencedVariables({ a: '${B} ${A}', b: '${B} $${C}' })).toEqual(['B', 'A']);
  });
});
