// Mandate types and their domains interned as small integers, so an index entry packs its type into a number.
import { TYPE_SPAN } from './party-code.js';

export class TypeTable {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly domainOfType: number[] = [];
  private readonly domainIds = new Map<string, number>();
  private readonly domainNames: string[] = [];

  /** The id of a type, or -1 if no mandate of it was ever indexed. */
  id(type: string): number {
    return this.ids.get(type) ?? -1;
  }

  domainId(domain: string): number {
    return this.domainIds.get(domain) ?? -1;
  }

  name(id: number): string {
    return this.names[id] as string;
  }

  domainOf(id: number): number {
    return this.domainOfType[id] as number;
  }

  domainName(domainId: number): string {
    return this.domainNames[domainId] as string;
  }

  intern(type: string, domain: string): number {
    const known = this.ids.get(type);
    if (known !== undefined) return known;
    const id = this.names.length;
    if (id >= TYPE_SPAN) throw new Error(`more than ${TYPE_SPAN} mandate types`);
    let domainId = this.domainIds.get(domain);
    if (domainId === undefined) {
      domainId = this.domainNames.length;
      this.domainIds.set(domain, domainId);
      this.domainNames.push(domain);
    }
    this.ids.set(type, id);
    this.names.push(type);
    this.domainOfType.push(domainId);
    return id;
  }
}
