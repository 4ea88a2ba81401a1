// treesnap's command line with every command (dist/cli/main.cjs); the program
// itself is program.ts. A query starts from query-main.ts's smaller bundle
// instead (scripts/cli-start.cjs).
import { ALL_COMMANDS } from './all-commands.js';
import { startCli } from './program.js';

startCli(ALL_COMMANDS);
