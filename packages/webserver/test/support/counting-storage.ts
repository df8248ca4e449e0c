import type { BosunStorage } from "@bosun/storage";

/** The real storage, counting the watch subscriptions that are open (to prove streams close theirs). */
export function countingStorage(storage: BosunStorage): { storage: BosunStorage; open(): number } {
  let open = 0;
  const counted = <T extends object>(target: T, method: string): T =>
    new Proxy(target, {
      get(inner, prop) {
        const value = Reflect.get(inner, prop, inner);
        if (typeof value !== "function") return value;
        if (prop !== method) return value.bind(inner);
        return async (...args: unknown[]) => {
          const subscription = await value.apply(inner, args);
          open++;
          let closed = false;
          return {
            close: async () => {
              if (!closed) {
                closed = true;
                open--;
              }
              await subscription.close();
            },
          };
        };
      },
    });
  const events = counted(storage.events, "watchEvents");
  const computeLogs = counted(storage.computeLogs, "watch");
  const wrapped = new Proxy(storage, {
    get(inner, prop) {
      if (prop === "events") return events;
      if (prop === "computeLogs") return computeLogs;
      const value = Reflect.get(inner, prop, inner);
      return typeof value === "function" ? value.bind(inner) : value;
    },
  });
  return { storage: wrapped, open: () => open };
}
