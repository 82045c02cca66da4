export interface AmdNeeds {
  deps: string[];
  reads: Map<string, Set<string>>;
  opaque: Map<string, string[]>;
}
export function amdNeeds(sources: ReadonlyArray<{ path: string; text: string }>): AmdNeeds;
