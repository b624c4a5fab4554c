/** A search input that reports its value after the user pauses typing. */
import { useEffect, useState } from 'react';

/** Text input calling `onChange` `delayMs` after the last keystroke. */
export function DebouncedInput({ value, onChange, placeholder, testid, delayMs = 250 }: { value: string; onChange: (v: string) => void; placeholder?: string; testid?: string; delayMs?: number }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onChange(text), delayMs);
    return () => clearTimeout(t);
  }, [text, value, onChange, delayMs]);
  return <input type="search" className="search" value={text} placeholder={placeholder} onChange={(e) => setText(e.target.value)} data-testid={testid} />;
}
