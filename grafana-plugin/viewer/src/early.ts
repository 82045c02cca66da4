/**
 * What viewer/early.js leaves on the page: the API answers it started before the bundles
 * loaded, each taken once by its exact path, and the moment its ranges end at (docs/viewer.md).
 */
interface EarlyRequests {
  takeNow(): number | undefined;
  take(path: string): Promise<Response> | undefined;
  used(): number;
}

declare global {
  interface Window {
    llmscopeEarly?: EarlyRequests;
  }
}

/** The answer early.js started for this GET, once; undefined when it started none. */
export function takeEarlyAnswer(path: string): Promise<Response> | undefined {
  return window.llmscopeEarly?.take(path);
}

/** The `now` early.js resolved the address bar's range at, for the page's first load only. */
export function takeEarlyNow(): number | undefined {
  return window.llmscopeEarly?.takeNow();
}
