import { AgentState } from '@paceline/core';
import { type AbandonGovernorOptions, type GovernorVerdict, governAbandons, parseAbandonGovernorOptions } from './abandon-governor';
import { InboundLaunchRisk, inboundDemandOf, inboundFloor, walkFor } from './blend/inbound-demand'; // issue-23: inbound arrivals as demand in the walk
import { CENSORED_TALK_SHARE, censoredTalkShare, earlyStarted } from './cold-start'; // issue-22 22-itc20 / 22-early: the cold start
import { loggedInBelow } from './count-agents';
import { busyAgentBase, busyAgentTable } from './flow-work'; // issue-23 23-flowtab: each busy agent's flow's table
import { largestFitting } from './largest-fitting';
import { LaunchRisk } from './launch-risk';
import { largestWithinMarginalPrice } from './marginal-launch'; // issue-22 small: marginal launch price on the exact walk
import { HYBRID_TOLERANCE, hybridLaunch, twoSidedLaunch } from './markov-hybrid'; // issue-22 22-hybrid5 / 22-hybrid6: the policy's lines, priced by the walk
import { MARKOV_MAX_AGENTS, MARKOV_WORK_PER_DECISION, MarkovLaunch, observeMarkov } from './markov-launch'; // issue-22 markov: the online MDP policy
import type { ModelEstimates } from './model-estimates';
import type { ObservedAgent, ObservedCall, Pacer, PacerState, PacingDecision } from './pacer';
import { progressiveDecision } from './progressive-pacer';
import { SupplyGroups } from './supply-groups'; // issue-22 small: each agent's own timing on the exact walk

