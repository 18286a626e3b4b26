// @ts-check
// `npm run lint`. TypeScript is linted with type information: typescript-eslint's recommendedTypeChecked
// (among them no-floating-promises, no-misused-promises, await-thenable) plus two rules for async code.
// Each rule that is off says why. The benchmark scripts (CommonJS .js) get the plain JS rules.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const UNSAFE_ANY = {
  '@typescript-eslint/no-explicit-any': 'off',
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
};

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'data/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['{src,bot,cards,migrations,test}/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `return promise` inside try/catch skips the catch; elsewhere either form is fine.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `{ rev: _omit, ...rest }` and `_arg` are how this code base says "unused on purpose".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Node's URLSearchParams prints as a query string; the rule only knows the DOM lib's one.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allow: [
            { from: 'lib', name: ['Error', 'URL', 'URLSearchParams'] },
            { from: 'package', package: 'url', name: 'URLSearchParams' },
          ],
        },
      ],
      // Off: async methods that never await implement Promise-returning interfaces (kv stores, job runs,
      // fakes); `async` turns a throw into a rejection, which is what callers expect.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Off: the adapters read WeCom/DingTalk JSON as `Record<string, any>` at the decode boundary on purpose.
    files: ['bot/**/*.ts'],
    rules: UNSAFE_ANY,
  },
  {
    // Off: tests read response bodies and fixtures loosely and assert on their shape.
    files: ['test/**/*.ts'],
    rules: UNSAFE_ANY,
  },
  {
    files: ['test/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    // The pages' browser scripts (type-checked by `tsc -p src/web`).
    files: ['src/web/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  {
    files: ['*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
