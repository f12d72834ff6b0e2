import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve(__dirname, '../bin/mesh-readiness');
const repositoryModules = path.resolve(__dirname, '../../../node_modules');

/**
 * A copy of the CLI package whose build prints "built" and whose sources
 * print "sources", so a run shows which of the two the bin chose.
 */
function fakePackage(options: { sources: boolean; build: boolean }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-readiness-bin-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(bin, path.join(dir, 'bin/mesh-readiness'));
  if (options.sources) {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(
      path.join(dir, 'src/index.ts'),
      "process.stdout.write('sources');\n",
    );
  }
  if (options.build) {
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(
      path.join(dir, 'dist/inputs.json'),
      JSON.stringify(options.sources ? ['src/index.ts'] : []),
    );
    fs.writeFileSync(
      path.join(dir, 'dist/index.cjs'),
      "process.stdout.write('built');\n",
    );
  }
  return dir;
}

function runIn(dir: string): string {
  return execFileSync(
    process.execPath,
    [path.join(dir, 'bin/mesh-readiness')],
    {
      encoding: 'utf8',
      // the source fallback needs @backstage/cli, found here in the repository
      env: { ...process.env, NODE_PATH: repositoryModules },
    },
  );
}

const dirs: string[] = [];
function made(dir: string) {
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('bin/mesh-readiness', () => {
  it('runs the build while it is newer than the sources it was built from', () => {
    const dir = made(fakePackage({ sources: true, build: true }));
    expect(runIn(dir)).toBe('built');
  });

  it('runs the sources once one of them changed after the build', () => {
    const dir = made(fakePackage({ sources: true, build: true }));
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'src/index.ts'), later, later);
    expect(runIn(dir)).toBe('sources');
  });

  it('runs the sources when there is no build, as on a fresh clone', () => {
    const dir = made(fakePackage({ sources: true, build: false }));
    expect(runIn(dir)).toBe('sources');
  });

  it('runs the build where there are no sources, as when installed', () => {
    const dir = made(fakePackage({ sources: false, build: true }));
    expect(runIn(dir)).toBe('built');
  });

  it('keeps a code cache beside the build and gives the same output with it', () => {
    const dir = made(fakePackage({ sources: false, build: true }));
    expect(runIn(dir)).toBe('built');
    expect(fs.existsSync(path.join(dir, 'dist/index.cjs.cache'))).toBe(true);
    expect(runIn(dir)).toBe('built');
  });
});
