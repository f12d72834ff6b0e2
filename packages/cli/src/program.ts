import { parse as parseYaml } from 'yaml';
import { Command, CommanderError, Option } from 'commander';
import type { Entity } from '@backstage/catalog-model';
import {
  evaluateCatalog,
  type ManifestObservation,
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
  type LoadedEntity,
  compareText,
  loadCatalogFiles,
  readBounded,
  UsageError,
} from './files';
import { formatLint, LINT_FORMATS, type LintFormat } from './lint';
import {
  DEFAULT_MANIFEST_LIMITS,
  type ManifestLimits,
  readManifests,
} from './manifests';
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

/** The keys of the meshReadiness block that only the backend and the CLI read, not the model. */
const NON_MODEL_KEYS = [
  'schedule',
  'retention',
  'maxDefinitionBytes',
  'limits',
  'manifests',
];

/** What `--config` sets: the model's block, and the CLI's own limits. */
interface CliConfig {
  model?: MeshReadinessConfig;
  /** `maxDefinitionBytes` (at the block's root or under `limits`). */
  maxDefinitionBytes?: number;
  /** `manifests.maxFiles` and `manifests.maxBytes`. */
  manifests: Partial<ManifestLimits>;
}

function readConfig(file: string | undefined): CliConfig {
  if (!file) return { manifests: {} };
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
  const block = (doc as { meshReadiness?: Record<string, unknown> } | null)
    ?.meshReadiness;
  if (block === undefined || block === null) return { manifests: {} };
  if (typeof block !== 'object' || Array.isArray(block)) {
    throw new UsageError(`--config ${file}: meshReadiness must be an object`);
  }
  // Backend settings (schedule, retention…) are not the model's: an
  // app-config.yaml is read as it is.
  const model: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(block)) {
    if (!NON_MODEL_KEYS.includes(key)) model[key] = value;
  }
  try {
    resolveConfig(model);
  } catch (error) {
    throw new UsageError(`--config ${file}: ${(error as Error).message}`);
  }
  const limits = block.limits as { maxDefinitionBytes?: unknown } | undefined;
  const definition = block.maxDefinitionBytes ?? limits?.maxDefinitionBytes;
  const manifests: Partial<ManifestLimits> = {};
  const raw = block.manifests as Record<string, unknown> | undefined;
  for (const key of ['maxFiles', 'maxBytes'] as const) {
    const value = raw?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new UsageError(
        `--config ${file}: meshReadiness.manifests.${key} must be a whole number above 0, got ${JSON.stringify(
          value,
        )}`,
      );
    }
    manifests[key] = value;
  }
  return {
    model: model as MeshReadinessConfig,
    maxDefinitionBytes:
      typeof definition === 'number' && definition > 0 ? definition : undefined,
    manifests,
  };
}

