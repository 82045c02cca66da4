import type { AmdNeeds } from './amdNeeds.mjs';
import type { SharedImports } from './sharedImports.mjs';

export const OFFER_MODULE: string;
export function pluginSources(pluginRoot: string): Array<{ path: string; text: string }>;
export function offeredModules(pluginRoot: string): SharedImports;
export function offerSource(offered: SharedImports): Record<string, string>;
export function bundleSources(distDir: string): Array<{ path: string; text: string }>;
export function unmetNeeds(needs: AmdNeeds, offered: SharedImports): string[];
export function checkOfferCoversBundle(distDir: string, offered: SharedImports): void;
