// The module viewer/build.mjs generates from the panel's imports (viewer/offeredModules.mjs).
declare module 'llmscope-viewer-shared-modules' {
  export const SHARED_MODULES: Record<string, unknown>;
}
