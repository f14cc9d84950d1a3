// Form parts in the manner of government design systems: a label, a hint and an error message tied
// to each input; radios and dates grouped in a fieldset with a legend; an error summary on top.
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DateParts } from '../lib/format.js';

export interface FieldError {
  /** The id of the input (or of the first input of a group) the error belongs to. */
  field: string;
  message: string;
}

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

/** The list of problems on top of a page; it takes the focus when it appears so screen readers read it at once. */
export function ErrorSummary({ errors }: { errors: FieldError[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const signature = errors.map((e) => `${e.field}:${e.message}`).join('|');
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus again whenever the set of errors changes
  useEffect(() => {
    if (errors.length > 0) ref.current?.focus();
  }, [signature]);
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} aria-labelledby="error-summary-title" role="alert">
      <h2 id="error-summary-title" className="error-summary__title">
        {t('errors.summaryTitle')}
      </h2>
      <ul className="error-summary__list">
        {errors.map((error) => (
          <li key={`${error.field}:${error.message}`}>
            <a
              href={`#${error.field}`}
              onClick={(event) => {
                const target = document.getElementById(error.field);
                if (!target) return;
                event.preventDefault();
                target.focus();
                target.scrollIntoView({ block: 'center' });
              }}
            >
              {error.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ErrorMessage({ id, message }: { id: string; message: string | undefined }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <p id={id} className="error-message">
      <span className="visually-hidden">{t('common.errorPrefix')} </span>
      {message}
    </p>
  );
}

export const errorFor = (errors: FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

interface TextInputProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange(value: string): void;
  inputMode?: 'numeric' | 'text';
  autoComplete?: string;
  width?: 'full' | 'medium' | 'short';
  /** Extra text read with the input, e.g. the as-you-type check of an identifier. */
  status?: ReactNode;
  spellCheck?: boolean;
  type?: 'text' | 'email';
}

export function TextInput({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  inputMode,
  autoComplete,
  width = 'full',
  status,
  spellCheck,
  type = 'text',
}: TextInputProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const statusId = `${id}-status`;
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div id={hintId} className="hint">
          {hint}
        </div>
      ) : null}
      <ErrorMessage id={errorId} message={error} />
      <input
        id={id}
        name={id}
        className={`input input--${width}${error ? ' input--error' : ''}`}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined, status ? statusId : undefined)}
        aria-invalid={error ? true : undefined}
        inputMode={inputMode}
        autoComplete={autoComplete ?? 'off'}
        spellCheck={spellCheck ?? false}
      />
      {status !== undefined ? (
        <div id={statusId} className="input-status" aria-live="polite">
          {status}
        </div>
      ) : null}
    </div>
  );
}

export interface SelectGroup {
  label: string;
  options: { value: string; label: string }[];
}

/** A drop-down list (with option groups), for choices too many for radios. */
export function Select({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  placeholder,
  groups,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange(value: string): void;
  /** The first, empty choice. */
  placeholder: string;
  groups: SelectGroup[];
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div id={hintId} className="hint">
          {hint}
        </div>
      ) : null}
      <ErrorMessage id={errorId} message={error} />
      <select
        id={id}
        name={id}
        className={`select select--wide${error ? ' input--error' : ''}`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
        aria-invalid={error ? true : undefined}
      >
        <option value="">{placeholder}</option>
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

export function TextArea(props: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange(value: string): void;
}) {
  const { id, label, hint, error, value, onChange } = props;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div id={hintId} className="hint">
          {hint}
        </div>
      ) : null}
      <ErrorMessage id={errorId} message={error} />
      <textarea
        id={id}
        name={id}
        className={`textarea${error ? ' input--error' : ''}`}
        rows={4}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}

/** A question answered with several inputs: the fieldset, its legend, hint and error message, then the inputs. */
function Question(props: {
  id: string;
  legend: ReactNode;
  legendClassName?: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}) {
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;
  return (
    <div className={`form-group${props.error ? ' form-group--error' : ''}`}>
      <fieldset className="fieldset" aria-describedby={describedBy(props.hint ? hintId : undefined, props.error ? errorId : undefined)}>
        <legend className={props.legendClassName ?? 'fieldset__legend'}>{props.legend}</legend>
        {props.hint ? (
          <div id={hintId} className="hint">
            {props.hint}
          </div>
        ) : null}
        <ErrorMessage id={errorId} message={props.error} />
        {props.children}
      </fieldset>
    </div>
  );
}

export interface RadioOption {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
  lang?: string;
  /** Shown under the option while it is chosen (a conditional reveal). */
  conditional?: ReactNode;
}

interface RadiosProps {
  /** The id of the first radio (what the error summary links to); the others get -2, -3 … */
  id: string;
  name: string;
  legend: ReactNode;
  /** The legend is the page's question: render it as the h1. */
  legendIsHeading?: boolean;
  hint?: ReactNode;
  error?: string | undefined;
  options: RadioOption[];
  value: string | undefined;
  onChange(value: string): void;
}

