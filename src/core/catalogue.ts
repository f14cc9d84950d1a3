// The catalogue of domains and mandate types: what a mandate may allow, between which kinds of
// party, and for how long. Loaded from the versioned file in catalogue/ and validated here.
import type { Language, PartyKind } from './party.js';
import { LANGUAGES } from './party.js';

export type Labels = Record<Language, string>;

export interface MandateType {
  /** `<domain>.<name>`, e.g. `finance.personal-income-tax`. */
  id: string;
  domain: string;
  label: Labels;
  description: Labels;
  mandatorKinds: PartyKind[];
  mandateeKinds: PartyKind[];
  unlimitedAllowed: boolean;
  /** Longest validity in months, or null for no cap. */
  maxDurationMonths: number | null;
  /** Sensitive types need an explicit executor role for enterprise mandatees (never implied by representation). */
  sensitive: boolean;
}

export interface Domain {
  id: string;
  label: Labels;
}

export interface Catalogue {
  version: string;
  domains: Domain[];
  types: MandateType[];
}

export interface CatalogueIndex extends Catalogue {
  type(id: string): MandateType | undefined;
  domain(id: string): Domain | undefined;
}

const PARTY_KINDS: readonly PartyKind[] = ['person', 'enterprise'];

/** Validates raw catalogue data (from the JSON file) and indexes it; throws on a malformed file, which is a deployment error. */
export function loadCatalogue(raw: unknown): CatalogueIndex {
  const problems: string[] = [];
  const c = raw as Catalogue;
  if (typeof c?.version !== 'string' || !Array.isArray(c.domains) || !Array.isArray(c.types)) {
    throw new Error('catalogue: expected {version, domains[], types[]}');
  }
  const labelsOk = (l: unknown) =>
    typeof l === 'object' &&
    l !== null &&
    LANGUAGES.every((lang) => typeof (l as Labels)[lang] === 'string' && (l as Labels)[lang].length > 0);
  const domains = new Map<string, Domain>();
  for (const d of c.domains) {
    if (!/^[a-z][a-z0-9-]*$/.test(d.id)) problems.push(`domain id ${d.id}`);
    if (!labelsOk(d.label)) problems.push(`domain ${d.id}: label needs nl, fr, de, en`);
    domains.set(d.id, d);
  }
  const types = new Map<string, MandateType>();
  for (const t of c.types) {
    if (types.has(t.id)) problems.push(`type ${t.id}: duplicate`);
    if (!domains.has(t.domain) || !t.id.startsWith(`${t.domain}.`)) problems.push(`type ${t.id}: domain ${t.domain}`);
    if (!labelsOk(t.label) || !labelsOk(t.description)) problems.push(`type ${t.id}: label/description need nl, fr, de, en`);
    for (const kinds of [t.mandatorKinds, t.mandateeKinds]) {
      if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !PARTY_KINDS.includes(k)))
        problems.push(`type ${t.id}: party kinds`);
    }
    if (typeof t.unlimitedAllowed !== 'boolean') problems.push(`type ${t.id}: unlimitedAllowed`);
    if (t.maxDurationMonths !== null && !(Number.isInteger(t.maxDurationMonths) && t.maxDurationMonths > 0)) {
      problems.push(`type ${t.id}: maxDurationMonths`);
    }
    if (!t.unlimitedAllowed && t.maxDurationMonths === null) problems.push(`type ${t.id}: limited types need maxDurationMonths`);
    if (typeof t.sensitive !== 'boolean') problems.push(`type ${t.id}: sensitive`);
    types.set(t.id, t);
  }
  if (problems.length > 0) throw new Error(`catalogue ${c.version} is invalid: ${problems.join('; ')}`);
  return {
    version: c.version,
    domains: c.domains,
    types: c.types,
    type: (id) => types.get(id),
    domain: (id) => domains.get(id),
  };
}
