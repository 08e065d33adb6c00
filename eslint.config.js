// Lint rules, including the layering rules of the design card: they are
// enforced here, not only described.
//   - only the Electron shell (electron/main, and the preload that cannot
//     exist without it) imports 'electron';
//   - the engine imports neither 'electron' nor React nor DOM code (its
//     tsconfig has no DOM lib either) nor the renderer;
//   - the contract depends on zod only;
//   - the renderer imports nothing from electron/ except the contract, and no
//     Node built-ins;
//   - inside the engine, layers (eslint-plugin-boundaries): util, log and
//     metrics at the bottom; store (persistence) above them; each domain
//     folder (speech, voice, nlu, knowledge, cases, bot, …) above those and
//     never importing core, web or the entry points; core on top, then web and
//     the entry points.
//   - inside the renderer, from the bottom: the contract's types → phone/
//     (call and registration machines, phone store; no sip.js) → sip/, audio/,
//     bridge/ → stores/ → i18n/, services/, ui/ → features/ (one folder per
//     screen area) → app/ (composition root and layout).
// Import cycles between folders are found by dependency-cruiser
// (.dependency-cruiser.cjs); every layer rule is shown to fire in
// test/unit/lint/layers.test.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'worker_threads',
];
const react = ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      '.tsbuild/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'test/fixtures/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer talks to the engine through renderer/bridge only.',
            },
          ],
          patterns: [
            {
              regex: '(^|/)electron/(?!contract(/|$))',
              message: 'The renderer may import only electron/contract from electron/.',
            },
            { group: ['node:*', ...nodeBuiltins], message: 'No Node built-ins in the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: [
      'renderer/phone/**',
      'renderer/sip/**',
      'renderer/stores/**',
      'renderer/audio/**',
      'renderer/bridge/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer talks to the engine through renderer/bridge only.',
            },
          ],
          patterns: [
            {
              regex: '(^|/)electron/(?!contract(/|$))',
              message: 'The renderer may import only electron/contract from electron/.',
            },
            { group: ['node:*', ...nodeBuiltins], message: 'No Node built-ins in the renderer.' },
            {
              group: ['react', 'react-dom', 'react-dom/*'],
              message: 'Stores, SIP and audio code stay UI-free.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The engine must run in plain Node: no electron import.' },
          ],
          patterns: [
            { group: react, message: 'The engine has no UI: no React or zustand.' },
            {
              regex: '(^|/)(renderer|main|preload)(/|$)',
              message: 'The engine must not import the renderer or the shell.',
            },
            {
              regex: '(^|/)(web|utility)-main$',
              message: 'The entry points start the engine; nothing imports them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./)',
              message: 'The contract depends on zod and itself only: it is shared by both sides.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: react, message: 'The shell has no UI code.' },
            { regex: '(^|/)renderer(/|$)', message: 'The shell does not import the renderer.' },
            {
              regex: '(^|/)engine(/|$)',
              message: 'The shell starts the engine as a process; it does not import it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: react, message: 'The preload exposes the bridge and nothing else.' },
            {
              regex: '(^|/)(renderer|engine|main)(/|$)',
              message: 'The preload imports the contract only.',
            },
            {
              group: ['node:*', ...nodeBuiltins],
              message: 'A sandboxed preload has no Node built-ins.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.mjs', '.js'] } },
      'boundaries/elements': [
        { type: 'contract', pattern: 'electron/contract' },
        { type: 'engine-base', pattern: 'electron/engine/(util|log|metrics)' },
        { type: 'engine-store', pattern: 'electron/engine/store' },
        { type: 'engine-core', pattern: 'electron/engine/core' },
        { type: 'engine-web', pattern: 'electron/engine/web' },
        { type: 'engine-domain', pattern: 'electron/engine/*' },
        { type: 'renderer-phone', pattern: 'renderer/phone' },
        { type: 'renderer-adapter', pattern: 'renderer/(sip|audio|bridge)' },
        { type: 'renderer-stores', pattern: 'renderer/stores' },
        { type: 'renderer-shared', pattern: 'renderer/(i18n|services|ui)' },
        { type: 'renderer-feature', pattern: 'renderer/features/*' },
        { type: 'renderer-app', pattern: 'renderer/app' },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          policies: [
            {
              from: { element: { type: 'engine-base' } },
              disallow: {
                to: {
                  element: {
                    types: {
                      anyOf: ['engine-store', 'engine-domain', 'engine-core', 'engine-web'],
                    },
                  },
                },
              },
              message:
                'util, log and metrics are the bottom of the engine: they import no other engine folder.',
            },
            {
              from: { element: { type: 'engine-store' } },
              disallow: {
                to: {
                  element: {
                    types: {
                      anyOf: ['engine-domain', 'engine-core', 'engine-web'],
                    },
                  },
                },
              },
              message: 'store (persistence) imports only util, log, metrics and the contract.',
            },
            {
              from: { element: { type: 'engine-domain' } },
              disallow: {
                to: {
                  element: { types: { anyOf: ['engine-core', 'engine-web'] } },
                },
              },
              message:
                'A domain folder never imports core, web or an entry point: core wires the domains, not the other way round.',
            },
            {
              from: { element: { type: 'renderer-phone' } },
              disallow: {
                to: {
                  element: {
                    types: {
                      anyOf: [
                        'renderer-adapter',
                        'renderer-stores',
                        'renderer-shared',
                        'renderer-feature',
                        'renderer-app',
                      ],
                    },
                  },
                },
              },
              message:
                'The phone core (call and registration machines, phone store) knows only the contract: no sip.js adapter, audio, bridge, stores or UI.',
            },
            {
              from: { element: { type: 'renderer-adapter' } },
              disallow: {
                to: {
                  element: {
                    types: {
                      anyOf: [
                        'renderer-stores',
                        'renderer-shared',
                        'renderer-feature',
                        'renderer-app',
                      ],
                    },
                  },
                },
              },
              message:
                'sip/, audio/ and bridge/ sit below the stores and the screen: they import the phone core, each other and the contract only.',
            },
            {
              from: { element: { type: 'renderer-stores' } },
              disallow: {
                to: {
                  element: {
                    types: { anyOf: ['renderer-shared', 'renderer-feature', 'renderer-app'] },
                  },
                },
              },
              message: 'Stores sit below the screen: no i18n, services context, features or app.',
            },
            {
              from: { element: { type: 'renderer-shared' } },
              disallow: {
                to: { element: { types: { anyOf: ['renderer-feature', 'renderer-app'] } } },
              },
              message:
                'i18n/, services/ and ui/ are shared by the features: they never import one.',
            },
            {
              from: { element: { type: 'renderer-feature' } },
              disallow: { to: { element: { type: 'renderer-app' } } },
              message:
                'Features never import app/: the app composes the features, not the other way round.',
            },
            {
              from: { element: { type: 'engine-core' } },
              disallow: { to: { element: { types: { anyOf: ['engine-web'] } } } },
              message: 'core does not import the web carrier or the entry points.',
            },
          ],
        },
      ],
    },
  },
  {
    // Every file outside electron/main and electron/preload: no 'electron'.
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['electron/main/**', 'electron/preload/**', 'test/e2e/electron-smoke.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='electron']",
          message: "Only the Electron shell (electron/main, electron/preload) imports 'electron'.",
        },
      ],
    },
  },
);
