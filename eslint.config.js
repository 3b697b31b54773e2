import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, lowest first. A folder may import its own files, the root files (errors,
 * log, paths, version) and folders of lower layers, never a folder of its own layer or above, so
 * the tree reads bottom-up and no cycle can form between folders.
 */
const LAYERS = [
  ['system', 'docker'],
  ['config', 'git'],
  ['image', 'firewall', 'auth', 'bridge'],
  ['policy'],
  ['project'],
  ['session'],
  ['app'],
  ['ui'],
  ['cli'],
];
const processModules = [
  { name: 'node:child_process', message: 'Use src/system/process.ts.' },
  { name: 'child_process', message: 'Use src/system/process.ts.' },
  { name: 'execa', message: 'Use src/system/process.ts.' },
];
const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer])));
const folderImport = (folder) => [`./${folder}/*`, `**/../${folder}/*`];
const layerRules = [
  // The root files sit below every folder.
  {
    files: ['src/errors.ts', 'src/log.ts', 'src/paths.ts', 'src/version.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: processModules,
          patterns: [{ group: ['./*/*'], message: 'The root files of src/ import no folder of it.' }],
        },
      ],
    },
  },
  ...[...layerOf].map(([folder, layer]) => {
    const forbidden = [...layerOf].filter(([other, l]) => other !== folder && l >= layer).map(([f]) => f);
    return {
      files: [`src/${folder}/**`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: processModules,
            patterns: forbidden.map((other) => ({
              group: folderImport(other),
              message: `src/${folder} (layer ${layer}) may not import src/${other} (layer ${layerOf.get(other)}): see LAYERS in eslint.config.js.`,
            })),
          },
        ],
      },
    };
  }),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Child processes go through src/system/process.ts only: one place for errors, logging, signals.
      'no-restricted-imports': ['error', { paths: processModules }],
    },
  },
  ...layerRules,
  {
    files: ['src/system/process.ts', 'test/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The Engine's ssh transport: the connection is the ssh child's own stdio (see the file).
    files: ['src/docker/ssh-connection.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: processModules.filter((m) => m.name !== 'node:child_process') },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
);
