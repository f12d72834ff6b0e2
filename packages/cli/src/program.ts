import { parse as parseYaml } from 'yaml';
import { Command, CommanderError, Option } from 'commander';
import type { Entity } from '@backstage/catalog-model';
import {
  evaluateCatalog,
  parseAnnotations,
  resolveConfig,
  type MeshReadinessConfig,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import {
  analyzeApis,
  defaultRetrySafety,
  type ApiAnalysis,
} from '@mesh-readiness/plugin-mesh-readiness-common/retry';
import {
  type Finding,
  type LoadedEntity,
  compareText,
  loadCatalogFiles,
  readBounded,
  UsageError,
} from './files';
import { formatLint, LINT_FORMATS, type LintFormat } from './lint';
import { DEFAULT_SUMMARY_ABOVE, formatReport } from './report';

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
  const read = readBounded(file, 1024 * 1024);
  if (!read.ok) {
    throw new UsageError(
      `--config ${file}: ${
        {
          'too-large': 'over 1 MiB; not read',
          'not-a-file': 'not a regular file; not read',
          missing: 'cannot read the file',
          unreadable: 'cannot read the file',
        }[read.reason]
      }`,
    );
  }
  const text = read.text;
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    throw new UsageError(`--config ${file}: not valid YAML`);
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
 * The largest API definition to read: `maxDefinitionBytes` of the
 * meshReadiness block (at its root or under `limits`), when the config has it.
 */
function maxDefinitionBytes(
  config: MeshReadinessConfig | undefined,
): number | undefined {
  if (!config) return undefined;
  const c = config as {
    maxDefinitionBytes?: unknown;
    limits?: { maxDefinitionBytes?: unknown };
  };
  const value = c.maxDefinitionBytes ?? c.limits?.maxDefinitionBytes;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

function entityRefOf(entity: Entity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`.toLocaleLowerCase('en-US');
}

/**
 * The retry analysis of every API, as the model's scoreCatalog makes it,
 * except that an API whose definition the CLI did not read (a URL `$text`,
 * a file outside the given folders) is `unknown` with the reason, not
 * `invalid`.
 */
export async function analyzeLoadedApis(
  loaded: LoadedEntity[],
  config?: MeshReadinessConfig,
): Promise<Map<string, ApiAnalysis>> {
  const apis = loaded.filter(l => l.entity.kind.toLowerCase() === 'api');
  const analyses = await analyzeApis(
    apis.filter(l => !l.definitionNotRead).map(l => l.entity),
    { maxDefinitionBytes: maxDefinitionBytes(config) },
  );
  for (const api of apis) {
    if (!api.definitionNotRead) continue;
    const analysis: ApiAnalysis = {
      apiRef: entityRefOf(api.entity),
      type: String(
        (api.entity.spec as { type?: unknown } | undefined)?.type ?? '',
      ).toLocaleLowerCase('en-US'),
      status: 'unknown',
      message: api.definitionNotRead,
      operations: [],
    };
    analyses.set(analysis.apiRef, analysis);
  }
  return analyses;
}

async function score(
  loaded: LoadedEntity[],
  config: MeshReadinessConfig | undefined,
) {
  return evaluateCatalog(
    loaded.map(l => l.entity),
    {
      config,
      apiAnalyses: await analyzeLoadedApis(loaded, config),
      retrySafety: defaultRetrySafety,
    },
  );
}

function byPlace(a: Finding, b: Finding): number {
  return compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0);
}

function packageVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../package.json').version;
  } catch {
    return '0.0.0';
  }
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
    .option(
      '--details',
      'print every service and check, however many services there are',
    )
    .option(
      '--summary-above <n>',
      `print the summary view when there are more than n services (default ${DEFAULT_SUMMARY_ABOVE})`,
      value => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) {
          throw new UsageError(
            `--summary-above ${value}: not a whole number of services`,
          );
        }
        return n;
      },
    )
    .action(
      async (
        paths: string[],
        opts: {
          json?: boolean;
          config?: string;
          details?: boolean;
          summaryAbove?: number;
        },
      ) => {
        const config = readConfig(opts.config);
        const load = loadCatalogFiles(paths, {
          maxDefinitionBytes: maxDefinitionBytes(config),
        });
        for (const f of load.findings.sort(byPlace)) {
          if (f.severity === 'note' && f.rule !== 'definition-url') continue;
          io.err(`${f.line ? `${f.file}:${f.line}` : f.file}: ${f.message}\n`);
        }
        const report = await score(load.entities, config);
        io.out(
          opts.json
            ? `${JSON.stringify(report, null, 2)}\n`
            : formatReport(report, {
                details: opts.details,
                summaryAbove: opts.summaryAbove,
                width: process.stdout.columns || 100,
                undeclared: new Set(
                  load.entities
                    .filter(
                      l =>
                        !Object.keys(l.entity.metadata.annotations ?? {}).some(
                          k => k.startsWith('mesh-readiness.io/'),
                        ),
                    )
                    .map(l => entityRefOf(l.entity)),
                ),
              }),
        );
      },
    );

  program
    .command('lint')
    .description(
      'Validate the mesh-readiness.io annotations in the given files or folders; exit 1 on an annotation problem, a duplicate entity ref or an unparsable catalog file',
    )
    .argument(
      '<paths...>',
      'catalog YAML files or folders (Locations are followed)',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices([...LINT_FORMATS])
        .default('text'),
    )
    .action((paths: string[], opts: { format: LintFormat }) => {
      const load = loadCatalogFiles(paths);
      const findings = [...load.findings];
      for (const { entity, file, lineOf } of load.entities) {
        for (const problem of parseAnnotations(entity).problems) {
          // key: message (the model's messages start with the key)
          const text = problem.message.startsWith(problem.key)
            ? problem.message
            : `${problem.key}: ${problem.message}`;
          findings.push({
            file,
            line: lineOf(problem.key),
            severity: 'error',
            rule: 'annotation',
            message: text,
          });
        }
      }
      findings.sort(byPlace);
      io.out(formatLint(load, findings, opts.format, packageVersion()));
      if (findings.some(f => f.severity === 'error')) exitCode = 1;
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
