/**
 * Light and dark themes. The user's choice (`system`, `light`, `dark`) is kept in localStorage; the effective theme
 * (`system` follows `prefers-color-scheme`, live) is written to `<html data-theme>`, which the stylesheets key on.
 */
import { useSyncExternalStore } from 'react';

/** What the user chose. */
export type ThemeChoice = 'system' | 'light' | 'dark';
/** What is shown. */
export type Theme = 'light' | 'dark';

const KEY = 'llmctl.theme';
const listeners = new Set<() => void>();

function prefersLight(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-color-scheme: light)').matches;
}

/** The stored choice (`system` when none or unreadable). */
export function themeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** The theme a choice shows, given whether the system prefers light. */
export function resolveTheme(choice: ThemeChoice, systemLight: boolean): Theme {
  return choice === 'system' ? (systemLight ? 'light' : 'dark') : choice;
}

/** Writes the effective theme to `<html>` (`data-theme`, `data-theme-choice`) and notifies subscribers. */
export function applyTheme(): void {
  const choice = themeChoice();
  const root = document.documentElement;
  root.dataset.theme = resolveTheme(choice, prefersLight());
  root.dataset.themeChoice = choice;
  listeners.forEach((l) => l());
}

/** Stores a choice and applies it. */
export function setThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    /* no storage: applies to this page only */
  }
  applyTheme();
}

/** The next choice of the toggle: system → light → dark → system. */
export function nextChoice(c: ThemeChoice): ThemeChoice {
  return c === 'system' ? 'light' : c === 'light' ? 'dark' : 'system';
}

/** Applies the theme now and follows system changes; call once at start-up. */
export function initTheme(): void {
  applyTheme();
  window.matchMedia?.('(prefers-color-scheme: light)').addEventListener?.('change', applyTheme);
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The effective theme, re-rendering on changes. */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, () => (document.documentElement.dataset.theme === 'light' ? 'light' : 'dark'));
}

/** The stored choice, re-rendering on changes. */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, themeChoice);
}
