/** What `node:sea` offers inside a single executable application. */
interface SeaModule {
  isSea(): boolean;
  getRawAsset(key: string): ArrayBuffer;
}

/**
 * `node:sea`, or undefined where Node.js has none. Loaded through `process.getBuiltinModule` so
 * the esbuild bundle never tries to resolve it and the sources run unchanged under tsx.
 */
function seaModule(): SeaModule | undefined {
  const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  try {
    return getBuiltin?.('node:sea') as SeaModule | undefined;
  } catch {
    return undefined;
  }
}

/** Whether this process is the packaged single executable (`npm run build`), not Node.js running the sources. */
export function isPackaged(): boolean {
  return seaModule()?.isSea() ?? false;
}

/**
 * An asset the build embedded in the executable (a copy of its bytes), or undefined when this is
 * not the packaged executable or it carries no asset of that name.
 * @example seaAsset('winsw.exe')
 */
export function seaAsset(name: string): Uint8Array | undefined {
  const sea = seaModule();
  if (!sea?.isSea()) return undefined;
  try {
    return new Uint8Array(sea.getRawAsset(name).slice(0));
  } catch {
    return undefined;
  }
}
