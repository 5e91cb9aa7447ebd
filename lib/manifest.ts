// The manifest of a resource type (DESIGN §3): what the shim needs to know about a type without
// asking JavaScript — name, private-property schema, characteristics, required dependencies,
// timeouts. `wsfc-resource manifest <module>` prints it; the type configuration beside the
// library holds it; the host refuses to serve a module whose manifest differs from the shim's.
// The shape is the normalized form of native/shim/type_manifest.cc (every member present).
import type { ResourceTypeDefinition, ResourceTypeOptions } from './define.js';
import type { PropertyFormat } from './proplist.js';
import type { PropSpec } from './props.js';

/** Milliseconds. The first four are the shim's deadlines inside an entry point (≤ 250 each). */
export interface ResourceTypeTimeouts {
  /** How long LooksAlive waits for the handler before answering from its cache. */
  looksAliveMs: number;
  /** How long IsAlive waits for the handler before answering from its cache. */
  isAliveMs: number;
  /** How long a user control code waits for its handler. */
  controlMs: number;
  /** How long Terminate waits for the host's acknowledgement. */
  terminateAckMs: number;
  /** The type's PendingTimeout default (registration). */
  pendingTimeoutMs: number;
  /** The type's LooksAlivePollInterval default (registration). */
  looksAlivePollIntervalMs: number;
  /** The type's IsAlivePollInterval default (registration). */
  isAlivePollIntervalMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<ResourceTypeTimeouts> = Object.freeze({
  looksAliveMs: 50,
  isAliveMs: 200,
  controlMs: 250,
  terminateAckMs: 250,
  pendingTimeoutMs: 180000,
  looksAlivePollIntervalMs: 5000,
  isAlivePollIntervalMs: 60000,
});

const TIMEOUT_RANGES: Record<keyof ResourceTypeTimeouts, [number, number]> = {
  looksAliveMs: [1, 250],
  isAliveMs: [1, 250],
  controlMs: [1, 250],
  terminateAckMs: [0, 250],
  pendingTimeoutMs: [10, 0xffffffff],
  looksAlivePollIntervalMs: [1, 0xffffffff],
  isAlivePollIntervalMs: [1, 0xffffffff],
};

/** Property values as JSON: 32-bit formats numbers, 64-bit formats decimal strings, binary hex. */
export type ManifestValue = number | string | string[];

export interface ManifestProperty {
  name: string;
  format: PropertyFormat;
  required: boolean;
  readOnly: boolean;
  default?: ManifestValue;
  min?: ManifestValue;
  max?: ManifestValue;
  description?: string;
}

export interface ResourceTypeManifest {
  name: string;
  properties: ManifestProperty[];
  characteristics: number;
  /** GET_FLAGS. */
  flags: number;
  /** GET_CLASS_INFO. */
  resourceClass: number;
  resourceSubClass: number;
  requiredDependencies: { classes: number[]; types: string[] };
  timeouts: ResourceTypeTimeouts;
  /** A SET on an online resource answers ERROR_RESOURCE_PROPERTIES_STORED. */
  restartOnPropertyChange: boolean;
  /** The module has a validate hook; the shim asks it after its own schema check. */
  hasValidate: boolean;
}

function isU32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

/** Throws a TypeError naming the first problem in the manifest-only options of a definition. */
export function checkManifestOptions(
  o: Pick<ResourceTypeOptions<never>, 'name' | 'characteristics' | 'flags' | 'resourceClass' | 'resourceSubClass' | 'requiredDependencies' | 'timeouts'>,
): void {
  const where = `defineResourceType(${o.name})`;
  for (const key of ['characteristics', 'flags', 'resourceClass', 'resourceSubClass'] as const) {
    if (o[key] !== undefined && !isU32(o[key])) throw new TypeError(`${where}: ${key} must be a 32-bit unsigned integer`);
  }
  const deps = o.requiredDependencies;
  if (deps !== undefined) {
    if (typeof deps !== 'object' || deps === null) throw new TypeError(`${where}: requiredDependencies must be { classes?, types? }`);
    if (deps.classes !== undefined && !(Array.isArray(deps.classes) && deps.classes.every(isU32))) {
      throw new TypeError(`${where}: requiredDependencies.classes must be an array of resource class numbers`);
    }
    if (deps.types !== undefined && !(Array.isArray(deps.types) && deps.types.every((t) => typeof t === 'string' && t !== ''))) {
      throw new TypeError(`${where}: requiredDependencies.types must be an array of resource type names`);
    }
  }
  for (const [key, value] of Object.entries(o.timeouts ?? {})) {
    const range = TIMEOUT_RANGES[key as keyof ResourceTypeTimeouts];
    if (!range) throw new TypeError(`${where}: unknown timeout '${key}' (known: ${Object.keys(TIMEOUT_RANGES).join(', ')})`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1]) {
      throw new TypeError(`${where}: timeouts.${key} must be an integer from ${range[0]} to ${range[1]}`);
    }
  }
}

