/**
 * When `call` settles (resolved or rejected), ms (real time) after it was made; `undefined` if it has
 * not settled within `ms`. rb11: one for the frozen-server tests (store-frozen, fulfilment-frozen,
 * cluster-frozen), from rb9's store-frozen.
 */
export async function settlesIn(call: () => Promise<unknown>, ms: number): Promise<number | undefined> {
  const start = Date.now();
  const settled = call().then(
    () => Date.now() - start,
    () => Date.now() - start,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
