#!/usr/bin/env node
// Builds the CLI into dist/, with its dependencies bundled, so that it starts
// without resolving or transpiling anything:
//
//   dist/index.cjs          the program and the model (bin/mesh-readiness
//                           keeps a V8 code cache of it in index.cjs.cache)
//   dist/parsers/*.cjs      the API definition parsers, which the model loads
//                           only when `score` reads an API definition
//   dist/inputs.json        the repository files the build read; inside the
//                           repository, bin/mesh-readiness runs dist/ only
//                           while none of them changed since
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const packageDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
const distDir = path.join(packageDir, 'dist');

const common = {
  absWorkingDir: packageDir,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  // Prefer the ES module builds, which esbuild can tree-shake.
  mainFields: ['module', 'main'],
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
};

// Each parser in a file of its own, required on first use.
const parsers = {
  protobufjs: 'protobufjs',
  'swagger-parser': '@apidevtools/swagger-parser',
};

fs.rmSync(distDir, { recursive: true, force: true });

const parserBuild = await esbuild.build({
  ...common,
  entryPoints: Object.fromEntries(
    Object.entries(parsers).map(([file, name]) => [`parsers/${file}`, name]),
  ),
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
});

const programBuild = await esbuild.build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  // import() of a parser becomes a require() of its file, which
  // bin/mesh-readiness serves like any other require.
  supported: { 'dynamic-import': false },
  plugins: [
    {
      name: 'parsers-in-their-own-files',
      setup(build) {
        for (const [file, name] of Object.entries(parsers)) {
          build.onResolve({ filter: new RegExp(`^${name}$`) }, () => ({
            path: `./parsers/${file}.cjs`,
            external: true,
          }));
        }
      },
    },
  ],
});

// Relative to this package, so the list means the same in any checkout. The
// dependencies are represented by Yarn's install state, which changes
// whenever they do.
const inputs = [
  ...Object.keys(programBuild.metafile.inputs),
  ...Object.keys(parserBuild.metafile.inputs),
].filter(input => !input.startsWith('<') && !input.includes('node_modules/'));
const installState = path.resolve(
  packageDir,
  '../../node_modules/.yarn-state.yml',
);
if (fs.existsSync(installState)) {
  inputs.push(path.relative(packageDir, installState));
}
fs.writeFileSync(
  path.join(distDir, 'inputs.json'),
  `${JSON.stringify([...new Set(inputs)].sort(), null, 2)}\n`,
);

const outputs = {
  ...parserBuild.metafile.outputs,
  ...programBuild.metafile.outputs,
};
const sizes = Object.entries(outputs)
  .filter(([file]) => file.endsWith('.cjs'))
  .map(([file, { bytes }]) => `  ${file} ${(bytes / 1024).toFixed(0)} KiB`);
console.log(`Built the CLI:\n${sizes.join('\n')}`);

// One run writes the code cache; it holds what that run compiled, so it
// scores a typical service rather than printing --help.
execFileSync(process.execPath, [
  path.join(packageDir, 'bin/mesh-readiness'),
  'score',
  path.join(packageDir, 'scripts/catalog-info.sample.yaml'),
]);
