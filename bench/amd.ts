// `pnpm bench:amd`: answering-machine detection on the hard generated corpus of issue 17
// (≥ 300 seeded cases over espeak-ng, flite and festival voices, steady / pink / babble / street
// noise, G.711 round trips, packet loss, level steps; see packages/trunk-sip/test/support/amd-corpus)
// and on the old easy corpus. Settings are chosen on the `tune` half only (`--tune` searches a grid
// there); the figures that count are the `held-out` half's.
// The greeting-words stage (Moonshine tiny English transcribing the greeting, voicemail phrases
// turning a person into a machine; @paceline/amd-words) runs on every case; the cadence-only
// figures are printed beside it (`withoutWords` in the JSON).
// Prints tables and writes bench/results/amd.json. Targets on the held-out half: accuracy ≥ 0.95,
// people taken for machines ≤ 2% (each is an abandoned live call nobody counts), unknown ≤ 5%,
// people's decision p95 ≤ 2 500 ms (from the answer).
// The default point is people-first (decide by 2.3 s, revise later: the `revised` trunk event the
// engine acts on). `accuracy` & co. score the final classification (a revision turns a call
// connected as a person into a machine); the `…AtConnect` fields score the decision at connect.
//   --tune        search the operating point on the tune half and print the best points
//   AMD_OPTIONS='{"machineGreetingMs":3000}'  try other settings (judge them on the tune line only)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../packages/core/src/index';
import type { GreetingWordsOptions } from '../packages/trunk-sip/src/index';
import {
  type AmdOptions,
  type AmdRun,
  DEFAULT_AMD_OPTIONS,
  detectAnsweringMachine,
  resolveAmdOptions,
  WAIT_FOR_GREETING_AMD_OPTIONS,
} from '../packages/trunk-sip/src/index';
import { loadAmdCorpus } from '../packages/trunk-sip/test/support/amd-corpus/cache';
import type { AmdCorpusCase } from '../packages/trunk-sip/test/support/amd-corpus/generate';
import { loadPhraseHoldout } from '../packages/trunk-sip/test/support/amd-corpus/phrase-holdout';
import { amdCorpusToolsAvailable } from '../packages/trunk-sip/test/support/amd-corpus/tts';
import { loadWordsHoldout } from '../packages/trunk-sip/test/support/amd-corpus/words-holdout';
import { generateCorpus } from '../packages/trunk-sip/test/support/corpus';
import {
  costSummary,
  type ForcedRun,
  inThreadDecoder, // issue-17 worker
  loadWordsBench,
  loopImpact,
  reforce,
  rematch,
  runWithWords,
  thresholdGrid,
} from './support/amd-words';
import { percentile, printTable } from './support/table';

interface Scored {
  readonly name: string;
  readonly cls: string;
  readonly truth: 'human' | 'machine';
  readonly result: 'human' | 'machine' | 'unknown';
  /** The first decision (before any revision). */
  readonly first: 'human' | 'machine' | 'unknown';
  readonly reason: string;
  /** When the call counted as decided: the decision, or the revision for a revised machine. */
  readonly decidedAtMs: number;
  readonly firstDecidedAtMs: number;
  /** Decision time after the person's greeting ended (people only). */
  readonly afterGreetingMs: number | undefined;
}

/** Scores of one run. */
export interface AmdScores {
  readonly cases: number;
  readonly accuracy: number;
  readonly humanAsMachine: number;
  readonly machineAsHuman: number;
  readonly unknown: number;
  readonly humanDecisionP95Ms: number;
  readonly humanAfterGreetingP95Ms: number;
  /** Machines first connected as people, then revised (late beep or a greeting that ran on): an agent heard them. */
  readonly machinesRevised: number;
  /** For those, how long the agent heard the machine before the revision (p50, ms). */
  readonly agentHeardMachineP50Ms: number;
  /** People first connected, then revised to machine (hung up on while with an agent; counted in humanAsMachine too). */
  readonly humansRevised: number;
  /** People among the calls called machines (the AMD false-positive rate the abandon ledger needs; depends on the mix). */
  readonly personAmongMachineDecisions: number;
  /** The same scores on the decision at connect (before any revision): what the agent is first handed. */
  readonly accuracyAtConnect: number;
  readonly humanAsMachineAtConnect: number;
  readonly machineAsHumanAtConnect: number;
  readonly unknownAtConnect: number;
}

