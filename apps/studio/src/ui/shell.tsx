/** The app frame: left navigation and the content area. */
import type { ReactNode } from 'react';
import { NavLink, Outlet } from 'react-router';
import { nextChoice, setThemeChoice, useTheme, useThemeChoice } from './theme.ts';

const NAV: { to: string; label: string; key: string; sub?: boolean }[] = [
  { to: '/flowcharts', label: 'Flowcharts', key: 'flowcharts' },
  { to: '/runs', label: 'Runs', key: 'runs' },
  { to: '/models', label: 'Models', key: 'models' },
  { to: '/providers', label: 'Provider keys', key: 'providers', sub: true },
  { to: '/memory', label: 'Memory', key: 'memory' },
  { to: '/plans', label: 'Plans', key: 'plans', sub: true },
  { to: '/milestones', label: 'Milestones', key: 'milestones', sub: true },
  { to: '/rag', label: 'RAG', key: 'rag' },
  { to: '/workers', label: 'Workers', key: 'workers' },
  { to: '/migrations', label: 'Migrations', key: 'migrations' },
  { to: '/settings', label: 'Settings', key: 'settings' },
];

/** Layout route: navigation + routed content. */
export function Shell() {
  return (
    <div className="app">
      <nav className="nav" data-testid="nav">
        <div className="brand">
          <span className="brand-mark">◆</span> llmctl <span className="brand-sub">studio</span>
        </div>
        {NAV.map((n) => (
          <NavLink key={n.key} to={n.to} className={({ isActive }) => `nav-item${n.sub ? ' sub' : ''}${isActive ? ' active' : ''}`} data-testid={`nav-${n.key}`}>
            {n.label}
          </NavLink>
        ))}
        <ThemeToggle />
      </nav>
      <main className="main">
        <Outlet />
      </main>
    </div>
  );
}

/** Switches the theme: follow the system → light → dark. */
function ThemeToggle() {
  const choice = useThemeChoice();
  const theme = useTheme();
  const label = choice === 'system' ? `◐ system (${theme})` : choice === 'light' ? '☀ light' : '☾ dark';
  return (
    <button type="button" className="theme-toggle" onClick={() => setThemeChoice(nextChoice(choice))} title="Theme: follow the system, light or dark" data-testid="theme-toggle" data-theme-choice={choice}>
      {label}
    </button>
  );
}

/** Standard page header bar. */
export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <div className="header-actions">{children}</div>
    </header>
  );
}
