// The GPU economics of four set-ups on one demand trace, replayed on a
// virtual clock: a static split, a shared pool with leases, the shared pool
// with idle reclaim (all three through the REAL GPU pool service and store,
// SQLite in memory), and Kueue-style job queueing (a model: Kueue admits
// jobs in a real cluster). See README.md for the method and the figures.
//
// Run (from the repository root, after `source scripts/env.sh`):
//   node_modules/.bin/tsx bench/gpu-pool/traceReplay.ts [options]
//   yarn bench:gpu-pool [options]
// Options:
//   --trace <file>          replay this trace (CSV team,submit_s,gpus,duration_s[,busy_fraction][,activity])
//   --synthetic             the synthetic generator's trace per seed (busy_fraction 1)
//                           (default: the real-activity trace per seed)
//   --write-synthetic <f>   write the synthetic trace of the first seed and exit
//   --write-real <f>        write the real-activity trace of the first seed and exit
//   --seeds 1,2,3  --days 14  --gpus 16 (pool size the figures are shown at)
//   --duty-cycle <file.csv.gz>  (default ../shared/traces/gpu-duty-cycle-genai-2026.csv.gz)
//   --idle-threshold 5 --idle-minutes 60 --grace-minutes 30 --check-minutes 5
//   --merge-gap 10 (idle minutes kept inside a job)  --approval-delay-min 0
//   --setups static,shared,reclaim,kueue  --no-search  --json
import { parseArgs } from 'node:util';
import {
  DutyCycleTrace,
  describeDutyCycle,
  loadDutyCycle,
  withRealActivity,
} from './dutyCycle';
import { dutyOf } from './activity';
import { demandProfile, DemandProfile } from './demand';
import { replayKueue } from './kueueModel';
import {
  DEFAULT_TARGET,
  Outcome,
  SearchResult,
  apportion,
  fewestGpus,
  meetsTarget,
  waitFigures,
} from './metrics';
import { Lease, replayService } from './serviceReplay';
import {
  DAY,
  TraceLease,
  generateSynthetic,
  readTrace,
  writeTrace,
} from './trace';

