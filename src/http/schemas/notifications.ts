// Schemas of contact details, the inbox, the development mail sink, renewal and the PDF proof.
import { Type } from 'typebox';
import { NOTIFICATION_KINDS } from '../../core/notifications.js';
import { PartySchema } from './common.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const LanguageSchema = Type.Union([Type.Literal('nl'), Type.Literal('fr'), Type.Literal('de'), Type.Literal('en')]);

export const PartyQuerySchema = Type.Object(
  {
    party: Type.Optional(
      Type.String({ maxLength: 32, description: 'An enterprise number you represent (default: yourself)', examples: ['0403170701'] }),
    ),
  },
  { additionalProperties: false },
);

export const ContactSchema = Type.Object({
  party: PartySchema,
  email: Nullable(Type.String()),
  emailConfirmed: Type.Boolean({ description: 'Only a confirmed address receives notifications' }),
  confirmationPendingUntil: Nullable(Type.String({ description: 'Until when the link sent to an unconfirmed address works' })),
  language: Nullable(LanguageSchema),
});

export const ContactBodySchema = Type.Object(
  {
    email: Type.Optional(
      Nullable(Type.String({ maxLength: 254, description: 'A new address gets a confirmation link; null removes the address' })),
    ),
    language: Type.Optional(Nullable(LanguageSchema)),
  },
  { additionalProperties: false },
);

export const ConfirmQuerySchema = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const ConfirmedSchema = Type.Object({ confirmed: Type.Boolean(), party: PartySchema, email: Type.String() });

export const InboxQuerySchema = Type.Object(
  {
    party: Type.Optional(Type.String({ maxLength: 32, description: 'An enterprise number you represent (default: yourself)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    unread: Type.Optional(Type.Boolean({ description: 'Only unread notifications' })),
    lang: Type.Optional(LanguageSchema),
  },
  { additionalProperties: false },
);

export const InboxItemSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union(NOTIFICATION_KINDS.map((k) => Type.Literal(k))),
  mandateId: Nullable(Type.String()),
  at: Type.String(),
  read: Type.Boolean(),
  title: Type.String(),
  text: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
});

export const InboxSchema = Type.Object({
  party: PartySchema,
  unread: Type.Integer({ description: 'Unread notifications in total' }),
  items: Type.Array(InboxItemSchema),
  next: Nullable(Type.String()),
});

export const MarkReadBodySchema = Type.Object(
  {
    ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 })),
    all: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const MarkReadResultSchema = Type.Object({ marked: Type.Integer(), unread: Type.Integer() });

export const DevMailSchema = Type.Object({
  transport: Type.String(),
  directory: Type.String(),
  items: Type.Array(
    Type.Object({ file: Type.String(), messageId: Type.String(), to: Type.String(), subject: Type.String(), date: Type.String() }),
  ),
});

export const ProofQuerySchema = Type.Object({ lang: Type.Optional(LanguageSchema) }, { additionalProperties: false });
