export function defineSharedModules(): void;
export function loadPluginModule(moduleUrl: string): Promise<unknown>;
