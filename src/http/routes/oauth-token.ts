// POST /oauth2/token: the OAuth 2 client credentials grant (RFC 6749 §4.4) for business applications.
// The client authenticates with HTTP Basic (client_secret_basic) or with client_id and client_secret
// in the form (client_secret_post), never both, and gets a short-lived bearer access token. Errors
// carry RFC 6749's `error` and `error_description`, which OAuth client libraries read, besides the
// problem fields every other refusal of this API has.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { verifyClientCredentials } from '../../app/api-clients.js';
import { issueClientToken } from '../../app/client-tokens.js';
import type { AppContext } from '../../app/context.js';
import { PROBLEM_BASE } from '../problem.js';

type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

function refuse(reply: FastifyReply, status: number, error: OAuthError, description: string, field: string) {
  if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="ssm"');
  return reply
    .code(status)
    .type('application/json')
    .send({
      error,
      error_description: description,
      type: `${PROBLEM_BASE}oauth-${error.replace(/_/g, '-')}`,
      title: status === 401 ? 'Authentication required' : 'Bad request',
      status,
      code: `OAUTH_${error.toUpperCase()}`,
      detail: description,
      field,
    });
}

/** The credentials a token request carries, or why they cannot be read. */
function credentialsOf(authorization: string | undefined, form: Record<string, string>) {
  const inForm = form.client_id !== undefined || form.client_secret !== undefined;
  if (authorization !== undefined) {
    if (inForm) return { problem: 'Authenticate one way: HTTP Basic or client_id and client_secret in the form, not both.' };
    if (!/^basic\s/i.test(authorization)) return { problem: 'Authenticate the client with HTTP Basic (client id and secret).' };
    const decoded = Buffer.from(authorization.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // RFC 6749 §2.3.1: the id and secret are form-encoded before they go into Basic.
    const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
    try {
      return colon > 0
        ? { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)), header: true }
        : { id: '', secret: '', header: true };
    } catch {
      return { id: '', secret: '', header: true };
    }
  }
  if (!inForm) return { problem: 'Authenticate the client: HTTP Basic, or client_id and client_secret in the form.' };
  return { id: form.client_id ?? '', secret: form.client_secret ?? '', header: false };
}

export async function oauthTokenRoutes(server: FastifyInstance, { app, publicUrl }: { app: AppContext; publicUrl: string }) {
  // What OAuth clients send (RFC 6749 §4.4.2); JSON is read as well.
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  server.post(
    '/oauth2/token',
    {
      config: { machineApi: true },
      schema: {
        tags: ['business'],
        summary: 'Client credentials grant: an access token for a business application (send it as Authorization: Bearer)',
        consumes: ['application/x-www-form-urlencoded'],
      },
    },
    async (request, reply) => {
      const raw = request.body;
      const form: Record<string, string> = {};
      if (raw && typeof raw === 'object') {
        for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') form[key] = value;
      }
      if (form.grant_type === undefined)
        return refuse(reply, 400, 'invalid_request', 'grant_type is required (client_credentials).', 'grant_type');
      if (form.grant_type !== 'client_credentials') {
        return refuse(reply, 400, 'unsupported_grant_type', 'Only the client_credentials grant is offered here.', 'grant_type');
      }
      const credentials = credentialsOf(request.headers.authorization, form);
      if ('problem' in credentials) return refuse(reply, 400, 'invalid_request', credentials.problem as string, 'Authorization');
      const verified = await verifyClientCredentials(app, credentials.id, credentials.secret);
      if (!verified) {
        // 401 with a challenge when the client authenticated with the header (RFC 6749 §5.2).
        return refuse(
          reply,
          credentials.header ? 401 : 400,
          'invalid_client',
          'Unknown client, wrong secret, or a revoked client.',
          credentials.header ? 'Authorization' : 'client_secret',
        );
      }
      const { token, expiresIn } = await issueClientToken(app, verified.client, publicUrl, undefined, verified.until);
      reply.header('Pragma', 'no-cache');
      return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
    },
  );
}
