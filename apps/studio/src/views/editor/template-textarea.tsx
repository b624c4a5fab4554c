/**
 * A textarea with inline autocomplete of template variables: typing `{{` (or `upstream.`, `context.`, `input.` in a
 * prompt; a bare `root.` path in a JSONata condition) opens a list of the names this node can read. Arrow keys move,
 * Enter or Tab inserts, Escape closes, a click inserts. The list only holds what `completionAt` computes.
 */
import { useLayoutEffect, useRef, useState, type TextareaHTMLAttributes } from 'react';
import { applyCompletion, completionAt, type Completion } from '../../core/template-vars.ts';
import './template-textarea.css';

/** Props of {@link TemplateTextarea}. */
export interface TemplateTextareaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> {
  value: string;
  onChange: (value: string) => void;
  /** The names offered (`completionPaths`). */
  paths: string[];
  mode: 'template' | 'condition';
  testid: string;
}

/** The textarea and its completion list. */
export function TemplateTextarea({ value, onChange, paths, mode, testid, ...rest }: TemplateTextareaProps) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [menu, setMenu] = useState<{ c: Completion; active: number } | null>(null);
  const caret = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caret.current !== null && ref.current) {
      ref.current.setSelectionRange(caret.current, caret.current);
      caret.current = null;
    }
  });
  const refresh = (text: string, at: number | null): void => {
    const c = at === null ? null : completionAt(text, at, paths, mode);
    setMenu(c ? { c, active: 0 } : null);
  };
  const pick = (i: number): void => {
    if (!menu) return;
    const item = menu.c.items[i];
    if (!item) return;
    const next = applyCompletion(value, menu.c, item.insert);
    caret.current = next.caret;
    setMenu(null);
    onChange(next.text);
  };
  return (
    <div className="autocomplete">
      <textarea
        {...rest}
        ref={ref}
        value={value}
        spellCheck={false}
        data-testid={testid}
        aria-autocomplete="list"
        aria-expanded={menu !== null}
        onChange={(e) => {
          onChange(e.target.value);
          refresh(e.target.value, e.target.selectionStart);
        }}
        onClick={(e) => refresh(e.currentTarget.value, e.currentTarget.selectionStart)}
        onKeyUp={(e) => {
          if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) refresh(e.currentTarget.value, e.currentTarget.selectionStart);
        }}
        onBlur={() => setMenu(null)}
        onKeyDown={(e) => {
          if (!menu) return;
          const n = menu.c.items.length;
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setMenu({ ...menu, active: (menu.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n });
          } else if (e.key === 'Enter' || e.key === 'Tab') {
            e.preventDefault();
            pick(menu.active);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            setMenu(null);
          }
        }}
      />
      {menu && (
        <ul className="autocomplete-menu" role="listbox" data-testid={`autocomplete-${testid}`}>
          {menu.c.items.map((item, i) => (
            <li
              key={item.path}
              role="option"
              aria-selected={i === menu.active}
              className={i === menu.active ? 'active' : ''}
              data-path={item.path}
              // mousedown, not click: the textarea keeps focus (its blur would close the list first).
              onMouseDown={(e) => {
                e.preventDefault();
                pick(i);
              }}
            >
              {item.path}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
