import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.stack/**',
      'reports/**',
      'dist/**',
      'coverage/**',
      '.tmp/**',
      'test-artifacts/**',
      'reference-app/client/dist/**',
      'reference-app/client/build-stats/**',
      'scenarios/dist/**',
      '**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['toolkit/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // The toolkit measures a Target and knows nothing of what runs behind it (docs/architecture.md).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/reference-app/**', '**/reference-app'],
              message: 'the toolkit never imports the reference app; plug it in from scripts/ as a target provider',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['reference-app/rig/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['reference-app/client/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.serviceworker } },
  },
  {
    files: ['scenarios/**/*.ts'],
    languageOptions: { globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly', open: 'readonly' } },
  },
);
