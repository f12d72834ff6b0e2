import { run } from '../program';

/** Runs the CLI in-process and collects its exit code and output. */
export async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    out: text => {
      stdout += text;
    },
    err: text => {
      stderr += text;
    },
  });
  return { code, stdout, stderr, all: stdout + stderr };
}
