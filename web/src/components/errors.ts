// Turning problems into translated, field-linked messages.
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../app-state.js';
import type { ApiError } from '../lib/api.js';
import { errorMessageKey } from '../lib/errors.js';
import { formatDay } from '../lib/format.js';
import type { DraftError } from '../wizard/draft.js';
import type { FieldError } from './forms.js';

/** Translates validation problems; a `date` parameter is a calendar date shown in the reader's language. */
export function useFieldErrors() {
  const { t } = useTranslation();
  const language = useLanguage();
  return (errors: DraftError[]): FieldError[] =>
    errors.map((e) => {
      const params: Record<string, string | number> = { ...e.params };
      if (typeof params.date === 'string') params.date = formatDay(params.date, language);
      for (const [name, key] of Object.entries(e.keyParams ?? {})) params[name] = t(key);
      return { field: e.field, message: t(e.key, params) };
    });
}

/** The message for an API problem, by its code. */
export function useApiErrorMessage() {
  const { t } = useTranslation();
  return (error: ApiError) => t(errorMessageKey(error.code));
}