/** Options of {@link predictivePacer}. */
export interface PredictivePacerOptions {
  /** Abandon-governor tuning (margin, fallback point, recovery speed). */
  readonly governor?: Partial<AbandonGovernorOptions>;
  /**
   * issue-22 small: the per-agent walk — on the exact walk with fewer than 6 busy agents, each
   * agent frees at most once at its own time (`supply-groups.ts`) instead of the placement rules
   * of `addItems`, and the calls still ringing conditioned on their answer delay
   * (`ModelEstimates.pendingLiveByAnswer`, the estimators' `ringingByAnswer` conditioning).
   *
   * - `'small-teams'` (default, issue-22 22-small): only while fewer than
   *   {@link SMALL_TEAM_BELOW} agents are logged in (any state but logged out — agents on a
   *   break count, so a large team's lunch does not make it "small"). Every busy agent of such a
   *   team is walked. On teams of 6 or more logged in the decisions are those of `false`.
   * - `true`: on every walk with fewer than 6 busy agents (the seventh session's opt-in; with the
   *   estimators' `ringingByAnswer` the bench's `predictive-small-exact`): it cost talk on the
   *   larger AMD teams (midday-drop-rise −1.0, large-200 −3.4 points on 20 seeds).
   * - `false`: never (the default before issue-22 22-small).
   *
   * Measured (20 seeds, docs/pacing.md): small-team-5 and the held-out small-team-4-quick's
   * forecasts in range (0.51 → ~1.05 on 4-quick) and small-team-5 ≥ progressive + 5 points.
   */
  readonly exactAgentTiming?: boolean | 'small-teams';
  /**
   * issue-22 small (opt-in, default false): on the exact walk, launch while the last call's own
   * marginal expected abandons stay within `allowed × P(live)` (`marginal-launch.ts`) instead of
   * the average over the launched calls.
   */
  readonly marginalPrice?: boolean;
  /**
   * issue-22 markov: a small team launches by the constrained MDP's Lagrangian policy solved
   * online from the estimated means at the governor's allowed rate (`markov-launch.ts`) instead
   * of the walk's budget test; the progressive floor, line cap and governor fallback still hold.
   * The solve is stepped a bounded amount per decision; until its policy is ready the walk decides.
   * - `'small-teams'` (issue-22 22-markov, second session): while fewer than
   *   {@link SMALL_TEAM_BELOW} agents are logged in (the rule of `exactAgentTiming`), so teams
   *   of 6 or more decide as with `false`. Not the default: on 20 seeds it gains 0.8 points on
   *   each Markovian small team but loses 0.6–0.7 on the lognormal ones (its model's talk and
   *   wrap-up are exponential). Its calibration, 1.31–1.33 with the walk's forecast, is 0.92–1.17
   *   with its own (issue-22 22-mdpcal, docs/pacing.md).
   * - `true`: whenever at most {@link MARKOV_MAX_AGENTS} agents are at work (the seventh
   *   session's opt-in; this includes a large team's lunch and the day's ends).
   * - `false` (default): never.
   */
  readonly markovPolicy?: boolean | 'small-teams';
  /**
   * issue-22 22-hybrid5: the walk decides, and where the MDP policy
   * (solved as for `markovPolicy`) holds more lines, the walk's decision is raised towards the
   * policy's one line at a time while that line's own marginal price on the walk's age-aware
   * tables stays within `markovHybridTolerance × allowed × P(live)` (`markov-hybrid.ts`).
   * `'small-teams'` / `true`: the teams `markovPolicy` would act on. Not with `markovPolicy`.
   * Default `'small-teams'` (issue-22 22-default; with `markovHybridCut` 0 and `markovHybridGate`),
   * `false` when `markovPolicy` is given; `false`: the walk alone (the default before 22-default).
   */
  readonly markovHybrid?: boolean | 'small-teams';
  /** issue-22 22-hybrid5: the hybrid's price tolerance (default {@link HYBRID_TOLERANCE}; Infinity: the policy's lines unpriced). */
  readonly markovHybridTolerance?: number;
  /**
   * issue-22 22-st3m2: the tolerance while fewer than {@link TINY_TEAM_BELOW} agents are logged in. Default
   * Infinity since 22-early (the policy's lines unpriced on a team of 3 or fewer; docs/pacing.md).
   */
  readonly markovHybridTinyTolerance?: number;
  /**
   * issue-22 22-early: on a cold snapshot that carries the estimators' early model (`ModelEstimates.early`),
   * with fewer than this many agents logged in and the finished work looking exponential (`exponentialWork`
   * > 0), decide on that model instead of progressively. Default {@link TINY_TEAM_BELOW}; 0: off.
   */
  readonly earlyStartBelow?: number;
  /**
   * issue-22 22-hybrid6 (default 0 with the hybrid since 22-default, else false): the two-sided hybrid (`twoSidedLaunch`). With a
   * number `keep` ≥ 0 the hybrid also follows the policy's cuts: where the policy holds fewer lines
   * than the walk launches, the walk's launch is cut towards the policy's (never below progressive
   * while progressive cannot abandon), a line kept only while its marginal price on the walk is
   * below `keep × allowed × P(live)` (0: every cut followed). Its forecast is the one the launch
   * was made on (`forecast: 'hybrid'`): the walk's for the lines up to the walk's own launch, the
   * MDP's own (22-mdpcal, `MarkovLaunch.forecast`) for the lines the policy adds beyond it. Needs
   * `markovHybrid`; `false`: 22-hybrid5's one-sided hybrid.
   */
  readonly markovHybridCut?: false | number;
  /**
   * issue-22 22-gate (default true with the hybrid since 22-default, else false): the hybrid acts only while the finished calls'
   * talk and wrap-up fit the MDP's exponential model better than a lognormal (the estimators'
   * `exponentialWork` BIC evidence > 0, `exponential-fit.ts`); otherwise the walk decides alone
   * (the decision of `markovHybrid: false`). Needs `markovHybrid`.
   */
  readonly markovHybridGate?: boolean;
  /**
   * issue-22 22-markov: the most work (edges of the MDP's chain visited) one decision spends on
   * the policy's solve (default {@link MARKOV_WORK_PER_DECISION}: 13–26 ms a decision while a
   * solve runs at load ~4, ≈ 0.1 s at load ~20 — lower it where a decision must be quicker);
   * `Infinity` solves within the decision that needs it (tests, offline tools).
   */
  readonly markovWorkPerDecision?: number;
  /**
   * issue-22 22-walk: a state-dependent allowance on small teams (the `exactAgentTiming`
   * rule: fewer than {@link SMALL_TEAM_BELOW} logged in). The walk's budget for a launch is
   * `allowedRate × (1 + idleWeight × (ready − 1)) × expected live answers` with `ready` the
   * ready agents staying at work (≥ 1): the abandon budget is spent where agents would otherwise
   * sit idle, as the constrained MDP's optimum does, and the governor's ratio controller takes
   * the extra spend back from the states with one ready agent, so the window's rate is steered
   * as before. 0: one allowance everywhere (the default before 22-walk). Teams of 6 or more
   * logged in decide as with 0.
   */
  readonly idleWeight?: number;
  /**
   * issue-22 22-itc20: the cold start lasts while the calls in progress hold, beyond the finished
   * calls' mean, more than this share of the finished calls' talk (`cold-start.ts`): a team that
   * logs in together finishes its short
   * calls first, and the estimators' first finished calls under-state the talk (a third of it on
   * itc-20-markov two minutes in), so the walk launched a burst, abandoned 6–7 calls and the
   * governor fell back for ~20 minutes. Default `CENSORED_TALK_SHARE` (0.5, tuned on seeds
   * 101–120; the default since issue-22 22-csdef, seeds 1–20). `false` (or `Infinity`) turns the
   * test off: the cold start before. Measured in docs/pacing.md ("The large team's cold start").
   */
  readonly censoredTalkShare?: number | false;
}

