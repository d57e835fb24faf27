import type { Step } from './script-schema';

/** The steps a step can go to next, with the field that names each (for error paths). */
export function stepTargets(step: Step): { readonly field: string; readonly target: string }[] {
  switch (step.kind) {
    case 'say':
    case 'ask':
    case 'capture':
      return [{ field: 'next', target: step.next }];
    case 'offer':
      return [
        { field: 'onAccept', target: step.onAccept },
        { field: 'onDecline', target: step.onDecline },
        ...(step.onNone === undefined ? [] : [{ field: 'onNone', target: step.onNone }]),
      ];
    case 'branch':
      return [...step.cases.map((c, i) => ({ field: `cases[${i}].next`, target: c.next })), { field: 'otherwise', target: step.otherwise }];
    case 'transfer':
    case 'end':
      return [];
  }
}

/** True for the steps that finish a script. */
export function isTerminal(step: Step): boolean {
  return step.kind === 'end' || step.kind === 'transfer';
}

/**
 * Reachability in one pass each way: the steps reachable from `start`, and the steps from
 * which some terminal step is reachable. A reachable step outside the second set can only
 * loop forever.
 */
export function analyseGraph(steps: readonly Step[], start: string): { reachable: Set<string>; canFinish: Set<string> } {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const reachable = new Set<string>();
  const stack = byId.has(start) ? [start] : [];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reachable.has(id)) continue;
    reachable.add(id);
    const step = byId.get(id);
    if (step) for (const { target } of stepTargets(step)) if (byId.has(target) && !reachable.has(target)) stack.push(target);
  }
  const predecessors = new Map<string, string[]>();
  for (const step of steps) {
    for (const { target } of stepTargets(step)) predecessors.set(target, [...(predecessors.get(target) ?? []), step.id]);
  }
  const canFinish = new Set<string>();
  const queue = steps.filter(isTerminal).map((s) => s.id);
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (canFinish.has(id)) continue;
    canFinish.add(id);
    for (const p of predecessors.get(id) ?? []) if (!canFinish.has(p)) queue.push(p);
  }
  return { reachable, canFinish };
}
