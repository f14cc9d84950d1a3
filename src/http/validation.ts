// How request bodies, queries and parameters are validated: the options of the routes' ajv, and our
// RFC 3339 reading as its date-time format (the routes then use the same reading for the value).
import { Ajv, type Options } from 'ajv';
import type { TSchema } from 'typebox';
import { parseInstant } from '../core/dates.js';

export const AJV_OPTIONS = {
  removeAdditional: false,
  coerceTypes: 'array',
  useDefaults: true,
  allErrors: false,
} as const satisfies Options;

export function addInstantFormat<A extends Pick<Ajv, 'addFormat'>>(ajv: A): A {
  ajv.addFormat('date-time', { type: 'string', validate: (text: string) => !Number.isNaN(parseInstant(text)) });
  return ajv;
}

/**
 * The schema compiled as the routes compile it, except that string lengths are counted in UTF-16
 * units instead of code points (a batch of checks has thousands of strings; counting code points
 * was most of its validation). That only counts a character beyond U+FFFF twice, so this accepts
 * nothing the route's own validator refuses: whatever it refuses goes to the route to be judged.
 * ajv 8 still honours `unicode: false` but calls it deprecated on every start, so this private
 * instance logs nothing (strict mode is off: it has nothing else to say). Should a later ajv drop
 * the option, this validator becomes the route's own: slower, never wrong.
 */
export function compileStricterLengths(schema: TSchema) {
  const ajv = addInstantFormat(new Ajv({ ...AJV_OPTIONS, unicode: false, strict: false, logger: false }));
  return ajv.compile(schema);
}