/** What launching `n` calls now is expected to cost and bring. */
export interface LaunchAssessment {
  /** Expected abandons caused by the `n` calls (theirs and those they take agents from). */
  readonly expectedAbandons: number;
  /** Expected live answers among the `n` calls. */
  readonly expectedLive: number;
  /** Expected abandons over the walk without the launch (the calls and callers already there). */
  readonly baselineAbandons: number;
}

/**
 * Up to this many random terms (busy agents, calls in flight) the walk is computed exactly on
 * the integer lattice; beyond, each step's spread is several calls and the normal is accurate
 * (see `launch-risk.test.ts`, which compares the two).
 */
export const EXACT_MAX_TERMS = 48;

/** With at least this many busy agents (or unanswered calls) the items of that side are spread (see `addItems`). */
const SPREAD_FROM_ITEMS = 8;

/**
 * issue-22: with fewer busy agents than this, the exact walk carries each agent's own timing
 * (`supply-groups.ts`, `exactAgentTiming`); it costs 3^agents transitions a step (on the speed
 * bench's states, 5 busy agents ~28× the old decision time, 7 ~110×, 10 agents 90×), so 6–7
 * busy agents keep the item placement of `addItems`. Teams of up to 5 agents always get it.
 */
const GROUPS_BELOW = 6;

/**
 * issue-22 22-small: `exactAgentTiming: 'small-teams'` (the default) walks each agent's own
 * timing while fewer than this many agents are logged in. The rule comes from the walk's cost
 * limit: below it, every busy agent is always within the per-agent walk (busy ≤ logged in <
 * {@link GROUPS_BELOW}), the regime where it was measured to help; teams of this size or more keep
 * the placement walk, where the pair was measured to cost (docs/pacing.md).
 */
export const SMALL_TEAM_BELOW = GROUPS_BELOW;

/** On a side with fewer items: an item whose event has at most this chance over the walk is added step by step; above, once. */
const SPREAD_BELOW = 0.3;

/** Golden-ratio step of the low-discrepancy sequence that spreads likely items over their steps (see `addItems`). */
const GOLDEN = 0.6180339887498949;

/** Whether the walk of `state` carries each busy agent's own timing under the option (issue-22 22-small). */
function perAgentWalk(state: PacerState, exactAgentTiming: boolean | 'small-teams'): boolean {
  return exactAgentTiming === 'small-teams' ? loggedInBelow(state, SMALL_TEAM_BELOW) : exactAgentTiming;
}

/**
 * issue-22 22-st3m2: the team whose hybrid lines `markovHybridTinyTolerance` prices (fewer than this many logged in);
 * 22-early: also the default `earlyStartBelow`.
 */
export const TINY_TEAM_BELOW = 4;

/** Whether the MDP policy may decide for `state` under the option (issue-22 22-markov). */
function markovTeam(state: PacerState, working: number, option: boolean | 'small-teams'): boolean {
  if (working > MARKOV_MAX_AGENTS) return false;
  return option === 'small-teams' ? perAgentWalk(state, 'small-teams') : option;
}

