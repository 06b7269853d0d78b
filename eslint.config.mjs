import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/e2e/artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The code-server harness is plain CommonJS run by Node directly (no build step).
    files: ['test/harness/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', __filename: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The engine is a pure library: no editor, no DOM, no file system (STYLE.md habit 1).
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'src/engine is pure: adapt it in src/extension.' },
            { name: 'fs', message: 'src/engine is pure: files come in as parameters.' },
            { name: 'node:fs', message: 'src/engine is pure: files come in as parameters.' },
            { name: 'fs/promises', message: 'src/engine is pure.' },
            { name: 'node:fs/promises', message: 'src/engine is pure.' },
          ],
          patterns: [{ group: ['**/extension/**', '**/webview/**'], message: 'src/engine imports nothing outside itself.' }],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator'],
    },
  },
  {
    files: ['src/protocol/**/*.ts', 'src/files/**/*.ts', 'webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension imports vscode.' }] }],
    },
  },
);
