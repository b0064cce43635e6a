// Counts live "abort" listeners on AbortSignals by wrapping
// EventTarget.prototype's add/removeEventListener for the duration of a test.
// Portable: only touches the standard EventTarget prototype.

/** A live count of abort listeners added and not yet removed (or fired once). */
export interface ListenerProbe extends Disposable {
  /** Listeners currently registered on `target` (any target when omitted). */
  count(target?: EventTarget): number;
}

/** Starts counting; dispose the probe to restore the prototype. */
export function probeAbortListeners(): ListenerProbe {
  const proto = EventTarget.prototype;
  const add = proto.addEventListener;
  const remove = proto.removeEventListener;
  const live = new Map<EventTarget, Set<unknown>>();
  const forget = (target: EventTarget, listener: unknown) => {
    const set = live.get(target);
    set?.delete(listener);
    if (set?.size === 0) live.delete(target);
  };
  proto.addEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    if (type === "abort" && listener) {
      let set = live.get(this);
      if (!set) live.set(this, set = new Set());
      set.add(listener);
      if (typeof options === "object" && options.once) {
        add.call(this, type, (event) => forget(event.target!, listener), {
          once: true,
        });
      }
    }
    return add.call(this, type, listener, options);
  };
  proto.removeEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ) {
    if (type === "abort" && listener) forget(this, listener);
    return remove.call(this, type, listener, options);
  };
  return {
    count(target?: EventTarget) {
      if (target) return live.get(target)?.size ?? 0;
      let total = 0;
      for (const set of live.values()) total += set.size;
      return total;
    },
    [Symbol.dispose ?? Symbol.for("Symbol.dispose")]() {
      proto.addEventListener = add;
      proto.removeEventListener = remove;
    },
  } as ListenerProbe;
}