export function Radios({ id, name, legend, legendIsHeading, hint, error, options, value, onChange }: RadiosProps) {
  return (
    <Question
      id={id}
      legend={legendIsHeading ? <PageHeading>{legend}</PageHeading> : legend}
      legendClassName={legendIsHeading ? 'fieldset__legend fieldset__legend--page' : 'fieldset__legend'}
      hint={hint}
      error={error}
    >
      <div className="radios">
        {options.map((option, index) => {
          const optionId = index === 0 ? id : `${id}-${index + 1}`;
          const optionHintId = `${optionId}-hint`;
          const checked = value === option.value;
          return (
            <div key={option.value}>
              <div className="radios__item">
                <input
                  className="radios__input"
                  id={optionId}
                  name={name}
                  type="radio"
                  value={option.value}
                  checked={checked}
                  onChange={() => onChange(option.value)}
                  aria-describedby={option.hint ? optionHintId : undefined}
                />
                <label className="radios__label" htmlFor={optionId} lang={option.lang}>
                  {option.label}
                </label>
                {option.hint ? (
                  <div id={optionHintId} className="hint radios__hint">
                    {option.hint}
                  </div>
                ) : null}
              </div>
              {checked && option.conditional ? <div className="radios__conditional">{option.conditional}</div> : null}
            </div>
          );
        })}
      </div>
    </Question>
  );
}

export interface CheckboxGroup {
  label: string;
  options: { value: string; label: ReactNode }[];
}

interface CheckboxesProps {
  /** The id of the first checkbox (what the error summary links to); the others get -2, -3 … */
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** Options under headings of their own (each a fieldset inside the question's). */
  groups: CheckboxGroup[];
  values: readonly string[];
  onChange(values: string[]): void;
}

/** One question answered with any number of options. */
export function Checkboxes({ id, legend, hint, error, groups, values, onChange }: CheckboxesProps) {
  const firstOf = groups.map((_, g) => groups.slice(0, g).reduce((n, group) => n + group.options.length, 0));
  return (
    <Question id={id} legend={legend} hint={hint} error={error}>
      {groups.map((group, g) => (
        <fieldset key={group.label} className="fieldset fieldset--group">
          <legend className="fieldset__legend fieldset__legend--group">{group.label}</legend>
          {group.options.map((option, o) => {
            const index = (firstOf[g] as number) + o;
            const optionId = index === 0 ? id : `${id}-${index + 1}`;
            const checked = values.includes(option.value);
            return (
              <div key={option.value} className="checkbox">
                <input
                  className="checkbox__input"
                  id={optionId}
                  type="checkbox"
                  value={option.value}
                  checked={checked}
                  onChange={() => onChange(checked ? values.filter((v) => v !== option.value) : [...values, option.value])}
                />
                <label className="checkbox__label" htmlFor={optionId}>
                  {option.label}
                </label>
              </div>
            );
          })}
        </fieldset>
      ))}
    </Question>
  );
}

interface DateInputProps {
  /** The id prefix: the day field is `${id}`, then `${id}-month`, `${id}-year`. */
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  value: DateParts;
  onChange(value: DateParts): void;
}

export function DateInput({ id, legend, hint, error, value, onChange }: DateInputProps) {
  const { t } = useTranslation();
  const parts = [
    { key: 'day' as const, fieldId: id, label: t('date.day'), width: 'date-input__input--2' },
    { key: 'month' as const, fieldId: `${id}-month`, label: t('date.month'), width: 'date-input__input--2' },
    { key: 'year' as const, fieldId: `${id}-year`, label: t('date.year'), width: 'date-input__input--4' },
  ];
  return (
    <Question id={id} legend={legend} hint={hint} error={error}>
      <div className="date-input">
        {parts.map((part) => (
          <div className="date-input__item" key={part.key}>
            <label className="label date-input__label" htmlFor={part.fieldId}>
              {part.label}
            </label>
            <input
              id={part.fieldId}
              name={part.fieldId}
              className={`input ${part.width}${error ? ' input--error' : ''}`}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={value[part.key]}
              onChange={(event) => onChange({ ...value, [part.key]: event.target.value })}
            />
          </div>
        ))}
      </div>
    </Question>
  );
}

export function Button({
  children,
  type = 'submit',
  variant = 'primary',
  onClick,
  disabled,
  id,
}: {
  id?: string;
  children: ReactNode;
  type?: 'submit' | 'button';
  variant?: 'primary' | 'secondary' | 'warning';
  onClick?: () => void;
  disabled?: boolean;
}) {
  return (
    <button id={id} type={type} className={`button button--${variant}`} onClick={onClick} aria-disabled={disabled || undefined}>
      {children}
    </button>
  );
}

/** Hands focus to the page's h1 after a route change (see Layout); the h1 is focusable for that only. */
let focusHeadingOnMount = false;
export const requestHeadingFocus = () => {
  focusHeadingOnMount = true;
};

export function PageHeading({ children, caption }: { children: ReactNode; caption?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const captionId = useId();
  useEffect(() => {
    if (focusHeadingOnMount && ref.current) {
      focusHeadingOnMount = false;
      ref.current.focus();
    }
  });
  return (
    <>
      {caption ? (
        <span className="caption" id={captionId}>
          {caption}
        </span>
      ) : null}
      <h1 className="heading-xl" ref={ref} tabIndex={-1}>
        {children}
      </h1>
    </>
  );
}
