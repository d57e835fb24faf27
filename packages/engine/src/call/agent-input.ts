import type { Order } from '@paceline/core';
import type { ProfileUpdates, ScriptRun } from '@paceline/scripting';

/** Extra data an agent gives with a disposition. */
export interface DispositionData {
  /** For callback dispositions: when to call back (epoch ms). Required for them. */
  readonly callbackAt?: number;
  /** For callback dispositions: keep the callback for this agent (default: anyone). */
  readonly callbackAgentId?: string;
  /** For sale dispositions: the order, without the ids the engine fills in. */
  readonly order?: Omit<Order, 'id' | 'idempotencyKey' | 'campaignId' | 'contactId' | 'attemptId' | 'createdAt'>;
  /** The agent's state after wrap-up (default ready). */
  readonly agentNext?: 'ready' | 'not-ready';
  /** Profile updates captured on the call (the script run's `captured`), passed to `onDisposition`. */
  readonly captured?: ProfileUpdates;
  /** The script run of the call, passed to `onDisposition` and `afterCall`. */
  readonly run?: ScriptRun;
}

/** What the agent desk reports of a script answer on a connected call (runs the `onAnswer` hook). */
export interface ScriptAnswer {
  readonly stepId: string;
  readonly answer: ScriptRun['answers'][string];
  readonly run: ScriptRun;
}
