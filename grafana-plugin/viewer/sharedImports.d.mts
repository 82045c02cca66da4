export const SHARED_PACKAGES: { byName: string[]; whole: string[] };
export class SharedImportError extends Error {}
export interface SharedImports {
  byName: Map<string, Set<string>>;
  whole: Set<string>;
}
export function collectSharedImports(sources: ReadonlyArray<{ path: string; text: string }>): SharedImports;