function parseOptions() {
  try {
    return parseArgs({
      options: {
        trace: { type: 'string' },
        synthetic: { type: 'boolean', default: false },
        'write-synthetic': { type: 'string' },
        'write-real': { type: 'string' },
        seeds: { type: 'string', default: '1,2,3' },
        days: { type: 'string', default: '14' },
        gpus: { type: 'string', default: '16' },
        'duty-cycle': { type: 'string' },
        'idle-threshold': { type: 'string', default: '5' },
        'idle-minutes': { type: 'string', default: '60' },
        'grace-minutes': { type: 'string', default: '30' },
        'check-minutes': { type: 'string', default: '5' },
        'merge-gap': { type: 'string', default: '10' },
        'approval-delay-min': { type: 'string', default: '0' },
        setups: { type: 'string', default: 'static,shared,reclaim,kueue' },
        'no-search': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(
      `${
        (error as Error).message
      } (options: see the top of bench/gpu-pool/traceReplay.ts)`,
    );
    return process.exit(2);
  }
}
const args = parseOptions();

function usage(message: string): never {
  console.error(message);
  return process.exit(2);
}

function positive(name: string, raw: string, integer = false) {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    usage(
      `--${name}: ${JSON.stringify(raw)} is not a positive ${
        integer ? 'integer' : 'number'
      }`,
    );
  }
  return n;
}

const SETUPS = ['static', 'shared', 'reclaim', 'kueue'] as const;
type SetupName = (typeof SETUPS)[number];
const LABEL: Record<SetupName, string> = {
  static: 'static split',
  shared: 'shared pool',
  reclaim: 'shared + reclaim',
  kueue: 'Kueue jobs (model)',
};

const seeds = args.seeds!.split(',').map(s => positive('seeds', s, true));
const days = positive('days', args.days!);
const baseGpus = positive('gpus', args.gpus!, true);
const policy = {
  thresholdPercent: positive('idle-threshold', args['idle-threshold']!),
  idleMinutes: positive('idle-minutes', args['idle-minutes']!),
  graceMinutes: positive('grace-minutes', args['grace-minutes']!),
  keepMinutes: 12 * 60,
};
const checkMinutes = positive('check-minutes', args['check-minutes']!, true);
const mergeGapMin = positive('merge-gap', args['merge-gap']!, true);
const approvalDelayMin = Number(args['approval-delay-min']);
if (!(approvalDelayMin >= 0)) {
  usage(
    `--approval-delay-min: ${args['approval-delay-min']} is not minutes ≥ 0`,
  );
}
const approvalDelayMs = approvalDelayMin * 60_000;
const setups = args.setups!.split(',').map(s => {
  if (!(SETUPS as readonly string[]).includes(s)) {
    usage(`--setups: ${s} is not one of ${SETUPS.join(', ')}`);
  }
  return s as SetupName;
});

function resolveLeases(
  trace: TraceLease[],
  dutyCycle: DutyCycleTrace | undefined,
): Lease[] {
  return trace.map((l, n) => ({
    n,
    team: l.team,
    submitMs: l.submitS * 1000,
    gpus: l.gpus,
    minutes: Math.max(1, Math.round(l.durationS / 60)),
    duty: dutyOf(l, dutyCycle),
  }));
}

function figures(o: Outcome) {
  const w = waitFigures(o.waits);
  return {
    gpus: o.gpus,
    allocatedGpuH: round(o.allocatedGpuH),
    busyGpuH: round(o.busyGpuH),
    idleGpuH: round(o.allocatedGpuH - o.busyGpuH),
    busyShare: round(o.busyGpuH / o.allocatedGpuH, 3),
    p50WaitH: round(w.p50H, 2),
    p95WaitH: round(w.p95H, 2),
    withinAllowanceP95WaitH: round(w.withinP95H, 2),
    requests: o.requests,
    withinAllowance: w.withinCount,
    approvals: o.approvals,
    nudges: o.nudges,
    withdrawnNudges: o.withdrawnNudges,
    reclaims: o.reclaims,
    falseReclaims: o.falseReclaims,
    reclaimedGpuH: round(o.reclaimedGpuH),
    makespanDays: round(o.makespanH / 24, 2),
    wallS: round(o.wallMs / 1000, 1),
  };
}
type Figures = ReturnType<typeof figures>;

function round(v: number, digits = 1) {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

interface SetupResult {
  base: Figures;
  fewest?: Figures;
  search?: SearchResult;
}

async function runTrace(
  label: string,
  trace: TraceLease[],
  dutyCycle: DutyCycleTrace | undefined,
) {
  const leases = resolveLeases(trace, dutyCycle);
  // The seeds' traces span --days; a given trace its last submission's day.
  const horizonMs = args.trace
    ? Math.ceil((Math.max(...leases.map(l => l.submitMs)) + 1) / DAY) * DAY
    : days * DAY;
  const weights = new Map<string, number>();
  for (const l of leases) {
    weights.set(l.team, (weights.get(l.team) ?? 0) + l.gpus * l.minutes);
  }
  const teams = weights.size;
  const widest = Math.max(...leases.map(l => l.gpus));
  const physical = demandProfile(
    leases,
    horizonMs,
    policy.thresholdPercent,
    mergeGapMin,
  );
  const results: Partial<Record<SetupName, SetupResult>> = {};
  for (const name of setups) {
    const memo = new Map<number, Outcome>();
    const run = async (gpus: number) => {
      if (!memo.has(gpus)) {
        const shares = apportion(weights, gpus);
        memo.set(
          gpus,
          name === 'kueue'
            ? replayKueue(
                {
                  gpus,
                  shares,
                  thresholdPercent: policy.thresholdPercent,
                  mergeGapMin,
                },
                leases,
              )
            : await replayService(
                {
                  kind: name,
                  gpus,
                  shares,
                  approvalDelayMs,
                  reclaim:
                    name === 'reclaim' ? { policy, checkMinutes } : undefined,
                },
                leases,
              ),
        );
      }
      return memo.get(gpus)!;
    };
    const min = name === 'static' ? teams : widest;
    const result: SetupResult = {
      base: figures(await run(Math.max(min, baseGpus))),
    };
    if (!args['no-search']) {
      result.search = await fewestGpus(
        async gpus => meetsTarget(await run(gpus), DEFAULT_TARGET),
        { min, start: Math.max(min, baseGpus), cap: 8 * baseGpus },
      );
      if (result.search.fewest !== undefined) {
        result.fewest = figures(memo.get(result.search.fewest)!);
      }
    }
    results[name] = result;
  }
  printTrace(label, leases.length, physical, results);
  return { label, leases: leases.length, physical, setups: results };
}

function printTrace(
  label: string,
  leases: number,
  p: DemandProfile,
  results: Partial<Record<SetupName, SetupResult>>,
) {
  const names = setups.filter(n => results[n]);
  const row = (title: string, f: (r: SetupResult) => string) =>
    console.log(
      `${title.padEnd(40)}${names
        .map(n => f(results[n]!).padStart(20))
        .join('')}`,
    );
  console.log(
    `\n== ${label}: ${leases} leases over ${round(p.horizonH / 24)} days`,
  );
  console.log(
    `physical limit: average busy demand ${round(p.averageBusyGpus, 2)} GPUs ` +
      `(leases hold ${round(
        p.averageLeaseGpus,
        2,
      )} on average); with unlimited GPUs, per minute:`,
  );
  for (const [what, q] of [
    ['GPUs held by leases', p.leaseHeld],
    ['GPUs held by jobs', p.jobHeld],
    ['GPUs busy', p.busy],
  ] as const) {
    console.log(
      `  ${what.padEnd(20)} p50 ${round(q.p50, 1)}  p95 ${round(
        q.p95,
        1,
      )}  p99 ${round(q.p99, 1)}  max ${round(q.max, 1)}`,
    );
  }
  row('', () => '');
  console.log(
    `${''.padEnd(40)}${names.map(n => LABEL[n].padStart(20)).join('')}`,
  );
  row('GPUs (figures below at this size)', r => String(r.base.gpus));
  row('GPU-hours allocated', r => String(r.base.allocatedGpuH));
  row('GPU-hours busy', r => String(r.base.busyGpuH));
  row('GPU-hours allocated but idle', r => String(r.base.idleGpuH));
  row('busy ÷ allocated', r => `${round(100 * r.base.busyShare, 1)} %`);
  row('p50 / p95 queue wait', r => `${r.base.p50WaitH} / ${r.base.p95WaitH} h`);
  row('p95 wait within allowance', r => `${r.base.withinAllowanceP95WaitH} h`);
  row('requests (jobs for Kueue)', r => String(r.base.requests));
  row(
    'nudges / reclaims / false reclaims',
    r => `${r.base.nudges} / ${r.base.reclaims} / ${r.base.falseReclaims}`,
  );
  row('GPU-hours returned by reclaim', r => String(r.base.reclaimedGpuH));
  row('fewest GPUs meeting the wait target', r =>
    r.search ? (r.fewest ? String(r.fewest.gpus) : `> ${8 * baseGpus}`) : '-',
  );
  row('  at that size: busy ÷ allocated', r =>
    r.fewest ? `${round(100 * r.fewest.busyShare, 1)} %` : '-',
  );
  row('  at that size: p95 within / overall', r =>
    r.fewest
      ? `${r.fewest.withinAllowanceP95WaitH} / ${r.fewest.p95WaitH} h`
      : '-',
  );
  row('  at that size: false reclaims', r =>
    r.fewest ? String(r.fewest.falseReclaims) : '-',
  );
  row('  pool sizes replayed', r =>
    r.search
      ? r.search.tried.map(t => `${t.gpus}${t.meets ? '✓' : '✗'}`).join(' ')
      : '-',
  );
}

async function main() {
  const started = Date.now();
  const needsDutyCycle = !args.synthetic && !args['write-synthetic'];
  let dutyCycle: DutyCycleTrace | undefined;
  let traces: Array<{ label: string; trace: TraceLease[] }>;
  if (args.trace) {
    const trace = readTrace(args.trace);
    if (trace.some(l => l.activity))
      dutyCycle = loadDutyCycle(args['duty-cycle']);
    traces = [{ label: args.trace, trace }];
  } else {
    if (needsDutyCycle) dutyCycle = loadDutyCycle(args['duty-cycle']);
    traces = seeds.map(seed => {
      const demand = generateSynthetic(seed, days);
      return {
        label: `${
          args.synthetic ? 'synthetic' : 'real-activity'
        } trace, seed ${seed}`,
        trace: dutyCycle ? withRealActivity(demand, dutyCycle, seed) : demand,
      };
    });
  }
  if (args['write-synthetic']) {
    writeTrace(args['write-synthetic'], generateSynthetic(seeds[0], days));
    console.log(
      `wrote ${args['write-synthetic']} (synthetic, seed ${seeds[0]}, ${days} days)`,
    );
    return;
  }
  if (args['write-real']) {
    writeTrace(args['write-real'], traces[0].trace);
    console.log(
      `wrote ${args['write-real']} (${traces[0].label}, ${days} days)`,
    );
    return;
  }
  const dutyDescription = dutyCycle
    ? describeDutyCycle(dutyCycle, policy.thresholdPercent)
    : undefined;
  if (dutyDescription) {
    const d = dutyDescription;
    console.log(
      `activity: ${dutyCycle!.file}: ${d.rows} rows, ${d.podsUsed} of ${
        d.podsInFile
      } pods used; ` +
        `pod-minutes below ${policy.thresholdPercent} %: ${round(
          100 * d.belowThreshold,
          1,
        )} %, ` +
        `in idle spells > 30 min: ${round(
          100 * d.inIdleSpellsOver30Min,
          1,
        )} %, > 60 min: ${round(
          100 * d.inIdleSpellsOver60Min,
          1,
        )} %; mean duty ${round(100 * d.meanDuty, 1)} %`,
    );
  }
  console.log(
    `reclaim: below ${policy.thresholdPercent} % for ${policy.idleMinutes} min, grace ${policy.graceMinutes} min, ` +
      `checked every ${checkMinutes} min (decideIdle); jobs merge idle gaps < ${mergeGapMin} min; ` +
      `target: p95 wait ≤ ${DEFAULT_TARGET.withinAllowanceP95H} h within allowance and ≤ ${DEFAULT_TARGET.overallP95H} h overall`,
  );
  const out = [];
  for (const { label, trace } of traces) {
    out.push(await runTrace(label, trace, dutyCycle));
  }
  if (out.length > 1 && !args['no-search']) {
    console.log('\n== fewest GPUs meeting the wait target, per seed');
    for (const name of setups) {
      const per = out.map(o => o.setups[name]?.fewest?.gpus);
      console.log(
        `${LABEL[name].padEnd(24)}${per
          .map(v => String(v ?? '-').padStart(6))
          .join('')}`,
      );
    }
    console.log(
      `${'average busy demand'.padEnd(24)}${out
        .map(o => String(round(o.physical.averageBusyGpus, 1)).padStart(6))
        .join('')}`,
    );
  }
  const wallS = round((Date.now() - started) / 1000, 1);
  console.log(`\nwall time ${wallS} s`);
  if (args.json) {
    console.log(
      JSON.stringify({
        options: {
          seeds: args.trace ? undefined : seeds,
          days,
          gpus: baseGpus,
          policy,
          checkMinutes,
          mergeGapMin,
          approvalDelayMs,
          target: DEFAULT_TARGET,
        },
        dutyCycle: dutyDescription,
        traces: out,
        wallS,
      }),
    );
  }
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error);
  if (!(error instanceof Error && error.name === 'TraceError')) {
    console.error(error);
  }
  process.exit(1);
});
