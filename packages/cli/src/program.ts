import { Command } from 'commander';

/** Exit codes: 0 success, 1 lint errors, 2 usage or I/O errors. */
export function createProgram(): Command {
  const program = new Command('mesh-readiness')
    .description(
      'Score and lint Backstage catalog-info.yaml files for service-mesh readiness.',
    )
    .exitOverride(err => {
      process.exit(err.exitCode === 0 ? 0 : 2);
    });

  program
    .command('score')
    .description('Score the entities in the given files or folders')
    .argument('<paths...>', 'catalog YAML files or folders')
    .option('--json', 'print one JSON document instead of the readable report')
    .option('--config <file>', 'app-config.yaml with a meshReadiness block')
    .action(() => {
      throw new Error('score is not implemented yet');
    });

  program
    .command('lint')
    .description(
      'Validate mesh-readiness.io annotations in the given files or folders',
    )
    .argument('<paths...>', 'catalog YAML files or folders')
    .action(() => {
      throw new Error('lint is not implemented yet');
    });

  return program;
}
