// A resource type's manifest: what the shim needs natively (the property schema, characteristics,
// class, dependencies) so property control codes work without the host. Serialised to JSON for the
// `<dll name>.json` beside the library; handed to the addon directly in mock mode.
import type { RequiredDependency, ResourceTypeDefinition } from './define.js';
import type { PropertyFormat, PropertyValue } from './proplist.js';

export interface ManifestProperty {
  name: string;
  format: PropertyFormat;
  required: boolean;
  readOnly: boolean;
  min?: number | bigint;
  max?: number | bigint;
}

export interface ResourceTypeManifest {
  name: string;
  properties: ManifestProperty[];
  /** The schema defaults as property-list entries. */
  defaults: PropertyValue[];
  characteristics: number;
  flags: number;
  resourceClass: number;
  resourceSubClass: number;
  requiredDependencies: RequiredDependency[];
  restartOnPropertyChange: boolean;
  hasValidate: boolean;
}

export function manifestOf(def: ResourceTypeDefinition): ResourceTypeManifest {
  const properties: ManifestProperty[] = [];
  const defaults: PropertyValue[] = [];
  for (const [name, spec] of Object.entries(def.properties)) {
    properties.push({
      name,
      format: spec.format,
      required: spec.required,
      readOnly: spec.readOnly,
      ...(spec.min !== undefined ? { min: spec.min } : {}),
      ...(spec.max !== undefined ? { max: spec.max } : {}),
    });
    if (spec.default !== undefined) defaults.push({ name, format: spec.format, value: spec.default } as PropertyValue);
  }
  return {
    name: def.name,
    properties,
    defaults,
    characteristics: def.characteristics ?? 0,
    flags: def.flags ?? 0,
    resourceClass: def.resourceClass ?? 0,
    resourceSubClass: def.resourceSubClass ?? 0,
    requiredDependencies: [...(def.requiredDependencies ?? [])],
    restartOnPropertyChange: def.restartOnPropertyChange ?? true,
    hasValidate: typeof def.validate === 'function',
  };
}
