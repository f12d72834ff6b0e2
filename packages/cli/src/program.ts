import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { parse as parseYaml } from 'yaml';
import {
  parseAnnotations,
  resolveConfig,
  type MeshReadinessConfig,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { scoreCatalog } from '@mesh-readiness/plugin-mesh-readiness-common/retry';
import { loadCatalogFiles, UsageError } from './files';
import { formatReport } from './report';

/** Where the CLI writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: text => process.stdout.write(text),
  err: text => process.stderr.write(text),
};

function readConfig(file: string | undefined): MeshReadinessConfig | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--config ${file}: cannot read the file`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new UsageError(
      `--config ${file}: not valid YAML (${
        (error as Error).message.split('\n')[0]
      })`,
    );
  }
  const block = (doc as { meshReadiness?: MeshReadinessConfig } | null)
    ?.meshReadiness;
  try {
    resolveConfig(block ?? {});
  } catch (error) {
    throw new UsageError(`--config ${file}: ${(error as Error).message}`);
  }
  return block;
}

/**
 * Runs the CLI and resolves to its exit code: 0 success, 1 lint errors,
 * 2 usage or I/O errors.
 */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('mesh-readiness')
    .description(
      'Score and lint Backstage catalog-info.yaml files for service-mesh readiness.',
    )
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('score')
    .description(
      'Score the entities in the given files or folders: per service, and the org verdict, recommendation and cost',
    )
    .argument(
      '<paths...>',
      'catalog YAML files or folders (Locations are followed)',
    )
    .option('--json', 'print one JSON document instead of the readable report')
    .option(
      '--config <file>',
      'an app-config.yaml whose meshReadiness block to apply',
    )
    .action(
      async (paths: string[], opts: { json?: boolean; config?: string }) => {
        const config = readConfig(opts.config);
        const { entities, problems } = loadCatalogFiles(paths);
        for (const p of problems) io.err(`${p.file}: ${p.message}\n`);
        const report = await scoreCatalog(
          entities.map(e => e.entity),
          { config },
        );
        io.out(
          opts.json
            ? `${JSON.stringify(report, null, 2)}\n`
            : formatReport(report),
        );
      },
    );

  program
    .command('lint')
    .description(
      'Validate the mesh-readiness.io annotations in the given files or folders; exit 1 on any problem',
    )
    .argument(
      '<paths...>',
      'catalog YAML files or folders (Locations are followed)',
    )
    .action((paths: string[]) => {
      const { entities, problems } = loadCatalogFiles(paths);
      let count = problems.length;
      for (const p of problems) io.out(`${p.file}: ${p.message}\n`);
      for (const { entity, file, lineOf } of entities) {
        for (const problem of parseAnnotations(entity).problems) {
          count += 1;
          // file:line: key: message (the model's messages start with the key)
          const text = problem.message.startsWith(problem.key)
            ? problem.message
            : `${problem.key}: ${problem.message}`;
          io.out(`${file}:${lineOf(problem.key)}: ${text}\n`);
        }
      }
      if (count > 0) {
        io.out(
          `\n${count} problem${count === 1 ? '' : 's'} in ${
            entities.length
          } entities\n`,
        );
        exitCode = 1;
      } else {
        io.out(`No problems in ${entities.length} entities\n`);
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.err(`mesh-readiness: ${error.message}\n`);
      return 2;
    }
    io.err(`mesh-readiness: ${(error as Error).message}\n`);
    return 2;
  }
  return exitCode;
}
