// The signed-in person as the API sees them: who, how recently authenticated, and for whom they may act.
import { type Static, Type } from 'typebox';

export const SessionSchema = Type.Object(
  {
    person: Type.Object({
      nationalNumber: Type.String({ description: 'National number, digits only', examples: ['85073003328'] }),
      name: Type.Union([Type.String(), Type.Null()], { description: 'As given by the identity provider, if it did' }),
    }),
    authTime: Type.String({ format: 'date-time', description: 'When the person last authenticated at the identity provider' }),
    authLevel: Type.Union([Type.String(), Type.Null()], { description: 'Assurance level (acr) reported by the identity provider' }),
    signFreshUntil: Type.String({
      format: 'date-time',
      description: 'Signing is possible until this instant; after it, sign in again (GET /auth/login?max_age=0)',
    }),
    via: Type.Union([Type.Literal('session'), Type.Literal('bearer')], { description: 'Session cookie or bearer access token' }),
    enterprises: Type.Array(Type.Object({ enterpriseNumber: Type.String({ examples: ['0403170701'] }) }), {
      description: 'Enterprises this person may represent (and act for)',
    }),
  },
  { description: 'Who I am and for whom I may act' },
);
export type SessionBody = Static<typeof SessionSchema>;