/** A whole number above 0 given to an option. */
function positiveInteger(option: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new UsageError(`${option} ${value}: not a whole number above 0`);
    }
    return n;
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The limits in effect: the options, else --config, else the defaults. */
function manifestLimits(
  config: CliConfig,
  opts: { maxManifestFiles?: number; maxManifestBytes?: number },
): ManifestLimits {
  return {
    maxFiles:
      opts.maxManifestFiles ??
      config.manifests.maxFiles ??
      DEFAULT_MANIFEST_LIMITS.maxFiles,
    maxBytes:
      opts.maxManifestBytes ??
      config.manifests.maxBytes ??
      DEFAULT_MANIFEST_LIMITS.maxBytes,
  };
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
  maxDefinitionBytes?: number,
): Promise<Map<string, ApiAnalysis>> {
  const apis = loaded.filter(l => l.entity.kind.toLowerCase() === 'api');
  const analyses = await analyzeApis(
    apis.filter(l => !l.definitionNotRead).map(l => l.entity),
    { maxDefinitionBytes },
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
  config: CliConfig,
  observations: ReadonlyMap<string, ManifestObservation>,
) {
  return evaluateCatalog(
    loaded.map(l => l.entity),
    {
      config: config.model,
      apiAnalyses: await analyzeLoadedApis(loaded, config.maxDefinitionBytes),
      retrySafety: defaultRetrySafety,
      observations,
    },
  );
}

function byPlace(
  a: { file: string; line?: number },
  b: { file: string; line?: number },
): number {
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
      '--manifests <path>',
      'Kubernetes manifests (a YAML file or a folder of them) for every Component, matched by backstage.io/kubernetes-id, backstage.io/kubernetes-label-selector or name; repeatable',
      collect,
    )
    .option(
      '--max-manifest-files <n>',
      `manifest files read per entity and for all of --manifests (default ${DEFAULT_MANIFEST_LIMITS.maxFiles})`,
      positiveInteger('--max-manifest-files'),
    )
    .option(
      '--max-manifest-bytes <n>',
      `bytes of manifests read per entity and for all of --manifests (default ${DEFAULT_MANIFEST_LIMITS.maxBytes}, 5 MiB)`,
      positiveInteger('--max-manifest-bytes'),
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
          manifests?: string[];
          maxManifestFiles?: number;
          maxManifestBytes?: number;
        },
      ) => {
        const config = readConfig(opts.config);
        const load = loadCatalogFiles(paths, {
          maxDefinitionBytes: config.maxDefinitionBytes,
        });
        const manifests = readManifests(
          load.entities,
          load.roots,
          opts.manifests ?? [],
          manifestLimits(config, opts),
        );
        const notes = manifests.findings.filter(f => f.severity === 'note');
        for (const f of [...load.findings, ...notes].sort(byPlace)) {
          if (
            f.severity === 'note' &&
            f.rule !== 'definition-url' &&
            f.rule !== 'manifests-url'
          )
            continue;
          io.err(`${f.line ? `${f.file}:${f.line}` : f.file}: ${f.message}\n`);
        }
        // Manifest problems once each, however many entities read the file.
        for (const p of [...manifests.problems].sort(byPlace)) {
          io.err(
            `${p.line ? `${p.file}:${p.line}` : p.file}: manifest: ${
              p.message
            }\n`,
          );
        }
        const report = await score(
          load.entities,
          config,
          manifests.observations,
        );
        const inspected = new Set(
          report.entities
            .filter(e => (e.manifests?.workloads.length ?? 0) > 0)
            .map(e => e.entityRef.toLocaleLowerCase('en-US')),
        );
        io.out(
          opts.json
            ? `${JSON.stringify(
                manifests.observations.size > 0
                  ? {
                      ...report,
                      observations: Object.fromEntries(manifests.observations),
                    }
                  : report,
                null,
                2,
              )}\n`
            : formatReport(report, {
                details: opts.details,
                summaryAbove: opts.summaryAbove,
                width: process.stdout.columns || 100,
                observations: manifests.observations,
                undeclared: new Set(
                  load.entities
                    .filter(
                      l =>
                        !Object.keys(l.entity.metadata.annotations ?? {}).some(
                          k => k.startsWith('mesh-readiness.io/'),
                        ) && !inspected.has(entityRefOf(l.entity)),
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
    .option(
      '--manifests <path>',
      'Kubernetes manifests (a YAML file or a folder of them) for every Component; their problems and unmatched Components are warnings; repeatable',
      collect,
    )
    .option(
      '--max-manifest-files <n>',
      `manifest files read per entity and for all of --manifests (default ${DEFAULT_MANIFEST_LIMITS.maxFiles})`,
      positiveInteger('--max-manifest-files'),
    )
    .option(
      '--max-manifest-bytes <n>',
      `bytes of manifests read per entity and for all of --manifests (default ${DEFAULT_MANIFEST_LIMITS.maxBytes}, 5 MiB)`,
      positiveInteger('--max-manifest-bytes'),
    )
    .action(
      (
        paths: string[],
        opts: {
          format: LintFormat;
          manifests?: string[];
          maxManifestFiles?: number;
          maxManifestBytes?: number;
        },
      ) => {
        const load = loadCatalogFiles(paths);
        const manifests = readManifests(
          load.entities,
          load.roots,
          opts.manifests ?? [],
          manifestLimits({ manifests: {} }, opts),
        );
        const findings = [...load.findings, ...manifests.findings];
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
      },
    );

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
