import { FormEvent, useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  createGpuRequestSchema,
  formatDuration,
  GpuPoolSummary,
  parseDuration,
  predictOutcome,
} from '@internal/plugin-gpu-pool-common';
import { useDisplayName, usePortalFormat } from '@internal/plugin-portal-react';
import { gpuPoolApiRef } from '../api/GpuPoolApi';
import { gpuPoolTranslationRef } from '../translation';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Units of the duration picker. */
export type DurationUnit = 'hours' | 'days';

/** The picker's amount and unit for an ISO duration (days when whole). */
export function pickerValue(iso: string | undefined): {
  amount: number;
  unit: DurationUnit;
} {
  const ms = (iso && parseDuration(iso)) || DAY;
  return ms % DAY === 0
    ? { amount: ms / DAY, unit: 'days' }
    : { amount: Math.max(1, Math.round(ms / HOUR)), unit: 'hours' };
}

/** Fields of the form that can be wrong. */
export type FormField =
  | 'team'
  | 'cluster'
  | 'namespace'
  | 'count'
  | 'cpu'
  | 'memory'
  | 'duration'
  | 'justification';

/** A problem with one field: a message key and its values. */
export type FieldProblem = {
  key: FormField | 'countMax' | 'durationMax' | 'justificationRequired';
  max?: string;
};

/**
 * What is wrong with the form, by field: the backend's own zod schema
 * (`createGpuRequestSchema` from -common) first, then the chosen pool's
 * limits and the approval rule, which the backend checks against config.
 */
export function validateRequest(options: {
  body: Record<string, unknown>;
  pool?: GpuPoolSummary;
  durationMs: number;
  needsApproval: boolean;
  formatDurationMs: (ms: number) => string;
}): Partial<Record<FormField, FieldProblem>> {
  const { body, pool, durationMs, needsApproval } = options;
  const problems: Partial<Record<FormField, FieldProblem>> = {};
  const parsed = createGpuRequestSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = (
        issue.path[0] === 'gpus' ? 'count' : issue.path[0]
      ) as FormField;
      problems[field] ??= { key: field };
    }
  }
  if (!pool) problems.cluster ??= { key: 'cluster' };
  const count = (body.gpus as Array<{ count: number }>)[0]?.count;
  if (pool && !problems.count && count > pool.maxPerRequest) {
    problems.count = { key: 'countMax', max: String(pool.maxPerRequest) };
  }
  if (!Number.isInteger(durationMs) || durationMs <= 0) {
    problems.duration = { key: 'duration' };
  } else if (pool) {
    const max = parseDuration(pool.maxDuration);
    if (max !== undefined && durationMs > max) {
      problems.duration = {
        key: 'durationMax',
        max: options.formatDurationMs(max),
      };
    }
  }
  if (
    needsApproval &&
    !problems.justification &&
    !String(body.justification ?? '').trim()
  ) {
    problems.justification = { key: 'justificationRequired' };
  }
  return problems;
}

function TeamOption({ team }: { team: string }) {
  return <option value={team}>{useDisplayName(team)}</option>;
}

/**
 * The GPU request form. Native selects and inputs in tab order, so it can
 * be completed with the keyboard alone (Enter sends it); every field is
 * checked as it changes, with the backend's schema, in the user's language.
 */
