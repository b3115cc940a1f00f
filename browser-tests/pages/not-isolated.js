// @ts-check
/**
 * A page served without COOP/COEP: no SharedArrayBuffer. Loading the runtime
 * and spawning must fail with an error that says which headers to send. The
 * runtime is imported dynamically so that the error is caught here, wherever
 * it is thrown (at load or at the first use).
 */
export async function useRuntime() {
  try {
    const { spawn } = await import('@sendsync/runtime');
    return { threw: false, result: await spawn(() => 1).joinAsync() };
  } catch (error) {
    return { threw: true, name: /** @type {Error} */ (error).name, message: /** @type {Error} */ (error).message };
  }
}
