// Configuration: validated at boot with messages naming the variable, and documented in one table.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, VARIABLES } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('sqlite:./data/ssm.db');
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('refuses bad values at boot, naming each variable', () => {
    expect(() => loadConfig({ SSM_PORT: 'eighty', SSM_DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig({ SSM_PORT: 'eighty', SSM_DATABASE_URL: 'mysql://x' });
    } catch (error) {
      expect((error as Error).message).toContain('SSM_PORT');
      expect((error as Error).message).toContain('SSM_DATABASE_URL');
    }
  });

  it('documents every variable in the README table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const missing = VARIABLES.map((v) => v.env).filter((env) => !readme.includes(`| \`${env}\``));
    expect(missing).toEqual([]);
  });
});
