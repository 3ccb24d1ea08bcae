import { useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import Link from '@material-ui/core/Link';
import {
  GpuPoolSummary,
  predictOutcome,
} from '@internal/plugin-gpu-pool-common';
import { gpuPoolApiRef } from '../api/GpuPoolApi';
import { gpuPoolTranslationRef } from '../translation';
import { StatusChip, timeLeft, useIdentity, useLive } from './common';

function Availability({ pools }: { pools: GpuPoolSummary[] }) {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  if (pools.length === 0)
    return <EmptyState missing="content" title={t('availability.empty')} />;
  return (
    <Table size="small" aria-label={t('availability.title')}>
      <TableHead>
        <TableRow>
          {(
            [
              'pool',
              'cluster',
              'model',
              'capacity',
              'allocated',
              'available',
              'queued',
            ] as const
          ).map(k => (
            <TableCell key={k}>{t(`availability.${k}`)}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {pools.map(p => (
          <TableRow key={p.id} data-pool={p.id}>
            <TableCell>
              <Link component={RouterLink} to={`pools/${p.id}`}>
                {p.title}
              </Link>
            </TableCell>
            <TableCell>{p.cluster}</TableCell>
            <TableCell>{p.model}</TableCell>
            <TableCell>
              {p.capacity}
              {p.live ? '' : ` (${t('availability.stale')})`}
            </TableCell>
            <TableCell>{p.allocated}</TableCell>
            <TableCell data-testid={`available-${p.id}`}>
              {p.available}
            </TableCell>
            <TableCell>{p.queued}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function RequestForm({
  pools,
  groups,
  onCreated,
}: {
  pools: GpuPoolSummary[];
  groups: string[];
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const api = useApi(gpuPoolApiRef);
  const [team, setTeam] = useState(groups[0] ?? '');
  const [poolId, setPoolId] = useState(pools[0]?.id ?? '');
  const pool = pools.find(p => p.id === poolId);
  const [namespace, setNamespace] = useState('');
  const [count, setCount] = useState(1);
  const [cpu, setCpu] = useState('8');
  const [memory, setMemory] = useState('64Gi');
  const [duration, setDuration] = useState('');
  const [justification, setJustification] = useState('');
  const [ephemeral, setEphemeral] = useState(false);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const outcome = useMemo(
    () =>
      pool && team
        ? predictOutcome(pools, team, [{ pool: pool.id, count }])
        : undefined,
    [pools, pool, team, count],
  );
  if (groups.length === 0) return <Typography>{t('form.noTeam')}</Typography>;
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createRequest({
        team,
        cluster: pool?.cluster ?? '',
        namespace,
        gpus: [{ pool: poolId, count }],
        cpu,
        memory,
        duration: duration || undefined,
        justification,
        ephemeral,
      });
      onCreated(created.id);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={4}>
        <TextField
          select
          fullWidth
          label={t('form.team')}
          value={team}
          onChange={e => setTeam(e.target.value)}
          inputProps={{ 'data-testid': 'team' }}
        >
          {groups.map(g => (
            <MenuItem key={g} value={g}>
              {g}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} md={4}>
        <TextField
          select
          fullWidth
          label={t('form.pool')}
          value={poolId}
          onChange={e => setPoolId(e.target.value)}
          inputProps={{ 'data-testid': 'pool' }}
        >
          {pools.map(p => (
            <MenuItem
              key={p.id}
              value={p.id}
            >{`${p.title} · ${p.cluster} (${p.available}/${p.capacity})`}</MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} md={4}>
        <TextField
          fullWidth
          type="number"
          label={t('form.count')}
          value={count}
          onChange={e => setCount(Number(e.target.value))}
          inputProps={{ min: 1, 'data-testid': 'count' }}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <TextField
          fullWidth
          label={t('form.namespace')}
          value={namespace}
          onChange={e => setNamespace(e.target.value)}
          inputProps={{ 'data-testid': 'namespace' }}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <TextField
          fullWidth
          label={t('form.cpu')}
          value={cpu}
          onChange={e => setCpu(e.target.value)}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <TextField
          fullWidth
          label={t('form.memory')}
          value={memory}
          onChange={e => setMemory(e.target.value)}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <TextField
          fullWidth
          label={t('form.duration')}
          placeholder={pool?.defaultDuration}
          value={duration}
          onChange={e => setDuration(e.target.value)}
        />
      </Grid>
      <Grid item xs={12}>
        <TextField
          fullWidth
          multiline
          label={t('form.justification')}
          value={justification}
          onChange={e => setJustification(e.target.value)}
          inputProps={{ 'data-testid': 'justification' }}
        />
      </Grid>
      <Grid item xs={12}>
        <FormControlLabel
          control={
            <Checkbox
              checked={ephemeral}
              onChange={e => setEphemeral(e.target.checked)}
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
      {error && (
        <Grid item xs={12}>
          <Alert severity="error">{error.message}</Alert>
        </Grid>
      )}
      <Grid item xs={12}>
        <Button
          variant="contained"
          color="primary"
          disabled={busy || !namespace}
          onClick={submit}
          data-testid="submit"
        >
          {t('form.submit')}
        </Button>
      </Grid>
    </Grid>
  );
}

function TeamGrants() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const api = useApi(gpuPoolApiRef);
  const state = useLive(
    () =>
      api.listRequests('team', [
        'pending-approval',
        'queued',
        'provisioning',
        'active',
        'expiring',
      ]),
    [],
    {
      pollWhile: items =>
        items.some(r => ['queued', 'provisioning'].includes(r.status)),
    },
  );
  const [error, setError] = useState<Error>();
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const items = state.value ?? [];
  if (items.length === 0)
    return <EmptyState missing="data" title={t('grants.empty')} />;
  const act = async (id: string, action: 'release' | 'extend') => {
    try {
      await api.act(id, action, action === 'extend' ? { duration: 'P1D' } : {});
      state.retry();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <>
      {error && <Alert severity="error">{error.message}</Alert>}
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>{t('grants.namespace')}</TableCell>
            <TableCell>{t('grants.gpus')}</TableCell>
            <TableCell>{t('grants.status')}</TableCell>
            <TableCell>{t('grants.timeLeft')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(r => (
            <TableRow key={r.id} data-request={r.id}>
              <TableCell>
                <Link
                  component={RouterLink}
                  to={`requests/${r.id}`}
                >{`${r.cluster}/${r.namespace}`}</Link>
              </TableCell>
              <TableCell>
                {r.gpus.map(g => `${g.count} × ${g.pool}`).join(', ') || '—'}
              </TableCell>
              <TableCell>
                <StatusChip status={r.status} />
              </TableCell>
              <TableCell>{timeLeft(r.expiresAt)}</TableCell>
              <TableCell>
                {['active', 'expiring'].includes(r.status) && (
                  <Button size="small" onClick={() => act(r.id, 'extend')}>
                    {t('grants.extend')}
                  </Button>
                )}
                <Button
                  size="small"
                  color="secondary"
                  onClick={() => act(r.id, 'release')}
                  data-testid={`release-${r.id}`}
                >
                  {t('grants.release')}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

/** The "Request GPUs" page: availability, the form, and the team's grants. */
export function RequestGpusView() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const api = useApi(gpuPoolApiRef);
  const navigate = useNavigate();
  const pools = useLive(() => api.listPools(), []);
  const identity = useIdentity();
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title={t('availability.title')}>
          {pools.loading && !pools.value && <Progress />}
          {pools.error && <ResponseErrorPanel error={pools.error} />}
          {pools.value && <Availability pools={pools.value} />}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title={t('form.title')}>
          {((pools.loading && !pools.value) || identity.loading) && (
            <Progress />
          )}
          {(pools.error || identity.error) && (
            <ResponseErrorPanel error={(pools.error ?? identity.error)!} />
          )}
          {pools.value && identity.value && (
            <RequestForm
              pools={pools.value}
              groups={identity.value.groups}
              onCreated={id => navigate(`requests/${id}`)}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title={t('grants.title')}>
          <TeamGrants />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
