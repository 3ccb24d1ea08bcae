import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ShowbackPeriod,
  ShowbackRow,
} from '@internal/plugin-gpu-pool-common';
import { PortalTable, usePortalLanguage } from '@internal/plugin-portal-react';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { totalsByPeriod, totalsOf } from './aggregate';
import { ShowbackClient, ShowbackFilter } from './ShowbackClient';
import { gpuPoolShowbackTranslationRef } from './showbackTranslation';

const teamName = (ref: string) => ref.replace(/^group:default\//, '');

/** Per team and pool: GPU-hours granted, busy, reclaimed, and queue wait. */
export function ShowbackPage() {
  const { t } = useTranslationRef(gpuPoolShowbackTranslationRef);
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [client] = useState(
    () => new ShowbackClient({ discoveryApi, fetchApi }),
  );
  const language = usePortalLanguage();
  const [filter, setFilter] = useState<ShowbackFilter>({ period: 'day' });
  const [csvError, setCsvError] = useState<Error>();
  const state = useAsync(() => client.report(filter), [client, filter]);
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  const fmt = (v: number | undefined) =>
    v === undefined ? t('noMetrics') : number.format(v);

  const download = async () => {
    try {
      setCsvError(undefined);
      const { blob, name } = await client.csv(filter);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setCsvError(e as Error);
    }
  };

  let body;
  if (state.loading) body = <Progress />;
  else if (state.error) body = <ResponseErrorPanel error={state.error} />;
  else {
    const report = state.value!;
    const rows = report.rows;
    const totals = totalsOf(rows);
    const chart = totalsByPeriod(rows).map(p => ({
      period: p.period,
      granted: p.granted,
      busy: p.busy,
      reclaimed: p.reclaimed,
      wait:
        p.meanWaitSeconds === undefined ? undefined : p.meanWaitSeconds / 3600,
    }));
    const missing = Object.entries(report.metrics)
      .filter(([, s]) => s !== 'ok')
      .map(
        ([c, s]) =>
          `${c} (${
            s === 'no-metrics' ? t('noMetrics') : t('metricsUnavailable')
          })`,
      );
    const columns: TableColumn<ShowbackRow>[] = [
      { title: t('table.period'), field: 'periodStart', defaultSort: 'desc' },
      { title: t('table.team'), field: 'team', render: r => teamName(r.team) },
      { title: t('table.pool'), field: 'pool' },
      {
        title: t('totals.granted'),
        field: 'grantedGpuHours',
        type: 'numeric',
        render: r => fmt(r.grantedGpuHours),
      },
      {
        title: t('totals.busy'),
        field: 'busyGpuHours',
        type: 'numeric',
        render: r =>
          r.busyMissing === 'metrics-unavailable'
            ? t('metricsUnavailable')
            : fmt(r.busyGpuHours),
      },
      {
        title: t('totals.reclaimed'),
        field: 'reclaimedGpuHours',
        type: 'numeric',
        render: r => fmt(r.reclaimedGpuHours),
      },
      { title: t('table.grants'), field: 'grants', type: 'numeric' },
      {
        title: t('totals.wait'),
        field: 'meanQueueWaitSeconds',
        type: 'numeric',
        render: r =>
          r.meanQueueWaitSeconds === undefined
            ? '—'
            : `${number.format(r.meanQueueWaitSeconds / 3600)} h`,
      },
    ];
    const total = (
      id: string,
      label: string,
      value: number | undefined,
      text: string,
    ) => (
      <Grid item xs={6} md={3}>
        <InfoCard title={label}>
          <Typography
            variant="h4"
            data-testid={`total-${id}`}
            data-value={value ?? ''}
          >
            {text}
          </Typography>
        </InfoCard>
      </Grid>
    );
    body = (
      <Grid container spacing={3}>
        {missing.length > 0 && (
          <Grid item xs={12}>
            <Alert severity="info" data-testid="metrics-missing">
              {t('metricsMissing', { clusters: missing.join(', ') })}
            </Alert>
          </Grid>
        )}
        {total(
          'granted',
          t('totals.granted'),
          totals.granted,
          fmt(totals.granted),
        )}
        {total('busy', t('totals.busy'), totals.busy, fmt(totals.busy))}
        {total(
          'reclaimed',
          t('totals.reclaimed'),
          totals.reclaimed,
          fmt(totals.reclaimed),
        )}
        {total(
          'wait',
          t('totals.wait'),
          totals.meanWaitSeconds,
          totals.meanWaitSeconds === undefined
            ? '—'
            : `${number.format(totals.meanWaitSeconds / 3600)} h`,
        )}
        {rows.length === 0 ? (
          <Grid item xs={12}>
            <Typography data-testid="showback-empty">{t('empty')}</Typography>
          </Grid>
        ) : (
          <>
            <Grid item xs={12} md={7}>
              <InfoCard title={t('chart.hours')}>
                <div
                  data-testid="chart-hours"
                  style={{ width: '100%', height: 300 }}
                >
                  <ResponsiveContainer>
                    <BarChart data={chart}>
                      <CartesianGrid strokeDasharray="3 3" />
                      <XAxis dataKey="period" />
                      <YAxis />
                      <Tooltip
                        formatter={(v: unknown) =>
                          typeof v === 'number'
                            ? number.format(v)
                            : t('noMetrics')
                        }
                      />
                      <Legend />
                      <Bar
                        dataKey="granted"
                        name={t('totals.granted')}
                        fill="#3f51b5"
                      />
                      <Bar
                        dataKey="busy"
                        name={t('totals.busy')}
                        fill="#4caf50"
                      />
                      <Bar
                        dataKey="reclaimed"
                        name={t('totals.reclaimed')}
                        fill="#ff9800"
                      />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={5}>
              <InfoCard title={t('chart.wait')}>
                <div
                  data-testid="chart-wait"
                  style={{ width: '100%', height: 300 }}
                >
                  <ResponsiveContainer>
                    <LineChart data={chart}>
                      <CartesianGrid strokeDasharray="3 3" />
                      <XAxis dataKey="period" />
                      <YAxis />
                      <Tooltip
                        formatter={(v: unknown) =>
                          typeof v === 'number' ? number.format(v) : '—'
                        }
                      />
                      <Line
                        type="monotone"
                        dataKey="wait"
                        name={t('chart.waitHours')}
                        stroke="#9c27b0"
                        connectNulls
                      />
                    </LineChart>
                  </ResponsiveContainer>
                </div>
              </InfoCard>
            </Grid>
          </>
        )}
        <Grid item xs={12}>
          <PortalTable<ShowbackRow>
            title={t('table.title')}
            options={{
              draggable: false,
              paging: true,
              pageSize: 10,
              search: true,
              padding: 'dense',
            }}
            columns={columns}
            data={rows.map(r => ({ ...r }))}
          />
        </Grid>
      </Grid>
    );
  }

  const teams = state.value?.teams ?? [];
  const pools = [...new Set((state.value?.rows ?? []).map(r => r.pool))].sort();
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <Content>
        <Grid container spacing={2} alignItems="center">
          <Grid item>
            <FormControl
              variant="outlined"
              size="small"
              style={{ minWidth: 140 }}
            >
              <InputLabel id="showback-period">
                {t('filters.period')}
              </InputLabel>
              <Select
                labelId="showback-period"
                label={t('filters.period')}
                value={filter.period}
                data-testid="filter-period"
                onChange={e =>
                  setFilter({
                    ...filter,
                    period: e.target.value as ShowbackPeriod,
                  })
                }
              >
                <MenuItem value="day">{t('filters.day')}</MenuItem>
                <MenuItem value="week">{t('filters.week')}</MenuItem>
                <MenuItem value="month">{t('filters.month')}</MenuItem>
              </Select>
            </FormControl>
          </Grid>
          <Grid item>
            <FormControl
              variant="outlined"
              size="small"
              style={{ minWidth: 220 }}
            >
              <InputLabel id="showback-team">{t('filters.team')}</InputLabel>
              <Select
                labelId="showback-team"
                label={t('filters.team')}
                value={filter.team ?? ''}
                displayEmpty
                onChange={e =>
                  setFilter({
                    ...filter,
                    team: (e.target.value as string) || undefined,
                  })
                }
              >
                <MenuItem value="">{t('filters.allTeams')}</MenuItem>
                {(filter.team && !teams.includes(filter.team)
                  ? [...teams, filter.team]
                  : teams
                ).map(team => (
                  <MenuItem key={team} value={team}>
                    {teamName(team)}
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
          </Grid>
          <Grid item>
            <FormControl
              variant="outlined"
              size="small"
              style={{ minWidth: 180 }}
            >
              <InputLabel id="showback-pool">{t('filters.pool')}</InputLabel>
              <Select
                labelId="showback-pool"
                label={t('filters.pool')}
                value={filter.pool ?? ''}
                displayEmpty
                onChange={e =>
                  setFilter({
                    ...filter,
                    pool: (e.target.value as string) || undefined,
                  })
                }
              >
                <MenuItem value="">{t('filters.allPools')}</MenuItem>
                {(filter.pool && !pools.includes(filter.pool)
                  ? [...pools, filter.pool]
                  : pools
                ).map(pool => (
                  <MenuItem key={pool} value={pool}>
                    {pool}
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
          </Grid>
          <Grid item>
            <Button
              variant="outlined"
              color="primary"
              onClick={download}
              data-testid="showback-csv"
            >
              {t('csv')}
            </Button>
          </Grid>
          {csvError && (
            <Grid item xs={12}>
              <Alert severity="error">{csvError.message}</Alert>
            </Grid>
          )}
          <Grid item xs={12}>
            {body}
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
