/**
 * `target` with one method replaced by `method(target)`; every other member read from `target`, its
 * methods bound to it (the adapters keep private state, which a call through the proxy would not reach).
 */
export function replacing<T extends object>(target: T, name: keyof T & string, method: (target: T) => unknown): T {
  return new Proxy(target, {
    get(t, key) {
      if (key === name) return method(t);
      const value = Reflect.get(t, key) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
}
