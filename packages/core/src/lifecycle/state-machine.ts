import { PacelineError } from '../errors';

/** A lifecycle: its states, its legal moves, and one guarded transition function. */
export interface StateMachine<S extends string> {
  /** Name used in error messages, e.g. `campaign`. */
  readonly name: string;
  /** Every state, in declaration order. */
  readonly states: readonly S[];
  /** States reachable from `from` in one move. */
  next(from: S): readonly S[];
  /** True when `from → to` is a legal move. */
  can(from: S, to: S): boolean;
  /** Returns `to` when `from → to` is legal; throws `E_ILLEGAL_TRANSITION` otherwise. */
  transition(from: S, to: S, subject?: string): S;
}

/** Define a lifecycle from its table of legal moves. */
export function defineStateMachine<S extends string>(name: string, moves: Readonly<Record<S, readonly S[]>>): StateMachine<S> {
  const states = Object.keys(moves) as S[];
  const table = new Map<S, ReadonlySet<S>>(states.map((s) => [s, new Set(moves[s])]));
  return {
    name,
    states,
    next: (from) => moves[from] ?? [],
    can: (from, to) => table.get(from)?.has(to) ?? false,
    transition(from, to, subject) {
      if (table.get(from)?.has(to)) return to;
      const who = subject ? `${name} ${subject}` : name;
      const allowed = moves[from];
      const hint =
        allowed === undefined
          ? `"${from}" is not a ${name} state`
          : `from "${from}" it can go to: ${allowed.join(', ') || 'nowhere (final)'}`;
      throw new PacelineError('E_ILLEGAL_TRANSITION', `${who} cannot go from "${from}" to "${to}"; ${hint}`, {
        lifecycle: name,
        from,
        to,
        ...(subject === undefined ? {} : { subject }),
      });
    },
  };
}
