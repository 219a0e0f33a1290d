import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['dist/', 'static/vendor/', 'static/models/', 'node_modules/', 'factory/', 'test-results/', 'playwright-report/', 'widget-dist/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The shells see the core only through its public boundary (src/lib/index.ts); tests may
    // also use the core's test helpers.
    files: ['src/app/**', 'src/widget/**', 'src/App.svelte', 'src/main.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)lib/.+', message: 'Import the core from its public boundary (src/lib/index.ts), not its internals.' }] },
      ],
    },
  },
  {
    // The benchmarks measure the public API; only the emotion network alone (its loader, input
    // normalisation and test file loader) is reached inside, as a stage the API does not expose.
    files: ['bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'src/lib/(?!classifier$|preprocess$|testing/).+',
              message: 'Benchmarks import the core from src/lib/index.ts; only the classifier stage alone may be reached inside.',
            },
          ],
        },
      ],
    },
  },
);
