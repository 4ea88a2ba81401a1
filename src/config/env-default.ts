// Options read from the environment are explicit defaults: TREESNAP_<NAME>.
// (yargs' blanket .env() would make every TREESNAP_* variable an argument of
// every command, which strict mode rejects.)
export function envDefault(name: string): string | undefined {
  return process.env[`TREESNAP_${name}`] || undefined;
}