/** Fill `risk` with the steps' supply and demand increments for the observed state. */
function fillRisk(state: PacerState, est: ModelEstimates, risk: LaunchRisk, exactAgentTiming = false): void {
  const K = est.horizons;
  const agents = state.agents;
  const calls = state.calls;
  let ready = 0;
  let terms = 0;
  for (let a = 0; a < agents.length; a++) {
    const agent = agents[a] as ObservedAgent;
    const st = agent.state;
    if (agent.leaving === true) continue;
    if (st === AgentState.Ready) ready++;
    else if (st === AgentState.OnCall || st === AgentState.Reserved || st === AgentState.WrapUp) terms++;
  }
  const supplyPlace = { next: 0, count: terms };
  terms += calls.length;
  risk.reset(K, terms <= EXACT_MAX_TERMS);
  for (let k = 0; k < K; k++) risk.newLive[k] = est.newLiveByStep[k] ?? 0;
  risk.addCertain(0, ready, 1);
  // issue-22 small: a small team's busy agents as supply groups of the exact walk (supply-groups.ts).
  const groups =
    exactAgentTiming && risk.exact && supplyPlace.count < GROUPS_BELOW && risk.constructor === LaunchRisk ? new SupplyGroups() : undefined;
  groups?.reset(K);
  for (let a = 0; a < agents.length; a++) {
    const agent = agents[a] as ObservedAgent;
    if (agent.leaving === true) continue;
    // issue-22 22-smooth3: the small teams' shape-kept tables; issue-23 23-flowtab: else the agent's flow's, when known.
    const handleSmall = groups !== undefined ? est.handleFreeSmall : undefined;
    const table = busyAgentTable(
      agent,
      handleSmall === undefined ? est.flowWork : undefined,
      handleSmall ?? est.handleFree,
      (groups !== undefined ? est.wrapFreeSmall : undefined) ?? est.wrapFree,
    );
    if (table === undefined) continue;
    const base = busyAgentBase(agent, est);
    if (groups !== undefined)
      groups.add(table, base); // issue-22 small
    else addItems(risk, table, base, K, 1, 1, supplyPlace);
  }
  groups?.addTo(risk); // issue-22 small
  // issue-22 22-small: the per-agent walk reads ringing calls by their answer delay.
  const ringing = groups !== undefined ? est.pendingLiveByAnswer : est.pendingLive;
  let waiting = 0;
  let analysed = 0;
  let pending = 0; // unanswered calls young enough for the table (those `pendingRows` counts)
  for (let c = 0; c < calls.length; c++) {
    const call = calls[c] as ObservedCall;
    const phase = call.phase;
    if (phase === 'waiting') waiting++;
    else if (phase === 'analysing') analysed++;
    else if (Math.floor(call.ageMs / est.pendingBinMs) < est.pendingBins) pending++;
  }
  risk.addCertain(0, waiting, -1);
  risk.addBernoulli(0, est.liveGivenAnswered, -1, analysed);
  // Unanswered calls, grouped by age bin so identical terms are added together.
  const rows = pendingRows(state, est, risk);
  const demandPlace = { next: 0, count: pending };
  for (let row = 0; row < est.pendingBins; row++) {
    const count = rows[row] as number;
    if (count > 0) addItems(risk, ringing, row * K, K, -1, count, demandPlace); // issue-22 22-small: `ringing`
  }
  risk.seal();
}

function pendingRows(state: PacerState, est: ModelEstimates, risk: LaunchRisk): Int32Array {
  if (risk.rows.length < est.pendingBins) risk.rows = new Int32Array(est.pendingBins);
  const rows = risk.rows;
  rows.fill(0, 0, est.pendingBins);
  for (let c = 0; c < state.calls.length; c++) {
    const call = state.calls[c] as ObservedCall;
    if (call.phase === 'waiting' || call.phase === 'analysing') continue;
    const row = Math.floor(call.ageMs / est.pendingBinMs);
    if (row < est.pendingBins) rows[row] = (rows[row] as number) + 1;
  }
  return rows;
}

/**
 * `count` items (busy agents freeing, unanswered calls answering live) whose cumulative row is
 * P(event by h_k), k = 0..K−1; each item's event happens at most once.
 *
 * Exact walk, a side (supply or demand) with at least {@link SPREAD_FROM_ITEMS} items: each item
 * is one Bernoulli of its whole chance, placed at one step, and the side's items are spread over
 * their steps by a low-discrepancy sequence (u = ½, then antithetic pairs v_j, 1 − v_j with
 * v_j = ½ + jφ mod 1): item i at the step where its row first reaches uᵢ × its chance. Summed
 * over the side, events fall in each step as often as the rows say, and none happens twice.
 * Per-step pieces (below) over-state an item's spread (Σ q_k(1 − q_k) > Q(1 − Q)), and on a team
 * of 20 that over-charged launches: against a Monte-Carlo replay of itc-20's states under the
 * simulator's rules (`bench/calibration-replay.ts`, seed 101) they priced the first extra call
 * 1.73× the truth, the spread 1.32×; the raw forecast fell from 1.46 to 1.27 of the realised
 * abandons over 20 seeds.
 *
 * A side with fewer items: one placed Bernoulli stands badly for a single item's timing (on the
 * small Markovian teams, whose exponential delays spread it widely, the forecast fell to
 * 0.46–0.64 of the realised abandons), so an unlikely item (chance ≤ {@link SPREAD_BELOW}) is
 * added as per-step pieces (two at once has probability ≤ Q²/2) and a likely one once, at the
 * step where half its chance has passed.
 *
 * Normal walk: the cumulative form ({@link LaunchRisk.addCumulative}).
 */