type ScoredCase = Pick<AmdCorpusCase, 'name' | 'truth' | 'samples'> & Partial<AmdCorpusCase>;

function score(c: ScoredCase, options: AmdOptions): Scored {
  return scoreRun(c, detectAnsweringMachine(c.samples, options));
}

function scoreRun(c: ScoredCase, run: AmdRun): Scored {
  return {
    name: c.name,
    cls: c.cls ?? c.truth,
    truth: c.truth,
    result: run.finalResult,
    first: run.result,
    reason: run.revision ? `${run.reason}→${run.revision.reason}` : run.reason,
    decidedAtMs: run.revision ? run.revision.atMs : run.decidedAtMs,
    firstDecidedAtMs: run.decidedAtMs,
    afterGreetingMs: c.truth === 'human' && c.greetingEndMs !== undefined ? run.decidedAtMs - c.greetingEndMs : undefined,
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

function summarise(scored: readonly Scored[]): AmdScores {
  const humans = scored.filter((s) => s.truth === 'human');
  const machines = scored.filter((s) => s.truth === 'machine');
  return {
    cases: scored.length,
    accuracy: round(scored.filter((s) => s.result === s.truth).length / Math.max(1, scored.length)),
    humanAsMachine: round(humans.filter((s) => s.result === 'machine').length / Math.max(1, humans.length)),
    machineAsHuman: round(machines.filter((s) => s.result === 'human').length / Math.max(1, machines.length)),
    unknown: round(scored.filter((s) => s.result === 'unknown').length / Math.max(1, scored.length)),
    humanDecisionP95Ms: percentile(
      humans.map((s) => s.firstDecidedAtMs),
      0.95,
    ),
    humanAfterGreetingP95Ms: percentile(
      humans.flatMap((s) => (s.afterGreetingMs === undefined ? [] : [s.afterGreetingMs])),
      0.95,
    ),
    machinesRevised: round(machines.filter((s) => s.first !== 'machine' && s.result === 'machine').length / Math.max(1, machines.length)),
    agentHeardMachineP50Ms: percentile(
      machines.filter((s) => s.first !== 'machine' && s.result === 'machine').map((s) => s.decidedAtMs - s.firstDecidedAtMs),
      0.5,
    ),
    humansRevised: round(humans.filter((s) => s.first !== 'machine' && s.result === 'machine').length / Math.max(1, humans.length)),
    personAmongMachineDecisions: round(
      humans.filter((s) => s.result === 'machine').length / Math.max(1, scored.filter((s) => s.result === 'machine').length),
    ),
    accuracyAtConnect: round(scored.filter((s) => s.first === s.truth).length / Math.max(1, scored.length)),
    humanAsMachineAtConnect: round(humans.filter((s) => s.first === 'machine').length / Math.max(1, humans.length)),
    machineAsHumanAtConnect: round(machines.filter((s) => s.first === 'human').length / Math.max(1, machines.length)),
    unknownAtConnect: round(scored.filter((s) => s.first === 'unknown').length / Math.max(1, scored.length)),
  };
}

function perClass(scored: readonly Scored[]): (string | number)[][] {
  const classes = [...new Set(scored.map((s) => s.cls))];
  return classes.map((cls) => {
    const rows = scored.filter((s) => s.cls === cls);
    const ok = rows.filter((s) => s.result === s.truth).length;
    const wrongWay = rows.filter((s) => s.result !== s.truth && s.result !== 'unknown').length;
    return [
      cls,
      rows.length,
      `${Math.round((ok / rows.length) * 1000) / 10}%`,
      wrongWay,
      rows.filter((s) => s.result === 'unknown').length,
      rows.filter((s) => s.first !== 'machine' && s.result === 'machine').length,
      percentile(
        rows.map((s) => s.firstDecidedAtMs),
        0.95,
      ),
      percentile(
        rows.map((s) => s.decidedAtMs),
        0.5,
      ),
      percentile(
        rows.map((s) => s.decidedAtMs),
        0.95,
      ),
    ];
  });
}

/** The grid `--tune` searches (on the tune half only). */
function* grid(): Generator<AmdOptions> {
  for (const machineGreetingMs of [3_000, 3_500, 4_000, 4_500])
    for (const afterGreetingSilenceMs of [600, 800, 1_200])
      for (const earlyHumanSilenceMs of [400, 500, 600])
        for (const voiceMarginDb of [9, 12])
          yield { ...DEFAULT_AMD_OPTIONS, machineGreetingMs, afterGreetingSilenceMs, earlyHumanSilenceMs, voiceMarginDb };
}

async function main(): Promise<void> {
  if (!amdCorpusToolsAvailable()) {
    console.error(
      'bench:amd needs espeak-ng and sox (flite and festival add voices): sudo apt-get install -y espeak-ng sox flite festival',
    );
    process.exit(1);
  }
  const corpus = loadAmdCorpus();
  const tune = corpus.filter((c) => c.split === 'tune');
  const heldOut = corpus.filter((c) => c.split === 'held-out');
  const options: AmdOptions = resolveAmdOptions(JSON.parse(process.env.AMD_OPTIONS ?? '{}') as Partial<AmdOptions>);

  if (process.argv.includes('--tune')) {
    const points = [...grid()].map((o) => ({ o, s: summarise(tune.map((c) => score(c, o))) }));
    // The costly error first: people taken for machines, then overall errors.
    points.sort((a, b) => a.s.humanAsMachine - b.s.humanAsMachine || b.s.accuracy - a.s.accuracy);
    printTable(
      'Tune half: best operating points (people-as-machine first, then accuracy)',
      [
        'machineGreetingMs',
        'afterGreetingSilenceMs',
        'earlyHumanSilenceMs',
        'voiceMarginDb',
        'accuracy',
        'human→machine',
        'machine→human',
        'unknown',
        'human p95 ms',
      ],
      points
        .slice(0, 15)
        .map(({ o, s }) => [
          o.machineGreetingMs,
          o.afterGreetingSilenceMs,
          o.earlyHumanSilenceMs,
          o.voiceMarginDb,
          s.accuracy,
          s.humanAsMachine,
          s.machineAsHuman,
          s.unknown,
          s.humanDecisionP95Ms,
        ]),
    );
  }

  const oldCorpus = generateCorpus(join(process.env.TMPDIR ?? '/tmp', `amd-old-corpus-${process.pid}`));
  const holdout = loadWordsHoldout();
  const phraseHoldout = loadPhraseHoldout(); // issue-17 f2
  // Cadence only (timing and energy; no words): what the detector does without the words stage.
  const cadenceOnly = (cases: readonly ScoredCase[]) => cases.map((c) => score(c, options));
  const heldC = summarise(cadenceOnly(heldOut));
  const tunedC = summarise(cadenceOnly(tune));
  const oldC = summarise(cadenceOnly(oldCorpus));
  const holdoutC = summarise(cadenceOnly(holdout));
  const phraseHoldoutC = summarise(cadenceOnly(phraseHoldout));

  // With the greeting-words stage (Moonshine tiny transcribing the greeting): the reported pipeline.
  const wordsOptions = JSON.parse(process.env.AMD_WORDS_OPTIONS ?? '{}') as GreetingWordsOptions;
  const clock = systemClock();
  const words = await loadWordsBench(wordsOptions, () => clock.now(), Number(process.env.AMD_WORDS_BEAMS ?? 4));
  const runs = {
    tune: await runWithWords(tune, words, options),
    heldOut: await runWithWords(heldOut, words, options),
    old: await runWithWords(oldCorpus, words, options),
    holdout: await runWithWords(holdout, words, options),
    phraseHoldout: await runWithWords(phraseHoldout, words, options),
  };
  const withRuns = (cases: readonly ScoredCase[], r: readonly AmdRun[]) => cases.map((c, i) => scoreRun(c, r[i] as AmdRun));
  const tuneScored = withRuns(tune, runs.tune);
  const heldScored = withRuns(heldOut, runs.heldOut);
  const oldScored = withRuns(oldCorpus, runs.old);
  const holdoutScored = withRuns(holdout, runs.holdout);
  const held = summarise(heldScored);
  const tuned = summarise(tuneScored);
  const old = summarise(oldScored);
  const holdoutW = summarise(holdoutScored);
  // issue-17 f2: the same runs without forced phrase scoring (it runs only when no reading held a
  // phrase, so a call it revised is, without it, the cadence-only run).
  const phraseHoldoutScored = withRuns(phraseHoldout, runs.phraseHoldout);
  const phraseHoldoutW = summarise(phraseHoldoutScored);
  const textOnly = (cases: readonly ScoredCase[], r: readonly ForcedRun[]) =>
    summarise(cases.map((c, i) => (r[i]?.words?.match?.forced ? score(c, options) : scoreRun(c, r[i] as AmdRun))));
  const withoutForced = {
    heldOut: textOnly(heldOut, runs.heldOut),
    tune: textOnly(tune, runs.tune),
    oldCorpus: textOnly(oldCorpus, runs.old),
    wordsHoldout: textOnly(holdout, runs.holdout),
    phraseHoldout: textOnly(phraseHoldout, runs.phraseHoldout),
  };
  const forcedCost = costSummary(words.forcedCosts);
  const forcedMargin = words.words.minForcedMargin;
  const tuneCadence = tune.map((c) => score(c, options).result);
  const margins = [-12, -10, -8, -7, -6, -5, -4, -3, -2].map((minMargin) => {
    const results = runs.tune.map((r, i) => reforce(tuneCadence[i] as Scored['result'], r, minMargin));
    const humans = tune.flatMap((c, i) => (c.truth === 'human' ? [results[i]] : []));
    return {
      minForcedMargin: minMargin,
      tuneAccuracy: round(results.filter((r, i) => r === tune[i]?.truth).length / tune.length),
      tuneHumanAsMachine: round(humans.filter((r) => r === 'machine').length / humans.length),
    };
  });
  // Highest forced margin per truth on the tune half (how wide the gap the threshold sits in is).
  const topMargin = (truth: string) =>
    round(
      Math.max(
        -99,
        ...runs.tune.flatMap((r, i) => (tune[i]?.truth === truth && r.forcedScores ? r.forcedScores.map((x) => x.margin) : [])),
      ),
    );
  const lowMachineMargin = round(
    Math.min(
      99,
      ...runs.tune.flatMap((r, i) =>
        tune[i]?.truth === 'machine' && r.forcedScores ? [Math.max(...r.forcedScores.map((x) => x.margin))] : [],
      ),
    ),
  );
  printTable(
    `Forced phrase scoring (issue-17 f2): margin threshold on the tune half (people's highest margin ${topMargin('human')}; machines scored: lowest best margin ${lowMachineMargin}); default ${forcedMargin}`,
    ['minForcedMargin', 'tune accuracy', 'tune human→machine'],
    margins.map((g) => [g.minForcedMargin, g.tuneAccuracy, g.tuneHumanAsMachine]),
  );
  printTable(
    'Forced phrase scoring: with and without (text-only words stage)',
    ['corpus', 'accuracy with', 'accuracy without', 'human→machine with', 'human→machine without', 'unknown with', 'human p95 ms with'],
    (
      [
        ['held-out', held, withoutForced.heldOut],
        ['tune', tuned, withoutForced.tune],
        ['old easy corpus', old, withoutForced.oldCorpus],
        ['words hold-out set', holdoutW, withoutForced.wordsHoldout],
        ['phrase hold-out set (f2)', phraseHoldoutW, withoutForced.phraseHoldout],
      ] as const
    ).map(([name, a, b]) => [name, a.accuracy, b.accuracy, a.humanAsMachine, b.humanAsMachine, a.unknown, a.humanDecisionP95Ms]),
  );
  printTable(
    'Forced phrase scoring: cost per greeting scored (after a transcription that found no phrase)',
    ['scorings', 'compute p50 ms', 'compute p95 ms', 'compute max ms', 'audio p50 ms', 'real-time factor'],
    [
      [
        forcedCost.transcriptions,
        forcedCost.computeMsP50,
        forcedCost.computeMsP95,
        forcedCost.computeMsMax,
        forcedCost.audioMsP50,
        forcedCost.realTimeFactor,
      ],
    ],
  );
  const phraseWrong = phraseHoldoutScored.filter((s) => s.result !== s.truth);
  if (phraseWrong.length > 0) {
    printTable(
      'Phrase hold-out set misclassified (with words)',
      ['case', 'truth', 'result', 'reason', 'decided ms'],
      phraseWrong.map((s) => [s.name, s.truth, s.result, s.reason, s.decidedAtMs]),
    );
  }
  const cost = costSummary(words.costs);
  const loopSample = heldOut // issue-17 worker: one sample for both paths
    .filter((c) => c.truth === 'human')
    .slice(0, 12)
    .map((c) => c.samples.subarray(0, Math.round((c.greetingEndMs + 300) * 8)));
  const loop = await loopImpact(loopSample, words.transcriber); // issue-17 worker: decoding in the transcriber's worker thread
  const baselineDecoder = await inThreadDecoder(words.beams); // issue-17 worker: the same greetings decoded on this thread (before the worker)
  const loopInThread = await loopImpact(loopSample, baselineDecoder); // issue-17 worker:
  await baselineDecoder.release(); // issue-17 worker:
  // The phrase threshold, chosen on the tune half (re-matching its transcripts).
  const tuneBase = tune.map((c) => score(c, options).result);
  const thresholds = thresholdGrid(wordsOptions.phrases).map(({ ratio, matcher }) => {
    const results = runs.tune.map((r, i) => rematch(tuneBase[i] as Scored['result'], r, matcher));
    const humans = tune.flatMap((c, i) => (c.truth === 'human' ? [results[i]] : []));
    return {
      maxEditRatio: ratio,
      tuneAccuracy: round(results.filter((r, i) => r === tune[i]?.truth).length / tune.length),
      tuneHumanAsMachine: round(humans.filter((r) => r === 'machine').length / humans.length),
    };
  });
  printTable(
    'Greeting words: phrase threshold on the tune half (maxEditRatio: letters of ASR slip tolerated per letter of a phrase)',
    ['maxEditRatio', 'tune accuracy', 'tune human→machine'],
    thresholds.map((g) => [g.maxEditRatio, g.tuneAccuracy, g.tuneHumanAsMachine]),
  );
  printTable(
    `Greeting words: cost (Moonshine tiny, quantized ONNX, onnxruntime-node CPU, 1 thread, beam ${words.beams})`,
    [
      'model load ms',
      'transcriptions',
      'compute p50 ms',
      'compute p95 ms',
      'compute max ms',
      'audio p50 ms',
      'real-time factor',
      'loop delay p99 / max ms, worker', // issue-17 worker:
      'loop delay p99 / max ms, decoding on the loop (before)', // issue-17 worker:
    ],
    [
      [
        Math.round(words.loadMs),
        cost.transcriptions,
        cost.computeMsP50,
        cost.computeMsP95,
        cost.computeMsMax,
        cost.audioMsP50,
        cost.realTimeFactor,
        `${loop.loopDelayP99Ms} / ${loop.loopDelayMaxMs}`, // issue-17 worker:
        `${loopInThread.loopDelayP99Ms} / ${loopInThread.loopDelayMaxMs}`, // issue-17 worker:
      ],
    ],
  );
  printTable(
    'Greeting words: revisions to machine by a phrase (held-out half, the words and phrase hold-out sets, the old corpus)',
    ['case', 'truth', 'phrase', 'heard', 'revised at ms'],
    [...heldOut, ...holdout, ...phraseHoldout, ...oldCorpus].flatMap((c, i) => {
      const r = [...runs.heldOut, ...runs.holdout, ...runs.phraseHoldout, ...runs.old][i] as (typeof runs.heldOut)[number];
      const forced = r.words?.match?.forced;
      return r.revision?.reason === 'greeting-words'
        ? [
            [
              c.name,
              c.truth,
              r.revision.phrase ?? '',
              forced ? `(forced, margin ${round(forced.margin)})` : (r.words?.match?.heard ?? ''),
              r.revision.atMs,
            ],
          ]
        : [];
    }),
  );

  const header = ['class', 'cases', 'correct', 'wrong way', 'unknown', 'revised', 'p95 first decision ms', 'p50 final ms', 'p95 final ms'];
  printTable(
    'Held-out half with the greeting-words stage, per class (final result: a late beep, a greeting running on after a deadline decision, or a voicemail phrase in the greeting revises a connected call to machine)',
    header,
    perClass(heldScored),
  );
  const wrong = heldScored.filter((s) => s.result !== s.truth);
  if (wrong.length > 0) {
    printTable(
      'Held-out misclassified',
      ['case', 'truth', 'result', 'reason', 'decided ms'],
      wrong.map((s) => [s.name, s.truth, s.result, s.reason, s.decidedAtMs]),
    );
  }
  printTable(
    'Summary',
    [
      'corpus',
      'cases',
      'accuracy',
      'human→machine',
      'machine→human',
      'unknown',
      'human decision p95 ms',
      'human after-greeting p95 ms',
      'machines revised',
      'agent heard machine p50 ms',
      'accuracy at connect',
      'human→machine at connect',
      'unknown at connect',
    ],
    (
      [
        ['held-out, with words (reported)', held],
        ['held-out, cadence only', heldC],
        ['tune, with words', tuned],
        ['tune, cadence only', tunedC],
        ['old easy corpus, with words', old],
        ['old easy corpus, cadence only', oldC],
        ['words hold-out set, with words', holdoutW],
        ['words hold-out set, cadence only', holdoutC],
        ['phrase hold-out set (f2), with words', phraseHoldoutW],
        ['phrase hold-out set (f2), cadence only', phraseHoldoutC],
      ] as const
    ).map(([name, x]) => [
      name,
      x.cases,
      x.accuracy,
      x.humanAsMachine,
      x.machineAsHuman,
      x.unknown,
      x.humanDecisionP95Ms,
      x.humanAfterGreetingP95Ms,
      x.machinesRevised,
      x.agentHeardMachineP50Ms,
      x.accuracyAtConnect,
      x.humanAsMachineAtConnect,
      x.unknownAtConnect,
    ]),
  );
  const holdoutWrong = holdoutScored.filter((s) => s.result !== s.truth);
  if (holdoutWrong.length > 0) {
    printTable(
      'Words hold-out set misclassified (with words)',
      ['case', 'truth', 'result', 'reason', 'decided ms'],
      holdoutWrong.map((s) => [s.name, s.truth, s.result, s.reason, s.decidedAtMs]),
    );
  }
  const oldWrong = oldScored.filter((s) => s.result !== s.truth);
  if (oldWrong.length > 0) {
    printTable(
      'Old corpus misclassified',
      ['case', 'truth', 'result', 'reason', 'decided ms'],
      oldWrong.map((s) => [s.name, s.truth, s.result, s.reason, s.decidedAtMs]),
    );
  }
  // The trade-offs the operating point sets: machineGreetingMs (people taken for machines against
  // machines reaching agents) and humanDeadlineMs (people's wait against agents hearing machines).
  const deadlines = [0, options.humanDeadlineMs].filter((m, i, all) => all.indexOf(m) === i);
  const points = [2_500, 3_500, options.machineGreetingMs, 5_000]
    .filter((m, i, all) => all.indexOf(m) === i)
    .flatMap((machineGreetingMs) => deadlines.map((humanDeadlineMs) => ({ machineGreetingMs, humanDeadlineMs })))
    .map(({ machineGreetingMs, humanDeadlineMs }) => {
      const o = { ...options, machineGreetingMs, humanDeadlineMs };
      return {
        machineGreetingMs,
        humanDeadlineMs,
        tune: summarise(tune.map((c) => score(c, o))),
        heldOut: summarise(heldOut.map((c) => score(c, o))),
        old: summarise(oldCorpus.map((c) => score(c, o))),
      };
    });
  printTable(
    'Operating points: machineGreetingMs × humanDeadlineMs (0 = wait for the greeting to end)',
    [
      'machineGreetingMs',
      'humanDeadlineMs',
      'tune accuracy',
      'tune human→machine',
      'held-out accuracy',
      'held-out human→machine',
      'held-out machine→human',
      'held-out human p95 ms',
      'held-out machines revised',
      'agent heard machine p50 ms',
      'old corpus accuracy',
      'old corpus accuracy at connect',
    ],
    points.map((p) => [
      p.machineGreetingMs,
      p.humanDeadlineMs,
      p.tune.accuracy,
      p.tune.humanAsMachine,
      p.heldOut.accuracy,
      p.heldOut.humanAsMachine,
      p.heldOut.machineAsHuman,
      p.heldOut.humanDecisionP95Ms,
      p.heldOut.machinesRevised,
      p.heldOut.agentHeardMachineP50Ms,
      p.old.accuracy,
      p.old.accuracyAtConnect,
    ]),
  );
  // The former default for comparison: no deadline, a person is connected once the greeting ended.
  const waitOptions = resolveAmdOptions({ ...options, ...WAIT_FOR_GREETING_AMD_OPTIONS });
  const waitForGreeting = {
    heldOut: summarise(heldOut.map((c) => score(c, waitOptions))),
    tune: summarise(tune.map((c) => score(c, waitOptions))),
    oldCorpus: summarise(oldCorpus.map((c) => score(c, waitOptions))),
  };
  const targetsOf = (s: AmdScores, o: AmdScores) =>
    [
      ['accuracy ≥ 0.95', s.accuracy >= 0.95],
      ['humanAsMachine ≤ 0.02', s.humanAsMachine <= 0.02],
      ['unknown ≤ 0.05', s.unknown <= 0.05],
      ['humanDecisionP95Ms ≤ 2500', s.humanDecisionP95Ms <= 2_500],
      ['old corpus 100% (final)', o.accuracy === 1],
      ['old corpus 100% (at connect)', o.accuracyAtConnect === 1],
    ] as const;
  for (const [title, s, o] of [
    [
      `default point with the greeting-words stage (humanDeadlineMs ${options.humanDeadlineMs}; machines revised ${held.machinesRevised}, agent heard them p50 ${held.agentHeardMachineP50Ms} ms)`,
      held,
      old,
    ],
    [`default point, cadence only (no words stage)`, heldC, oldC],
    [
      `wait-for-greeting point, cadence only (humanDeadlineMs ${waitOptions.humanDeadlineMs})`,
      waitForGreeting.heldOut,
      waitForGreeting.oldCorpus,
    ],
  ] as const) {
    console.log(
      `\nHeld-out targets, ${title}:\n${targetsOf(s, o)
        .map(([name, met]) => `${met ? 'met   ' : 'MISSED'} ${name}`)
        .join('\n')}`,
    );
  }

  const result = {
    ...held,
    split: 'held-out',
    pipeline: 'cadence + greeting words (Moonshine tiny)',
    tune: tuned,
    oldCorpus: old,
    withoutWords: { heldOut: heldC, tune: tunedC, oldCorpus: oldC, wordsHoldout: holdoutC, phraseHoldout: phraseHoldoutC },
    wordsHoldout: holdoutW,
    phraseHoldout: phraseHoldoutW,
    withoutForcedPhrases: withoutForced,
    words: {
      model: '@usefulsensors/moonshine-js 0.1.21, dist/model/tiny/quantized (Moonshine tiny English, MIT)',
      runtime: 'onnxruntime-node 1.22.0, CPU, 1 intra-op thread, in a worker thread', // issue-17 worker:
      beams: words.beams,
      options: wordsOptions,
      modelLoadMs: Math.round(words.loadMs),
      ...cost,
      loopImpact: loop, // issue-17 worker: decoding in the transcriber's worker thread
      loopImpactInThread: loopInThread, // issue-17 worker: the baseline, decoding on the event loop (before the worker)
      loopDelayMaxRatioToInThread: Math.round((loop.loopDelayMaxMs / Math.max(loopInThread.loopDelayMaxMs, 0.01)) * 100) / 100, // issue-17 worker:
      thresholdsOnTune: thresholds,
      forcedPhrases: {
        phrases: words.words.forcedPhrases,
        minForcedMargin: forcedMargin,
        tuneHumanTopMargin: topMargin('human'),
        tuneMachineLowestBestMargin: lowMachineMargin,
        marginsOnTune: margins,
        ...forcedCost,
      },
    },
    perClass: Object.fromEntries(
      perClass(heldScored).map(([cls, n, correct, wrongWay, unknown, revised, firstP95, p50, p95]) => [
        cls,
        { cases: n, correct, wrongWay, unknown, revised, p95FirstDecisionMs: firstP95, p50DecidedMs: p50, p95DecidedMs: p95 },
      ]),
    ),
    options,
    waitForGreeting: { options: WAIT_FOR_GREETING_AMD_OPTIONS, ...waitForGreeting },
    operatingPoints: points.map((p) => ({
      machineGreetingMs: p.machineGreetingMs,
      humanDeadlineMs: p.humanDeadlineMs,
      heldOutHumanDecisionP95Ms: p.heldOut.humanDecisionP95Ms,
      heldOutMachinesRevised: p.heldOut.machinesRevised,
      heldOutAgentHeardMachineP50Ms: p.heldOut.agentHeardMachineP50Ms,
      tuneAccuracy: p.tune.accuracy,
      tuneHumanAsMachine: p.tune.humanAsMachine,
      heldOutAccuracy: p.heldOut.accuracy,
      heldOutHumanAsMachine: p.heldOut.humanAsMachine,
      heldOutMachineAsHuman: p.heldOut.machineAsHuman,
      oldCorpusAccuracy: p.old.accuracy,
    })),
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'amd.json'), `${JSON.stringify(result, null, 2)}\n`);
}

await main();
