// ESLint for real problems only: layout belongs to Prettier (`npm run format`), types to `npm run typecheck`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What the plain-JavaScript test servers (test/servers/*.mjs) use from Node. */
const NODE_GLOBALS = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate'].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    // test/fixtures/packages holds npm packages as published (scanned by the tests), not our code.
    ignores: ['dist/', 'node_modules/', 'coverage/', '.bench/', '.ci/', '.scratch/', 'test/fixtures/packages/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names are unused on purpose: a column left out of a copy, a parameter kept for its place.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' },
      ],
    },
  },
  {
    // Three type-aware rules, for the async mistakes tsc lets through in a CLI that spawns servers and
    // opens sockets: a promise nobody awaits, an async callback where a sync one is expected, awaiting a
    // non-promise. They cost about five seconds over the plain rules; the rest of the typed set is noise
    // for code that parses untrusted JSON.
    files: ['**/*.ts'],
    languageOptions: {
      // vitest.config.ts sits outside tsconfig's src/test/bench; the default project covers it.
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    // Outside src/output/safe-text.ts a control-character regex in src is a new sanitiser: call oneLine or
    // safeText instead. Tests may spell control characters out to assert that none survive.
    files: ['test/**', 'bench/**'],
    rules: { 'no-control-regex': 'off' },
  },
);
