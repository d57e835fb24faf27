import { type Attempt, type ContactRecord, ContactState, contactLifecycle, maskPhone, PacelineError } from '@paceline/core';
import { isBackendFailure } from '../backend-health';
import { dialing as dialing_ } from '../call/call-machine';
import { STALE_CLAIM_MS } from '../engine-constants';
import type { CallRuntime, CampaignRuntime, EngineCore } from '../engine-core';
import { phoneForAttempt } from '../recycle';

/** The launch of one claimed contact: the compliance gate, `beforeDial`, the writes before the dial, and the originate. */
export class Launcher {
  /** The attempt counter of this engine process: attempt ids are `<node>-<start time>-<seq>`. */
  #seq = 0;

  constructor(readonly core: EngineCore) {}

  async launch(run: CampaignRuntime, claimed: ContactRecord, previewAgentId?: string): Promise<void> {
    let record = claimed;
    const now = this.core.deps.clock.now();
    const { campaign } = run;
    const phone = phoneForAttempt(record);
    // dnc-shared: the shared do-not-call list is read before the check (every launch in distributed mode).
    const dncRead = this.core.parts.dnc.beforeDial();
    if (dncRead) {
      try {
        await dncRead;
      } catch (error) {
        this.core.orphanedClaims.noteFailure(campaign.id, error);
        if (isBackendFailure(error)) this.core.parts.pacing.unclaim(run, claimed);
        throw error;
      }
    }
    const verdict = this.core.deps.compliance.check(record.contact, phone, campaign, now);
    if (!verdict.allowed) {
      this.core.events.emit('complianceRefused', {
        campaignId: campaign.id,
        contactId: record.contact.id,
        reasons: verdict.reasons,
        ...(verdict.nextAllowedAt === undefined ? {} : { nextAllowedAt: verdict.nextAllowedAt }),
        ...(record.contact.timeZones ? { timeZones: record.contact.timeZones } : {}), // issue-24: the zones of the window
        at: now,
      });
      if (verdict.held && !verdict.dnc) {
        this.core.parts.gates.hold(run, record.contact, phone, verdict.reasons, verdict.messages ?? verdict.reasons, now);
        await this.core.parts.pacing.unclaim(run, record);
        return;
      }
      const next =
        verdict.permanent || verdict.nextAllowedAt === undefined
          ? { ...record, state: verdict.dnc ? ContactState.Dnc : ContactState.Done }
          : { ...record, state: ContactState.Waiting, dueAt: verdict.nextAllowedAt };
      contactLifecycle.transition(record.state, next.state, record.contact.id);
      await this.core.store.updateContact(next);
      return;
    }
    let requiredSkills: readonly string[] | undefined;
    if (run.hooks) {
      const { value } = await run.hooks.beforeDial({ campaignId: campaign.id, contact: record.contact, attempts: record.attempts, now });
      if (value.action === 'skip') {
        const skipped =
          value.retryAt === undefined
            ? { ...record, state: ContactState.Done }
            : { ...record, state: ContactState.Waiting, dueAt: Math.max(now, value.retryAt) };
        await this.core.store.updateContact(skipped);
        return;
      }
      if (value.priority !== undefined && value.priority !== record.contact.priority) {
        record = { ...record, contact: { ...record.contact, priority: value.priority } };
      }
      requiredSkills = value.requiredSkills;
    }
    const attempt: Attempt = {
      id: `${this.core.nodeId}-${++this.#seq}`,
      campaignId: campaign.id,
      contactId: record.contact.id,
      phone,
      callerId: campaign.callerId,
      startedAt: now,
      abandoned: false,
    };
    // The contact and its attempt are in the store before the trunk dials: never a call
    // without its ledger entry. If the store fails here, the contact is handed back.
    let dialing: ContactRecord | undefined;
    try {
      dialing = await this.core.store.updateContact({
        ...record,
        state: contactLifecycle.transition(record.state, ContactState.Dialing, record.contact.id),
        attempts: record.attempts + 1,
      });
      if (!dialing) {
        // Another node changed the contact since we claimed it (or our own write, re-sent after a reconnect).
        this.core.orphanedClaims.noteConflict(campaign.id);
        return; // leave it to them
      }
      await this.core.store.putAttempt(attempt);
    } catch (error) {
      this.core.orphanedClaims.noteFailure(campaign.id, error);
      if (isBackendFailure(error)) this.core.parts.pacing.unclaim(run, claimed, dialing ? { ...attempt, dialled: false } : undefined); // crash: never dialled
      throw error;
    }
    if (this.core.deps.clock.now() - now > STALE_CLAIM_MS) {
      // The writes waited out a slow or restarting store: the decision is stale, do not dial on it.
      this.core.parts.pacing.unclaim(run, claimed, { ...attempt, dialled: false }); // crash: never dialled
      run.tickAgain = true;
      return;
    }
    this.core.deps.compliance.record({
      kind: 'attempt',
      at: now,
      phone,
      campaignId: campaign.id,
      contact: record.contact,
      agentless: campaign.dialMode === 'agentless',
      attemptId: attempt.id,
    });
    const ended = promiseWithResolve();
    const finished = promiseWithResolve();
    const call: CallRuntime = {
      run,
      attempt,
      record: dialing,
      snapshot: dialing_(campaign.machineHandling, previewAgentId),
      chain: Promise.resolve(),
      writes: Promise.resolve(),
      ended: ended.promise,
      markEnded: ended.resolve,
      finished: finished.promise,
      markFinished: finished.resolve,
      ...(requiredSkills && requiredSkills.length > 0 ? { requiredSkills } : {}),
    };
    this.core.calls.set(attempt.id, call);
    if (run.blend && run.blend.launching > 0) run.blend.launching--; // issue-23 23-router: now counted as a call in flight
    run.dials++;
    try {
      await this.core.deps.trunk.originate({
        callId: attempt.id,
        campaignId: campaign.id,
        to: phone,
        callerId: campaign.callerId,
        ringTimeoutMs: campaign.pacing.ringTimeoutMs,
      });
      this.core.events.emit('dialed', { campaignId: campaign.id, attempt });
    } catch (error) {
      run.dials--;
      if (refusedForGood(error)) {
        // Asking again cannot succeed (a number or caller ID the trunk cannot use): the attempt
        // ends `invalid-number` with the trunk's reason reported, and the number is not redialled.
        this.core.deps.logger.warn({ callId: attempt.id, code: error.code }, 'originate refused for good; the number is not dialled again');
        await this.core.parts.calls.originateRefused(call, error);
        return;
      }
      // The trunk refused the call (no channel, carrier down): not the contact's fault, so the
      // attempt does not count against it and it is retried soon.
      this.core.deps.logger.warn({ err: error, callId: attempt.id, to: maskPhone(phone) }, 'originate failed; the contact will be retried');
      this.core.calls.delete(attempt.id);
      await this.core.parts.pacing.unclaim(run, claimed, attempt);
    }
  }
}

/** A trunk's refusal that asking again cannot fix: a `PacelineError` whose `cause.retryable` is false (trunk-sip's `E_INVALID_INPUT`, `E_NO_CALLER_ID`). */
function refusedForGood(error: unknown): error is PacelineError {
  return error instanceof PacelineError && (error.cause as { retryable?: unknown } | undefined)?.retryable === false;
}

/** A promise and its resolve function. */
function promiseWithResolve(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
