import { createProgram } from './program';

createProgram()
  .parseAsync(process.argv)
  .catch((error: Error) => {
    process.stderr.write(`mesh-readiness: ${error.message}\n`);
    process.exit(2);
  });
