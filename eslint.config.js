import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // The UI's single-file components: Vue's essential rules (prettier owns the layout), with
  // TypeScript in <script setup>.
  ...pluginVue.configs['flat/essential'],
  {
    files: ['web/src/**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser },
      globals: { window: 'readonly', document: 'readonly' },
    },
    // vue-tsc checks names; the core rule knows no DOM or TypeScript globals.
    rules: { 'no-undef': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'node:child_process',
              importNames: ['exec', 'execSync'],
              message: 'Use execFile/spawn with an argument array, never a shell string.',
            },
          ],
        },
      ],
    },
  },
  {
    // The UI bundles what it imports: from the server's tree only types, and the plain
    // modules meant for it (the domain vocabulary, the route table and the UI's own routes).
    files: ['web/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(\\.\\./)+src/(?!panel/domain/vocabulary$|shared/wire/panel/routes$|shared/ui-routes$)',
              allowTypeImports: true,
              message:
                'The web imports only types from src/ (the bundle must not pull server code).',
            },
          ],
        },
      ],
    },
  },
  {
    // From the type-checked preset, the two rules that catch a forgotten await: a promise nobody
    // awaits (its rejection lost) and a promise where a callback's result is ignored.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // The panel's layers (docs/STYLE.md): the domain imports nothing of the panel but itself, the
  // app layer never imports adapters or the HTTP edge, the HTTP edge never imports the database
  // adapter. Type imports count too: ports speak domain types, adapters map.
  ...[
    {
      files: ['src/panel/domain/**/*.ts'],
      regex: '^(\\.\\./)+(app|adapters|http|areas|compose|main|config|context)(/|\\.js$)',
      message: 'The domain is pure: it imports nothing of the panel outside src/panel/domain.',
    },
    {
      files: ['src/panel/app/**/*.ts'],
      regex: '^(\\.\\./)+(adapters|http|areas)/',
      message: 'The app layer declares ports; adapters and the HTTP edge are wired in areas/.',
    },
    {
      files: ['src/panel/http/**/*.ts'],
      regex: '^(\\.\\./)+adapters/db/',
      message: 'The HTTP edge talks to use cases, never to the database adapter.',
    },
  ].map(({ files, regex, message }) => ({
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex, message, allowTypeImports: false }] },
      ],
    },
  })),
  {
    files: ['bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
