// Contact details, the e-mail confirmation link, the in-app inbox, and (development only) the local
// mail sink. Each route: schema, the caller, one use case, the mapping of its outcome.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { confirmEmail, getContact, type Outcome, updateContact } from '../../app/notifications/contacts.js';
import { formatParty } from '../../app/notifications/format.js';
import { listInbox, markInboxRead } from '../../app/notifications/inbox.js';
import { listSink, readSinkFile } from '../../app/notifications/mailer.js';
import { CONFIRMATION } from '../../app/notifications/messages.js';
import type { Config } from '../../config.js';
import { isLanguage, type Language, type Party, parseEnterpriseNumber } from '../../core/party.js';
import { requirePerson } from '../plugins/auth.js';
import { HttpProblem } from '../problem.js';
import { problems } from '../schemas/common.js';
import {
  ConfirmedSchema,
  ConfirmQuerySchema,
  ContactBodySchema,
  ContactSchema,
  DevMailSchema,
  InboxQuerySchema,
  InboxSchema,
  MarkReadBodySchema,
  MarkReadResultSchema,
  PartyQuerySchema,
} from '../schemas/notifications.js';

const tags = ['self-service'];
const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

/** `?party=`: an enterprise number (or one's own national number); absent means the caller themself. */
export function partyFromQuery(personId: string, raw: string | undefined): Party {
  if (raw === undefined || raw.replace(/\D/g, '') === personId) return { kind: 'person', id: personId };
  const enterprise = parseEnterpriseNumber(raw, 'party');
  if (!enterprise.ok) throw HttpProblem.fromRefusal(enterprise.refusal);
  return { kind: 'enterprise', id: enterprise.value };
}

/** The first of nl, fr, de, en the browser asks for. */
export function acceptedLanguage(request: FastifyRequest): Language | undefined {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (isLanguage(tag)) return tag;
  }
  return undefined;
}

function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new HttpProblem(outcome.problem.status, outcome.problem.code, outcome.problem.message, outcome.problem.field);
  return outcome.value;
}

const page = (lang: Language, title: string, detail: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family: Arial, Helvetica, sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em"><h1>${title}</h1><p>${detail}</p><p><a href="/mandates">SSM</a></p></body></html>`;
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export async function notificationRoutes(server: FastifyInstance, { app, config }: { app: AppContext; config: Config }) {
  const render = { catalogue: app.catalogue, publicUrl: config.publicUrl };

  server.get(
    '/contact',
    {
      schema: {
        tags,
        security,
        summary: 'My contact details (or those of an enterprise I represent)',
        querystring: PartyQuerySchema,
        response: { 200: ContactSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const person = requirePerson(request);
      const q = request.query as Static<typeof PartyQuerySchema>;
      return unwrap(await getContact(app, person.nationalNumber, partyFromQuery(person.nationalNumber, q.party)));
    },
  );

  server.put(
    '/contact',
    {
      schema: {
        tags,
        security,
        summary: 'Change my contact details; a new e-mail address gets a confirmation link and receives nothing else until confirmed',
        querystring: PartyQuerySchema,
        body: ContactBodySchema,
        response: { 200: ContactSchema, ...problems(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const person = requirePerson(request);
      const q = request.query as Static<typeof PartyQuerySchema>;
      const body = request.body as Static<typeof ContactBodySchema>;
      const party = partyFromQuery(person.nationalNumber, q.party);
      return unwrap(await updateContact(app, render, person.nationalNumber, party, body, acceptedLanguage(request) ?? 'nl'));
    },
  );

  server.get(
    '/contact/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm an e-mail address (the link in the confirmation e-mail); answers an HTML page to browsers',
        querystring: ConfirmQuerySchema,
        response: { 200: ConfirmedSchema, ...problems(400, 404) },
      },
    },
    async (request, reply: FastifyReply) => {
      const { token } = request.query as Static<typeof ConfirmQuerySchema>;
      const contact = await confirmEmail(app, token);
      const wantsHtml = (request.headers.accept ?? '').includes('text/html');
      const lang = contact?.language ?? acceptedLanguage(request) ?? 'nl';
      const words = CONFIRMATION[lang].page;
      reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
      if (!contact) {
        if (wantsHtml)
          return reply
            .code(404)
            .type('text/html; charset=utf-8')
            .send(page(lang, words.failed, words.failedDetail));
        throw new HttpProblem(404, 'CONFIRMATION_INVALID', 'This confirmation link is unknown, used or expired.', 'token');
      }
      const email = contact.email as string;
      if (wantsHtml) {
        const detail = `${escapeHtml(words.doneDetail(email))} (${escapeHtml(formatParty(contact.party, lang))})`;
        return reply.type('text/html; charset=utf-8').send(page(lang, words.done, detail));
      }
      return { confirmed: true, party: contact.party, email };
    },
  );

  server.get(
    '/inbox',
    {
      schema: {
        tags,
        security,
        summary: 'My notifications (or an enterprise’s I represent), newest first, with the unread count',
        querystring: InboxQuerySchema,
        response: { 200: InboxSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const person = requirePerson(request);
      const q = request.query as Static<typeof InboxQuerySchema>;
      const party = partyFromQuery(person.nationalNumber, q.party);
      return unwrap(
        await listInbox(app, render, person.nationalNumber, party, {
          limit: q.limit ?? 50,
          cursor: q.cursor,
          unreadOnly: q.unread,
          lang: q.lang,
        }),
      );
    },
  );

  server.post(
    '/inbox/read',
    {
      schema: {
        tags,
        security,
        summary: 'Mark notifications read: some ({"ids": [...]}) or all ({"all": true})',
        querystring: PartyQuerySchema,
        body: MarkReadBodySchema,
        response: { 200: MarkReadResultSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const person = requirePerson(request);
      const q = request.query as Static<typeof PartyQuerySchema>;
      const body = (request.body ?? {}) as Static<typeof MarkReadBodySchema>;
      if (body.all !== true && body.ids === undefined) {
        throw new HttpProblem(400, 'REQUEST_INVALID', 'Name the notifications to mark read ("ids"), or send "all": true.', 'ids');
      }
      const party = partyFromQuery(person.nationalNumber, q.party);
      return unwrap(await markInboxRead(app, person.nationalNumber, party, body.all === true ? null : (body.ids ?? [])));
    },
  );

  if (config.devIdp) {
    const transport = config.smtpUrl ? 'smtp' : 'sink';
    server.get(
      '/dev/mail',
      {
        schema: {
          tags: ['operations'],
          summary: 'Development only: the messages in the local mail sink, newest first',
          response: { 200: DevMailSchema },
        },
      },
      async () => ({ transport, directory: config.mailDir, items: await listSink(config.mailDir) }),
    );
    server.get(
      '/dev/mail/:file',
      {
        schema: {
          tags: ['operations'],
          summary: 'Development only: one raw message of the local mail sink',
          params: { type: 'object', properties: { file: { type: 'string', maxLength: 200 } }, required: ['file'] },
          response: {
            200: { description: 'The raw message (RFC 5322)', content: { 'text/plain': { schema: { type: 'string' } } } },
            ...problems(404),
          },
        },
      },
      async (request, reply) => {
        const raw = await readSinkFile(config.mailDir, (request.params as { file: string }).file);
        if (raw === undefined) throw new HttpProblem(404, 'MAIL_NOT_FOUND', 'No such message in the mail sink.', 'file');
        return reply.type('text/plain; charset=utf-8').send(raw);
      },
    );
  }
}
