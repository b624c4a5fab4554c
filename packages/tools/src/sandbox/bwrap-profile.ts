/**
 * The bubblewrap profile of a tool process: every namespace unshared (network only on request), no capabilities, an
 * unprivileged uid, a new session, death with the server, read-only system directories and a handful of /etc files,
 * a private /tmp and HOME, /proc of its own PID namespace, and the workspace as the only writable host directory.
 * Nothing else of the host (the server's data dir, other workspaces, /root, /proc of the server) exists inside.
 */
import { lstatSync, readlinkSync } from 'node:fs';

/** HOME inside the sandbox (an empty private directory). */
export const SANDBOX_HOME = '/home/sandbox';
/** PATH inside the sandbox. */
export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The uid and gid tool processes run as inside the sandbox (nobody). */
export const SANDBOX_UID = 65534;

const TOP_LEVEL = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const ETC_FILES = [
  '/etc/passwd', '/etc/group', '/etc/nsswitch.conf', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d',
  '/etc/alternatives', '/etc/localtime', '/etc/mime.types', '/etc/ssl', '/etc/ca-certificates',
];
const NETWORK_ETC_FILES = ['/etc/hosts', '/etc/resolv.conf', '/etc/host.conf', '/etc/gai.conf', '/etc/services', '/etc/protocols'];

/** What the profile is built from. */
export interface BwrapProfileSpec {
  /** Real path of the workspace: bound read-write at the same path. */
  workspace: string;
  /** Working directory (absolute, inside the workspace). */
  cwd: string;
  /** The complete environment of the process (bwrap starts from an empty one). */
  env: Readonly<Record<string, string>>;
  network?: boolean;
  ro_binds?: readonly string[];
}

function topLevel(dir: string): string[] {
  try {
    const info = lstatSync(dir);
    if (info.isSymbolicLink()) return ['--symlink', readlinkSync(dir), dir];
    if (info.isDirectory()) return ['--ro-bind', dir, dir];
  } catch {
    // absent on this host
  }
  return [];
}

/** The bwrap arguments before `--` and the program. */
export function bwrapArgs(spec: BwrapProfileSpec): string[] {
  const args = [
    '--unshare-all', '--unshare-user', ...(spec.network ? ['--share-net'] : []),
    '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_UID), '--cap-drop', 'ALL',
    '--die-with-parent', '--new-session', '--hostname', 'sandbox',
    '--ro-bind', '/usr', '/usr',
    ...TOP_LEVEL.flatMap(topLevel),
    ...[...ETC_FILES, ...(spec.network ? NETWORK_ETC_FILES : [])].flatMap((f) => ['--ro-bind-try', f, f]),
    ...(spec.ro_binds ?? []).flatMap((p) => ['--ro-bind-try', p, p]),
    '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--dir', SANDBOX_HOME,
    '--bind', spec.workspace, spec.workspace,
    '--chdir', spec.cwd,
    '--clearenv',
  ];
  for (const [name, value] of Object.entries(spec.env)) args.push('--setenv', name, value);
  return args;
}
