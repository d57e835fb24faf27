import { type Clock, PacelineError } from '@paceline/core';
import type { Dialer } from '../dialer';

/** How a supervisor is on a call: hears both sides; also speaks to the agent; also speaks to the caller. */
export type SupervisionMode = 'listen' | 'whisper' | 'barge';

/** The modes a supervisor can choose, in order of reach. */
export const SUPERVISION_MODES: readonly SupervisionMode[] = ['listen', 'whisper', 'barge'];

/**
 * The media plane's side of supervision, in the floor's words: `bridge.supervision` of
 * `@paceline/media-mediasoup` is one. The supervisor's browser opens its own media session
 * with the media plane first (see docs/supervision.md); these put that session on a call.
 */
export interface CallSupervisor {
  supervise(callId: string, supervisorId: string, mode: SupervisionMode): Promise<void>;
  setMode(supervisorId: string, mode: SupervisionMode): Promise<void>;
  leave(supervisorId: string): Promise<void>;
  /** Who is on which call now. */
  sessions(): readonly { supervisorId: string; callId?: string; agentId?: string; mode?: SupervisionMode }[];
}

/** A call a supervisor can join, as the floor shows it. */
export interface SupervisableCall {
  readonly callId: string;
  readonly campaignId: string;
  readonly agentId: string;
  /** When the agent was connected (epoch ms of the dialer's clock). */
  readonly connectedAt: number;
  /** Supervisors on the call now, with their mode. */
  readonly supervisors: readonly { readonly supervisorId: string; readonly mode: SupervisionMode }[];
}

/** Options of {@link SupervisionBoard}. */
export interface SupervisionBoardOptions {
  /** Where the connected and ended calls come from. */
  readonly dialer: Pick<Dialer, 'on'>;
  readonly supervisor: CallSupervisor;
  readonly clock: Clock;
}

/**
 * The floor's view of supervision: the live calls an agent is on (from the dialer's
 * `connected` and `ended` events) with who supervises each, and join / mode / leave checked
 * against them before the media plane is asked. A dashboard offers the buttons from
 * {@link calls}; the media plane emits the audit events (`supervisionAudit`).
 */
export class SupervisionBoard {
  readonly #supervisor: CallSupervisor;
  readonly #clock: Clock;
  readonly #calls = new Map<string, Omit<SupervisableCall, 'supervisors'>>();
  readonly #off: (() => void)[];

  constructor(options: SupervisionBoardOptions) {
    this.#supervisor = options.supervisor;
    this.#clock = options.clock;
    this.#off = [
      options.dialer.on('connected', (offer) =>
        this.#calls.set(offer.callId, {
          callId: offer.callId,
          campaignId: offer.campaignId,
          agentId: offer.agentId,
          connectedAt: this.#clock.now(),
        }),
      ),
      options.dialer.on('ended', (e) => {
        this.#calls.delete(e.callId);
      }),
    ];
  }

  /** Live calls with an agent, oldest first, each with its supervisors. */
  calls(): SupervisableCall[] {
    const sessions = this.#supervisor.sessions();
    return [...this.#calls.values()]
      .sort((a, b) => a.connectedAt - b.connectedAt)
      .map((call) => ({
        ...call,
        supervisors: sessions.flatMap((s) => (s.callId === call.callId && s.mode ? [{ supervisorId: s.supervisorId, mode: s.mode }] : [])),
      }));
  }

  /** Put `supervisorId` on `callId` in `mode`. `E_INVALID_INPUT` for a bad mode or id, `E_NOT_FOUND` for a call with no agent on it. */
  async join(callId: string, supervisorId: string, mode: unknown): Promise<void> {
    const checked = parseSupervisionMode(mode, 'mode');
    if (typeof supervisorId !== 'string' || supervisorId.trim() === '')
      throw new PacelineError('E_INVALID_INPUT', 'supervisorId: expected the id of the supervisor\'s media session, got ""');
    if (!this.#calls.has(callId)) throw new PacelineError('E_NOT_FOUND', `callId: no live call "${callId}" with an agent on it`);
    await this.#supervisor.supervise(callId, supervisorId, checked);
  }

  /** Change the supervisor's mode on the call it is on. */
  async setMode(supervisorId: string, mode: unknown): Promise<void> {
    await this.#supervisor.setMode(supervisorId, parseSupervisionMode(mode, 'mode'));
  }

  /** Take the supervisor off its call. */
  leave(supervisorId: string): Promise<void> {
    return this.#supervisor.leave(supervisorId);
  }

  /** Stop following the dialer. */
  close(): void {
    for (const off of this.#off) off();
  }
}

/** A supervision mode from untrusted input, or `E_INVALID_INPUT` naming the field. */
export function parseSupervisionMode(mode: unknown, field: string): SupervisionMode {
  if (SUPERVISION_MODES.includes(mode as SupervisionMode)) return mode as SupervisionMode;
  throw new PacelineError('E_INVALID_INPUT', `${field}: expected one of ${SUPERVISION_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
}
