// `ssm dev-token --person <national number>`: a bearer access token from the local identity provider
// of a running server, obtained through the real authorization code grant; prints only the token.
import { parseArgs } from 'node:util';
import { devAccessToken } from '../auth/dev-login.js';
import { parseNationalNumber } from '../core/party.js';
import { print, UsageError } from './io.js';

export async function devToken(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { person: { type: 'string' }, issuer: { type: 'string' } } });
  if (!values.person) throw new UsageError('ssm dev-token --person <national number> [--issuer <url>]');
  const person = parseNationalNumber(values.person, 'person');
  if (!person.ok) throw new UsageError(`--person: ${person.refusal.message}`);
  const issuer = values.issuer ?? `${process.env.SSM_PUBLIC_URL || 'http://localhost:3000'}/idp`;
  try {
    print(await devAccessToken(issuer, person.value));
    return 0;
  } catch (error) {
    process.stderr.write(
      `ssm dev-token: no token from ${issuer}: ${(error as Error).message}\n(is the server running with SSM_DEV_IDP=1?)\n`,
    );
    return 1;
  }
}
