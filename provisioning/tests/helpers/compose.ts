// Reads docker-compose.yml the way `docker compose config` would with an empty .env: each
// ${VAR:-default} / ${VAR-default} takes its default, $$ is a literal $.
import { readRepoYaml } from './repo.js';

export interface ComposeHealthcheck {
  test: string[] | string;
}
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  volumes?: (string | LongMount)[];
  ports?: string[];
  command?: string[] | string;
  healthcheck?: ComposeHealthcheck;
  depends_on?: Record<string, { condition: string }>;
}
/** The long volume syntax: { type: bind, source, target, read_only, bind: {...} }. */
export interface LongMount {
  type: 'bind' | 'volume';
  source: string;
  target: string;
  read_only?: boolean;
  bind?: { create_host_path?: boolean };
}
export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function withComposeDefaults(value: string): string {
  return value
    .replace(/\$\{(\w+)(:?-)([^}]*)\}/g, (_whole, _name: string, _op: string, fallback: string) => fallback)
    .replace(/\$\{(\w+)\}/g, '')
    .replace(/\$\$/g, '$');
}

function resolve<T>(value: T): T {
  if (typeof value === 'string') return withComposeDefaults(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => resolve(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)])) as T;
  }
  return value;
}

export function readCompose(): ComposeFile {
  return resolve(readRepoYaml('docker-compose.yml') as ComposeFile);
}

export function service(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service '${name}'`);
  return found;
}

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  /** A named volume rather than a path on the host. */
  named: boolean;
  /** Compose creates a missing host path (only the long syntax can turn that off). */
  createsHostPath: boolean;
}

export function mounts(svc: ComposeService): Mount[] {
  return (svc.volumes ?? []).map((spec) => {
    if (typeof spec !== 'string') {
      return {
        source: spec.source,
        target: spec.target,
        readOnly: spec.read_only === true,
        named: spec.type === 'volume',
        createsHostPath: spec.type === 'bind' && spec.bind?.create_host_path !== false,
      };
    }
    const [source = '', target = '', mode] = spec.split(':');
    const named = !/^[./]/.test(source);
    return { source, target, readOnly: mode === 'ro', named, createsHostPath: !named };
  });
}

/** The container port published for a host port mapping like '127.0.0.1:8080:8080'. */
export function containerPorts(svc: ComposeService): number[] {
  return (svc.ports ?? []).map((spec) => Number(spec.split(':').at(-1)));
}
