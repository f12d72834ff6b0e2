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

/** An OpenAPI document with one operation that is not idempotent: POST /orders. */
export const ordersOpenApi = [
  'openapi: 3.0.3',
  'info: { title: Orders, version: "1" }',
  'paths:',
  '  /orders:',
  '    post:',
  '      responses: { "201": { description: created } }',
  '',
].join('\n');
