// Prints the configuration table of the README from the validated schema in src/config.ts, so the two never drift.
import { loadConfig, VARIABLES } from '../src/config.js';

const defaults = loadConfig({}) as unknown as Record<string, unknown>;
const shown = (key: string, env: string) => {
  const value = defaults[key];
  if (env === 'SSM_PUBLIC_URL') return '`http://localhost:<port>`';
  if (value === '' || value === undefined) return '—';
  return `\`${String(value)}\``;
};
process.stdout.write('| variable | default | meaning |\n|---|---|---|\n');
for (const v of VARIABLES) process.stdout.write(`| \`${v.env}\` | ${shown(v.key, v.env)} | ${v.doc} |\n`);
