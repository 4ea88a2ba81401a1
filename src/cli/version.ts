// treesnap's version, as `--version` prints it. The build writes package.json's
// version in (scripts/build.mjs); from source (tsx) there is no build, so "dev".
// A constant, not package.json read at run time: the installed CLI may run
// from any directory, where yargs' own lookup finds some other package.json.
declare const TREESNAP_VERSION: string | undefined;

export const VERSION: string = typeof TREESNAP_VERSION === 'string' ? TREESNAP_VERSION : 'dev';
