/**
 * Import cycles, checked by dependency-cruiser as part of `npm run lint`:
 * no two folders of the engine or the renderer may depend on each other,
 * directly or around a circle, and no module may import itself around a
 * circle. The layers themselves (which folder may import which) are ESLint
 * rules in eslint.config.js.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment:
        'Folders depend on each other in one direction only: the layout is the architecture. ' +
        'Move the shared piece down into the folder both can import.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(electron|renderer)/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'Modules that import each other around a circle: split out what both need.',
      severity: 'error',
      from: { path: '^(electron|renderer)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
  },
};
