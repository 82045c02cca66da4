export function defineSharedModules(modules: Record<string, unknown>): void;
export function loadPluginModule(moduleUrl: string): Promise<unknown>;