function addItems(
  risk: LaunchRisk,
  table: Float64Array,
  base: number,
  K: number,
  sign: 1 | -1,
  count: number,
  place: { next: number; count: number },
): void {
  if (!risk.exact) {
    risk.addCumulative(table, base, sign, count);
    return;
  }
  const total = table[base + K - 1] as number;
  if (!(total > 1e-12)) return;
  if (place.count < SPREAD_FROM_ITEMS) {
    if (total <= SPREAD_BELOW) {
      // Unlikely to happen at all: per-step pieces keep the item's own timing (two pieces at
      // once has probability ≤ total²/2).
      let before = 0;
      for (let k = 0; k < K; k++) {
        const cumulative = table[base + k] as number;
        if (cumulative > before) {
          risk.addBernoulli(k, cumulative - before, sign, count);
          before = cumulative;
        }
      }
      return;
    }
    // Likely: one Bernoulli of the whole chance at the step where half of it has passed.
    let k = 0;
    while (k < K - 1 && (table[base + k] as number) < total / 2) k++;
    risk.addBernoulli(k, total, sign, count);
    return;
  }
  for (let c = 0; c < count; c++) {
    // ½, then antithetic pairs (v, 1 − v): the side's placements average ½ (within one item), so
    // its items are not placed early (or late) as a group.
    const i = place.next++;
    const v = (0.5 + Math.ceil(i / 2) * GOLDEN) % 1;
    const u = (i % 2 === 0 ? v : 1 - v) * total;
    let k = 0;
    while (k < K - 1 && (table[base + k] as number) < u) k++;
    risk.addBernoulli(k, total, sign);
  }
}

/**
 * The predictive pacer: model-based pacing under the abandon governor.
 *
 * Over K steps (quantiles of the delay until a live call needs an agent) it walks the idle
 * agents: each step adds the agents that free up (talk/wrap-up survival given the time already
 * spent) and takes the live answers that arrive (calls in flight given their age, and the new
 * calls); callers finding no agent within the 2-s grace are lost and leave. With few agents and
 * calls the walk is exact (Poisson-binomial convolution), with many a moment-matched normal
 * ({@link LaunchRisk}). It launches the most calls whose expected abandons — their own and
 * those they cause — stay within the governor's budget: `allowedRate × expected live answers`.
 *
 * It never launches fewer than progressive would (lines up to the ready agents staying at work
 * cannot abandon). It acts progressively at a cold start (too few observations), below the
 * campaign's `minAgentsForPredictive` (default 2), and when the governor falls back. Lines in
 * flight never exceed `maxLinesPerAgent` × agents at work (ready, reserved, on a call or in
 * wrap-up and staying). The walk's scratch space is overwritten on every call, never read
 * across calls; the one state kept across calls is the MDP policies a small team has solved so
 * far (issue-22 22-markov, `markovPolicy`): deterministic, so a seeded run replays exactly.
 */