export function RequestForm({
  pools,
  groups,
  onCreated,
}: {
  pools: GpuPoolSummary[];
  groups: string[];
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const format = usePortalFormat();
  const api = useApi(gpuPoolApiRef);
  const [team, setTeam] = useState(groups[0] ?? '');
  const [poolId, setPoolId] = useState(pools[0]?.id ?? '');
  const pool = pools.find(p => p.id === poolId);
  const [namespace, setNamespace] = useState('');
  const [count, setCount] = useState('1');
  const [cpu, setCpu] = useState('8');
  const [memory, setMemory] = useState('64Gi');
  const initial = pickerValue(pools[0]?.defaultDuration);
  const [amount, setAmount] = useState(String(initial.amount));
  const [unit, setUnit] = useState<DurationUnit>(initial.unit);
  const [justification, setJustification] = useState('');
  const [ephemeral, setEphemeral] = useState(false);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const gpuCount = Number(count);
  const durationMs = Number(amount) * (unit === 'days' ? DAY : HOUR);
  const outcome = useMemo(
    () =>
      pool && team && Number.isInteger(gpuCount) && gpuCount > 0
        ? predictOutcome(pools, team, [{ pool: pool.id, count: gpuCount }])
        : undefined,
    [pools, pool, team, gpuCount],
  );
  const body = {
    team,
    cluster: pool?.cluster ?? '',
    namespace,
    gpus: [{ pool: poolId, count: gpuCount }],
    cpu,
    memory,
    duration:
      Number.isInteger(durationMs) && durationMs > 0
        ? formatDuration(durationMs)
        : undefined,
    justification,
    ephemeral,
  };
  const problems = validateRequest({
    body,
    pool,
    durationMs,
    needsApproval: outcome === 'approval',
    formatDurationMs: ms => format.duration(ms),
  });
  const invalid = Object.keys(problems).length > 0;

  if (groups.length === 0) return <Typography>{t('form.noTeam')}</Typography>;

  const touch = (field: FormField) =>
    setTouched(prev => (prev.has(field) ? prev : new Set(prev).add(field)));
  /** Error props of a field, shown once it was changed or sent. */
  const check = (field: FormField) => {
    const problem = problems[field];
    if (!problem || (!submitted && !touched.has(field))) return {};
    return {
      error: true,
      helperText: t(`validation.${problem.key}` as 'validation.countMax', {
        max: problem.max ?? '',
      }),
    };
  };
  const onPoolChange = (id: string) => {
    setPoolId(id);
    const next = pickerValue(pools.find(p => p.id === id)?.defaultDuration);
    setAmount(String(next.amount));
    setUnit(next.unit);
  };
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setSubmitted(true);
    if (invalid || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createRequest(body);
      onCreated(created.id);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const maxDuration = pool ? parseDuration(pool.maxDuration) : undefined;
  const durationCheck = check('duration');
  return (
    <form onSubmit={submit} noValidate aria-label={t('form.title')}>
      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <TextField
            select
            fullWidth
            id="gpu-request-team"
            label={t('form.team')}
            value={team}
            onChange={e => setTeam(e.target.value)}
            SelectProps={{ native: true }}
            inputProps={{ 'data-testid': 'team' }}
            {...check('team')}
          >
            {groups.map(g => (
              <TeamOption key={g} team={g} />
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} md={5}>
          <TextField
            select
            fullWidth
            id="gpu-request-pool"
            label={t('form.pool')}
            value={poolId}
            onChange={e => onPoolChange(e.target.value)}
            SelectProps={{ native: true }}
            inputProps={{ 'data-testid': 'pool' }}
            {...check('cluster')}
          >
            {pools.map(p => (
              <option
                key={p.id}
                value={p.id}
              >{`${p.title} · ${p.cluster} (${p.available}/${p.capacity})`}</option>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} md={3}>
          <TextField
            fullWidth
            id="gpu-request-count"
            type="number"
            label={t('form.count')}
            value={count}
            onChange={e => {
              setCount(e.target.value);
              touch('count');
            }}
            inputProps={{
              min: 1,
              max: pool?.maxPerRequest,
              'data-testid': 'count',
            }}
            {...check('count')}
          />
        </Grid>
        <Grid item xs={12} md={4}>
          <TextField
            fullWidth
            id="gpu-request-namespace"
            label={t('form.namespace')}
            value={namespace}
            onChange={e => {
              setNamespace(e.target.value);
              touch('namespace');
            }}
            inputProps={{ 'data-testid': 'namespace' }}
            {...check('namespace')}
          />
        </Grid>
        <Grid item xs={6} md={2}>
          <TextField
            fullWidth
            id="gpu-request-cpu"
            label={t('form.cpu')}
            value={cpu}
            onChange={e => {
              setCpu(e.target.value);
              touch('cpu');
            }}
            inputProps={{ 'data-testid': 'cpu' }}
            {...check('cpu')}
          />
        </Grid>
        <Grid item xs={6} md={2}>
          <TextField
            fullWidth
            id="gpu-request-memory"
            label={t('form.memory')}
            value={memory}
            onChange={e => {
              setMemory(e.target.value);
              touch('memory');
            }}
            inputProps={{ 'data-testid': 'memory' }}
            {...check('memory')}
          />
        </Grid>
        <Grid item xs={6} md={2}>
          <TextField
            fullWidth
            id="gpu-request-duration"
            type="number"
            label={t('form.duration')}
            value={amount}
            onChange={e => {
              setAmount(e.target.value);
              touch('duration');
            }}
            inputProps={{
              min: 1,
              max: maxDuration
                ? Math.floor(maxDuration / (unit === 'days' ? DAY : HOUR))
                : undefined,
              'data-testid': 'duration-amount',
            }}
            error={durationCheck.error}
            helperText={
              durationCheck.helperText ??
              (maxDuration
                ? t('form.durationHelp', { max: format.duration(maxDuration) })
                : undefined)
            }
          />
        </Grid>
        <Grid item xs={6} md={2}>
          <TextField
            select
            fullWidth
            id="gpu-request-duration-unit"
            label={t('form.durationUnit')}
            value={unit}
            onChange={e => {
              setUnit(e.target.value as DurationUnit);
              touch('duration');
            }}
            SelectProps={{ native: true }}
            inputProps={{ 'data-testid': 'duration-unit' }}
          >
            <option value="hours">{t('form.hours')}</option>
            <option value="days">{t('form.days')}</option>
          </TextField>
        </Grid>
        <Grid item xs={12}>
          <TextField
            fullWidth
            multiline
            id="gpu-request-justification"
            label={t('form.justification')}
            value={justification}
            onChange={e => {
              setJustification(e.target.value);
              touch('justification');
            }}
            inputProps={{ 'data-testid': 'justification' }}
            {...check('justification')}
          />
        </Grid>
        <Grid item xs={12}>
          <FormControlLabel
            control={
              <Checkbox
                checked={ephemeral}
                onChange={e => setEphemeral(e.target.checked)}
                inputProps={{ 'data-testid': 'ephemeral' } as object}
              />
            }
            label={t('form.ephemeral')}
          />
        </Grid>
        {outcome && (
          <Grid item xs={12}>
            <Alert
              severity={outcome === 'immediate' ? 'success' : 'warning'}
              data-testid="outcome"
              data-outcome={outcome}
            >
              {t(`form.outcome.${outcome}`)}
            </Alert>
          </Grid>
        )}
        {submitted && invalid && (
          <Grid item xs={12}>
            <Alert severity="error" data-testid="invalid" role="alert">
              {t('form.invalid')}
            </Alert>
          </Grid>
        )}
        {error && (
          <Grid item xs={12}>
            <Alert severity="error" role="alert">
              {error.message}
            </Alert>
          </Grid>
        )}
        <Grid item xs={12}>
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={busy}
            data-testid="submit"
          >
            {t('form.submit')}
          </Button>
        </Grid>
      </Grid>
    </form>
  );
}