function toManifestValue(format: PropertyFormat, v: unknown): ManifestValue {
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'number' || typeof v === 'string') return v;
  throw new TypeError(`a ${format} value cannot be ${typeof v}`);
}

function propertyOf(name: string, spec: PropSpec): ManifestProperty {
  const p: ManifestProperty = { name, format: spec.format, required: spec.required, readOnly: spec.readOnly };
  if (spec.default !== undefined) p.default = toManifestValue(spec.format, spec.default);
  if (spec.min !== undefined) p.min = toManifestValue(spec.format, spec.min);
  if (spec.max !== undefined) p.max = toManifestValue(spec.format, spec.max);
  if (spec.description) p.description = spec.description;
  return p;
}

/** The manifest a definition describes, normalized (every member present). */
export function manifestOf(def: ResourceTypeDefinition): ResourceTypeManifest {
  return {
    name: def.name,
    properties: Object.entries(def.properties).map(([name, spec]) => propertyOf(name, spec)),
    characteristics: def.characteristics ?? 0,
    flags: def.flags ?? 0,
    resourceClass: def.resourceClass ?? 0,
    resourceSubClass: def.resourceSubClass ?? 0,
    requiredDependencies: {
      classes: [...(def.requiredDependencies?.classes ?? [])],
      types: [...(def.requiredDependencies?.types ?? [])],
    },
    timeouts: { ...DEFAULT_TIMEOUTS, ...def.timeouts },
    restartOnPropertyChange: def.restartOnPropertyChange ?? true,
    hasValidate: typeof def.validate === 'function',
  };
}

type Sides = readonly [string, string];
const SHIM_AND_MODULE: Sides = ['in the configuration', 'in the module'];

function difference(a: unknown, b: unknown, path: string, sides: Sides = SHIM_AND_MODULE): string | undefined {
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} entries ${sides[0]}, ${b.length} ${sides[1]}`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], `${path}[${i}]`, sides);
      if (d) return d;
    }
    return undefined;
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = difference(a[key], b[key], `${path}.${key}`, sides);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${show(a)} ${sides[0]}, ${show(b)} ${sides[1]}`;
}

/**
 * How the manifest of a compiled module (what a host process serves) differs from that of a
 * definition in hand (the source a test imported), or undefined if it does not.
 */
export function compiledManifestDifference(compiled: ResourceTypeDefinition, given: ResourceTypeDefinition): string | undefined {
  const plain = (def: ResourceTypeDefinition): unknown => JSON.parse(JSON.stringify(manifestOf(def)));
  return difference(plain(compiled), plain(given), 'manifest', ['in the compiled module', 'in the definition passed']);
}

/**
 * Why the manifest the shim holds (its JSON text) does not describe this definition, or
 * undefined when it does.
 */
export function manifestMismatch(shimManifestJson: string, def: ResourceTypeDefinition): string | undefined {
  let theirs: unknown;
  try {
    theirs = JSON.parse(shimManifestJson);
  } catch {
    return 'the shim sent a manifest that is not JSON';
  }
  const mine: unknown = JSON.parse(JSON.stringify(manifestOf(def)));
  const d = difference(theirs, mine, 'manifest');
  return d && `the module's manifest differs from the type configuration's (regenerate it with 'wsfc-resource manifest'): ${d}`;
}
