import {
  Link,
  sidebarConfig,
  useSidebarOpenState,
} from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';

const useStyles = makeStyles(theme => ({
  root: {
    width: sidebarConfig.drawerWidthClosed,
    height: 3 * sidebarConfig.logoHeight,
    display: 'flex',
    flexFlow: 'row nowrap',
    alignItems: 'center',
    marginBottom: -14,
  },
  link: {
    width: sidebarConfig.drawerWidthClosed,
    marginLeft: 24,
    // The sidebar's own text colour: the primary blue on its dark
    // background has 2.3:1 contrast (WCAG 1.4.3 needs 3:1 at this size).
    color: theme.palette.navigation.selectedColor,
  },
  mark: {
    fontWeight: 700,
    letterSpacing: '0.02em',
    whiteSpace: 'nowrap',
  },
}));

/** The portal's word mark; short when the sidebar is closed. */
export function SidebarLogo() {
  const classes = useStyles();
  const { isOpen } = useSidebarOpenState();
  return (
    <div className={classes.root}>
      {/* The visible word mark is the link's name (WCAG 2.5.3). */}
      <Link to="/" underline="none" className={classes.link}>
        <Typography variant="h6" className={classes.mark}>
          {isOpen ? 'Cloud Smart' : 'CS'}
        </Typography>
      </Link>
    </div>
  );
}