export function predictivePacer(options: PredictivePacerOptions = {}): Pacer {
  const governor = parseAbandonGovernorOptions(options.governor ?? {});
  const exactAgentTiming = options.exactAgentTiming ?? 'small-teams'; // issue-22 22-small: the default
  const marginalPrice = options.marginalPrice === true; // issue-22 small
  const markovPolicy = options.markovPolicy ?? false; // issue-22 22-markov: opt-in (measured on 20 seeds: docs/pacing.md)
  const idleWeight = options.idleWeight ?? 0; // issue-22 22-walk
  // issue-22 22-itc20, default since 22-csdef (docs/pacing.md); `false` or `Infinity`: off.
  const censoredShare = options.censoredTalkShare === false ? Number.POSITIVE_INFINITY : (options.censoredTalkShare ?? CENSORED_TALK_SHARE);
  if (!(censoredShare > 0)) throw new RangeError('censoredTalkShare must be a number > 0 or false');
  if (!(idleWeight >= 0 && Number.isFinite(idleWeight))) throw new RangeError('idleWeight must be a finite number ≥ 0');
  // issue-22 22-default: the gated two-sided hybrid is the default ('small-teams', cut 0, gate on);
  // a caller who asks for the MDP policy (`markovPolicy`) gets no hybrid unless they name it too.
  const markovHybrid = options.markovHybrid ?? (markovPolicy === false ? 'small-teams' : false);
  const hybridTolerance = options.markovHybridTolerance ?? HYBRID_TOLERANCE;
  if (markovHybrid !== false && markovPolicy !== false) throw new RangeError('markovHybrid and markovPolicy are exclusive');
  if (!(hybridTolerance >= 0)) throw new RangeError('markovHybridTolerance must be a number ≥ 0');
  const tinyTolerance = options.markovHybridTinyTolerance ?? Number.POSITIVE_INFINITY; // issue-22 22-st3m2; 22-early: ∞
  if (!(tinyTolerance >= 0)) throw new RangeError('markovHybridTinyTolerance must be a number ≥ 0');
  const earlyBelow = options.earlyStartBelow ?? TINY_TEAM_BELOW; // issue-22 22-early
  if (!(Number.isInteger(earlyBelow) && earlyBelow >= 0)) throw new RangeError('earlyStartBelow must be an integer ≥ 0');
  const hybridCut = options.markovHybridCut ?? (markovHybrid === false ? false : 0); // issue-22 22-hybrid6; 22-default: 0
  if (hybridCut !== false && !(hybridCut >= 0)) throw new RangeError('markovHybridCut must be false or a number ≥ 0');
  if (hybridCut !== false && markovHybrid === false) throw new RangeError('markovHybridCut needs markovHybrid');
  const hybridGate = options.markovHybridGate ?? markovHybrid !== false; // issue-22 22-gate; 22-default: on with the hybrid
  if (hybridGate && markovHybrid === false) throw new RangeError('markovHybridGate needs markovHybrid');
  const markov = markovPolicy === false && markovHybrid === false ? undefined : new MarkovLaunch(options.markovWorkPerDecision); // issue-22 markov
  const plainRisk = new LaunchRisk(); // issue-23: renamed; `risk` below is this one unless the state carries inbound demand
  const inboundRisk = new InboundLaunchRisk(); // issue-23: used only when the state carries inbound demand

  return {
    name: 'predictive',
    decide(observed: PacerState): PacingDecision {
      const state = earlyStarted(observed, earlyBelow); // issue-22 22-early: a tiny team's early model, or as observed
      const o = state.options;
      let ready = 0;
      let working = 0;
      let readyStaying = 0; // issue-22 22-walk
      for (let i = 0; i < state.agents.length; i++) {
        const agent = state.agents[i];
        if (agent === undefined) continue;
        const st = agent.state;
        if (st === AgentState.Ready) {
          ready++;
          if (agent.leaving !== true) {
            working++;
            readyStaying++;
          }
        } else if ((st === AgentState.OnCall || st === AgentState.Reserved || st === AgentState.WrapUp) && agent.leaving !== true)
          working++;
      }
      const inFlight = state.calls.length;
      if (working === 0) return { launch: 0, reason: 'no-agents', inputs: { ready, working, inFlight } };
      if (working < o.minAgentsForPredictive) return progressiveDecision(state, 'small-team', true);
      const est = state.estimates;
      if (!est.warm || est.horizons === 0) return progressiveDecision(state, 'cold-start', true);
      // issue-22 22-itc20: nor while the finished calls are the short first ones of a team that started together.
      if (censoredShare !== Number.POSITIVE_INFINITY && censoredTalkShare(state, est) > censoredShare)
        return progressiveDecision(state, 'cold-start', true);
      const verdict = governAbandons(state.abandons, o.abandonTarget, governor);
      if (verdict.mode === 'fallback') return progressiveDecision(state, 'governor-fallback', true);

      const cap = Math.floor(o.maxLinesPerAgent * working);
      const room = cap - inFlight;
      const pLive = est.liveProbability;
      // Lines up to the ready agents staying at work cannot abandon: never fewer than that.
      const floor = inboundFloor(state, progressiveDecision(state, 'progressive', true).launch); // issue-23: 0 with inbound demand
      if (room <= 0 || pLive <= 0)
        return decision(floor, room <= 0 ? 'line-cap' : 'model', verdict, 0, floor * pLive, ready, working, inFlight, cap, pLive);

      const risk = walkFor(state, est, plainRisk, inboundRisk); // issue-23: the plain walk unless inbound demand is given
      fillRisk(state, est, risk, perAgentWalk(state, exactAgentTiming)); // issue-22 22-small: the rule
      const scale = forecastScaleOf(state);
      // issue-22 markov: a small team (no inbound demand) launches by the online MDP policy. Its
      // forecast (issue-22 22-mdpcal) is the policy's own model's — the MDP chain's expected
      // abandons added by the launch in the observed state (`markov-forecast.ts`), no longer the
      // walk's, which over-priced the states the policy launches in (calibration 1.3–1.7 on 5
      // agents); the run's realised ÷ predicted scale learns from it as from the walk's.
      if (
        markov !== undefined &&
        markovPolicy !== false &&
        markovTeam(state, working, markovPolicy) &&
        inboundDemandOf(state) === undefined
      ) {
        const observed = observeMarkov(state);
        const m = markov.launch(observed, working, est, verdict.allowedRate, cap);
        if (m !== undefined) {
          const n = Math.min(room, Math.max(floor, m));
          const raw = markov.forecast(observed, n); // issue-22 22-mdpcal
          const reason = n === room ? 'line-cap' : 'markov-policy';
          const d = decision(n, reason, verdict, raw * scale, n * pLive, ready, working, inFlight, cap, pLive, risk.exact, raw, scale);
          return { ...d, inputs: { ...d.inputs, forecast: 'markov' } }; // issue-22 22-mdpcal: whose forecast (the bench's calibration reads it)
        }
      }
      // issue-22 small: on the exact (few-term) plain walk, price the last call at the margin (see marginal-launch.ts).
      const marginal = marginalPrice && risk.exact && risk === plainRisk;
      // issue-22 22-walk: on a small team, more of the budget where agents would otherwise idle.
      const idle = idleWeight > 0 && risk === plainRisk && perAgentWalk(state, 'small-teams') ? idleAllowance(idleWeight, readyStaying) : 1;
      const allowed = (verdict.allowedRate * idle) / scale;
      let n = (marginal ? largestWithinMarginalPrice : largestWithinBudget)(risk, pLive, allowed, room, floor);
      // issue-22 22-hybrid5: the MDP policy's extra lines, each priced on the walk.
      if (
        markov !== undefined &&
        markovHybrid !== false &&
        risk === plainRisk &&
        markovTeam(state, working, markovHybrid) &&
        (!hybridGate || exponentialWorkFits(est)) // issue-22 22-gate
      ) {
        const observed = observeMarkov(state);
        const m = markov.launch(observed, working, est, verdict.allowedRate, cap);
        const tolerance = tinyTolerance !== hybridTolerance && loggedInBelow(state, TINY_TEAM_BELOW) ? tinyTolerance : hybridTolerance;
        if (m !== undefined && hybridCut !== false) {
          // issue-22 22-hybrid6: both directions; the forecast the launch was made on.
          const walkN = n;
          n = twoSidedLaunch(risk, walkN, Math.min(room, m), floor, pLive, allowed, tolerance, hybridCut);
          const byWalk = Math.min(n, walkN);
          const raw =
            (byWalk > 0 ? risk.launchAbandons(byWalk) : 0) +
            (n > byWalk ? markov.forecast(observed, n) - markov.forecast(observed, byWalk) : 0);
          const reason = n === room ? 'line-cap' : n === floor && floor > 0 ? 'progressive-floor' : n === walkN ? 'model' : 'markov-hybrid';
          const d = decision(n, reason, verdict, raw * scale, n * pLive, ready, working, inFlight, cap, pLive, risk.exact, raw, scale);
          // issue-22 22-hybrid7: the two decisions it was made from (for the calibration split by decision kind).
          return {
            ...d,
            inputs: {
              ...d.inputs,
              forecast: 'hybrid',
              walkLaunch: walkN,
              policyLaunch: Math.min(room, m),
              mdpForecast: markov.forecast(observed, n),
              walkForecast: n > 0 ? risk.launchAbandons(n) : 0,
            },
          };
        }
        if (m !== undefined && n < room) n = hybridLaunch(risk, n, Math.min(room, m), pLive, allowed, tolerance);
      }
      const raw = n > 0 ? risk.launchAbandons(n) : 0;
      const reason = n === room ? 'line-cap' : n === floor && floor > 0 ? 'progressive-floor' : 'model';
      return decision(n, reason, verdict, raw * scale, n * pLive, ready, working, inFlight, cap, pLive, risk.exact, raw, scale);
    },
  };
}

