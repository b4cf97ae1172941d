import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import prettier from 'eslint-config-prettier/flat';
import kladde from './tools/eslint/kladde-plugin.mjs';

// The layers of docs/architecture.md ("Rules the linter keeps"), as import zones. Each pattern is
// matched against the import as written, so '@/x/…' and '../../x/…' are both caught.
const outsideTheProduct = {
  group: ['**/tools/**', '**/e2e/**', '**/tests/**', '**/scripts/**'],
  message:
    'Product code imports no stand-in, test, spec or script: tools/, e2e/, tests/ and scripts/ stand outside the product (docs/architecture.md).',
};
const uiLayers = {
  group: ['**/app/**', '**/components/**'],
  message:
    'lib/ and db/ are below the pages: they import nothing of app/ or components/ (docs/architecture.md).',
};
const framework = {
  group: ['next', 'next/*', 'react', 'react/*', 'react-dom', 'react-dom/*'],
  message:
    'lib/ is the domain: no React, no Next imports, testable on its own (docs/architecture.md).',
};
const domainBelowDb = {
  group: ['**/lib/**', '!**/lib/env'],
  message:
    'db/ imports nothing from lib/ but the validated settings (lib/env.ts; docs/architecture.md).',
};
const restrictImports = (...patterns) => ['error', { patterns }];

const product = ['app/**', 'components/**', 'lib/**', 'db/**', 'proxy.ts', 'instrumentation*.ts'];

const config = [
  ...nextVitals,
  ...nextTs,
  // Layout is Prettier's (npm run format); ESLint keeps no rule that could disagree with it.
  prettier,
  { plugins: { kladde } },
  {
    files: product,
    rules: {
      'no-restricted-imports': restrictImports(outsideTheProduct),
      'kladde/injected-clock': ['error', { allowDefaults: false }],
    },
  },
  {
    files: ['lib/**'],
    rules: {
      'no-restricted-imports': restrictImports(outsideTheProduct, uiLayers, framework),
      'kladde/injected-clock': ['error', { allowDefaults: true }],
    },
  },
  {
    files: ['db/**'],
    rules: { 'no-restricted-imports': restrictImports(outsideTheProduct, uiLayers, domainBelowDb) },
  },
  {
    files: ['app/**', 'components/**'],
    rules: { 'kladde/client-imports-no-server': 'error' },
  },
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      '.data/**',
      'db/migrations/**',
      'next-env.d.ts',
      'test-results/**',
      'playwright-report/**',
    ],
  },
];

export default config;
