import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';

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
      'dist-lib/**',
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
    // The layering of docs/architecture.md: no cycles; k6-core below everything; the two engines apart.
    files: ['toolkit/**/*.ts', 'reference-app/**/*.{ts,tsx}', 'scripts/**/*.ts', 'test/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './toolkit/k6-core',
              from: './toolkit',
              except: ['./k6-core', './errors.ts', './stats'],
              message: 'k6-core owns k6 semantics and imports nothing above it',
            },
            { target: './toolkit/runner', from: './toolkit/k6', message: 'the two engines never import each other' },
            { target: './toolkit/k6', from: './toolkit/runner', message: 'the two engines never import each other' },
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