function decision(
  launch: number,
  reason: string,
  v: GovernorVerdict,
  expectedAbandons: number,
  expectedLive: number,
  ready: number,
  working: number,
  inFlight: number,
  cap: number,
  pLive: number,
  exact = true,
  rawAbandons = expectedAbandons,
  forecastScale = 1,
): PacingDecision {
  return {
    launch,
    reason,
    inputs: {
      ready,
      working,
      inFlight,
      cap,
      pLive,
      governor: v.mode,
      measuredRate: v.measuredRate,
      allowedRate: v.allowedRate,
      budget: v.allowedRate * expectedLive,
      expectedAbandons,
      rawAbandons,
      forecastScale,
      expectedLive,
      method: exact ? 'exact' : 'normal',
    },
  };
}

/**
 * issue-22 22-walk: the factor on the governor's allowed rate with `ready` agents ready and
 * staying: 1 + weight × (ready − 1), 1 with one ready agent or none.
 */
export function idleAllowance(weight: number, ready: number): number {
  return 1 + weight * Math.max(0, ready - 1);
}

/** issue-22 22-walk: the `idleWeight` the bench's `predictive-idle` runs (chosen on small-team-3/5-markov, seeds 101–104, among 0.25, 0.5 and 0.5 capped at two ready). */
export const IDLE_WEIGHT = 0.5;

