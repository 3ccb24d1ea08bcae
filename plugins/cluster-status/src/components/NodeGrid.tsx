import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { NodeHealth, NodeTile } from '@internal/plugin-cluster-status-common';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import { clusterStatusTranslationRef } from '../translation';

const useStyles = makeStyles(theme => ({
  grid: { display: 'flex', flexWrap: 'wrap', gap: 3 },
  tile: {
    width: 14,
    height: 14,
    borderRadius: 2,
    border: `2px solid transparent`,
    boxSizing: 'border-box',
  },
  ready: { borderColor: theme.palette.success.main },
  'not-ready': { borderColor: theme.palette.error.main },
  pressure: { borderColor: theme.palette.warning.main },
  cordoned: { borderColor: theme.palette.grey[500] },
}));

const FILL: Record<NodeHealth, string> = {
  ready: '46, 125, 50',
  'not-ready': '198, 40, 40',
  pressure: '237, 108, 2',
  cordoned: '117, 117, 117',
};

/**
 * One square per node: the border shows health, the fill how much of its
 * GPUs is allocated (empty for CPU nodes).
 */
export function NodeGrid(props: { tiles: NodeTile[] }) {
  const classes = useStyles();
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  // Thousands of tooltips would slow the page down; large fleets get titles.
  const useTooltips = props.tiles.length <= 200;
  return (
    <Box className={classes.grid} role="list" aria-label={t('summary.nodeGrid')}>
      {props.tiles.map(tile => {
        const ratio = tile.gpuTotal > 0 ? tile.gpuAllocated / tile.gpuTotal : 0;
        const label = `${tile.name} · ${t(`health.${tile.health}`)}${
          tile.gpuTotal > 0
            ? ` · ${tile.gpuModel ?? 'GPU'} ${tile.gpuAllocated}/${tile.gpuTotal}`
            : ''
        }`;
        const square = (
          <div
            role="listitem"
            aria-label={label}
            title={useTooltips ? undefined : label}
            data-health={tile.health}
            className={`${classes.tile} ${classes[tile.health]}`}
            style={{
              backgroundColor:
                tile.gpuTotal > 0
                  ? `rgba(${FILL[tile.health]}, ${0.15 + 0.85 * ratio})`
                  : 'transparent',
            }}
          />
        );
        return useTooltips ? (
          <Tooltip key={tile.name} title={label}>
            {square}
          </Tooltip>
        ) : (
          <span key={tile.name}>{square}</span>
        );
      })}
    </Box>
  );
}
