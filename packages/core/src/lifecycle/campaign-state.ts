import { defineStateMachine } from './state-machine';

/**
 * Campaign lifecycle.
 *
 * ```
 * draft ──► scheduled ──► running ◄──► paused
 *   │           │            │            │
 *   │           └──► stopped ◄┴────────────┤
 *   │                   │    completed ◄───┘ (also from running)
 *   └──────────────► archived ◄──┘ (from stopped and completed)
 * ```
 */
export enum CampaignState {
  Draft = 'draft',
  Scheduled = 'scheduled',
  Running = 'running',
  Paused = 'paused',
  Completed = 'completed',
  Stopped = 'stopped',
  Archived = 'archived',
}

const S = CampaignState;

/** The campaign lifecycle and its guarded transition. */
export const campaignLifecycle = defineStateMachine<CampaignState>('campaign', {
  [S.Draft]: [S.Scheduled, S.Archived],
  [S.Scheduled]: [S.Running, S.Draft, S.Stopped],
  [S.Running]: [S.Paused, S.Completed, S.Stopped],
  [S.Paused]: [S.Running, S.Completed, S.Stopped],
  [S.Completed]: [S.Archived],
  [S.Stopped]: [S.Archived],
  [S.Archived]: [],
});