/** issue-22 22-gate: the estimators' evidence says the work is exponential (the MDP's model) rather than lognormal. */
export function exponentialWorkFits(est: ModelEstimates): boolean {
  const e = est.exponentialWork;
  return e !== undefined && e > 0;
}

/** The run's learnt realised ÷ predicted abandons the pacer scales by (1 when absent or not a positive number). */
export function forecastScaleOf(state: PacerState): number {
  const s = state.forecastScale;
  return s !== undefined && s > 0 && Number.isFinite(s) ? s : 1;
}

/**
 * The most calls (≤ room, ≥ `floor`) whose expected abandons stay within `allowed × p × n`.
 * The feasible launches form a prefix [0, n*] (each extra call risks at least as much as the
 * one before), and most decisions launch the floor or one more: test floor + 1, then gallop
 * and bisect. Starting at the floor (the progressive count) spares the costly large-n walks.
 */
function largestWithinBudget(risk: LaunchRisk, pLive: number, allowed: number, room: number, floor: number): number {
  const base = risk.totalAbandons(0);
  const fits = (n: number) => risk.withinBudget(n, base, allowed * pLive * n); // issue-23 23-speed: = totalAbandons(n) − base ≤ budget, the walk stopped once over
  return largestFitting(fits, room, floor);
}

/**
 * What launching `n` calls now would cost under the predictive model (expected abandons,
 * theirs and those they cause) and bring (expected live answers); for dashboards, tests, the
 * benchmark's calibration report and what-if tools; scaled by `state.forecastScale` like the
 * pacer's own budget test. Needs warm estimates (zeros otherwise).
 */
export function assessLaunch(
  state: PacerState,
  n: number,
  options: Pick<PredictivePacerOptions, 'exactAgentTiming'> = {}, // issue-22 small: the pacer's walk option
): LaunchAssessment {
  const est = state.estimates;
  if (!est.warm || est.horizons === 0) return { expectedAbandons: 0, expectedLive: 0, baselineAbandons: 0 };
  const risk = walkFor(state, est, new LaunchRisk(), new InboundLaunchRisk()); // issue-23: inbound demand when given
  fillRisk(state, est, risk, perAgentWalk(state, options.exactAgentTiming ?? 'small-teams')); // issue-22 22-small: the pacer's default
  const scale = forecastScaleOf(state);
  const baselineAbandons = risk.totalAbandons(0) * scale;
  const expectedAbandons = n > 0 ? Math.max(0, risk.totalAbandons(n) * scale - baselineAbandons) : 0;
  return { expectedAbandons, expectedLive: Math.max(0, n) * est.liveProbability, baselineAbandons };
}
