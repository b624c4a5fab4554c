/** A JSON (or template) textarea that keeps its own text, checks it as you type and reports parsed values. */
import { useEffect, useRef, useState } from 'react';
import type { ParseResult } from '../core/json-text.ts';
import { prettyJson } from '../core/json-text.ts';

/** Props of {@link JsonField}. */
export interface JsonFieldProps<T> {
  value: T;
  parse: (text: string) => ParseResult<T>;
  onChange: (value: T) => void;
  format?: (value: T) => string;
  rows?: number;
  placeholder?: string;
  testid?: string;
  disabled?: boolean;
}

/**
 * Edits a value as JSON text. `onChange` fires only with values that parse; a parse error is shown under the
 * field. The text resets when `value` changes from outside (e.g. undo) to something the text does not represent.
 */
export function JsonField<T>({ value, parse, onChange, format = (v) => prettyJson(v), rows = 6, placeholder, testid, disabled }: JsonFieldProps<T>) {
  const [text, setText] = useState(() => format(value));
  const [error, setError] = useState<string | null>(null);
  const lastEmitted = useRef<T>(value);
  useEffect(() => {
    if (value !== lastEmitted.current) {
      lastEmitted.current = value;
      setText(format(value));
      setError(null);
    }
  }, [value, format]);
  return (
    <div className="json-field">
      <textarea
        className={`mono${error ? ' invalid' : ''}`}
        rows={rows}
        value={text}
        placeholder={placeholder}
        spellCheck={false}
        disabled={disabled}
        data-testid={testid}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          const r = parse(t);
          if (r.ok) {
            setError(null);
            lastEmitted.current = r.value;
            onChange(r.value);
          } else setError(r.error);
        }}
      />
      {error && (
        <span className="field-error" data-testid={testid ? `${testid}-error` : undefined}>
          {error}
        </span>
      )}
    </div>
  );
}
