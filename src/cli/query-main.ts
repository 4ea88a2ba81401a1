// The queries' entry (dist/cli/queries.cjs): treesnap's command line with the
// queries alone (query-commands.ts). Everything else starts from main.ts.
import { QUERY_COMMANDS } from './query-commands.js';
import { startCli } from './program.js';

startCli(QUERY_COMMANDS);
