import { ReactNode } from 'react';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Typography from '@material-ui/core/Typography';
import { portalTranslationRef } from '../../../translations';

/**
 * A home page card over one asynchronous load, with the loading, error and
 * empty states every view has.
 */
export function AsyncCard<T>(props: {
  title: string;
  testId: string;
  state: { loading: boolean; error?: Error; value?: T };
  isEmpty: (value: T) => boolean;
  empty: string;
  more?: string;
  children: (value: T) => ReactNode;
}) {
  const { t } = useTranslationRef(portalTranslationRef);
  const { loading, error, value } = props.state;
  let body: ReactNode;
  if (loading && value === undefined) {
    body = <Progress />;
  } else if (error) {
    body = (
      <ResponseErrorPanel
        error={error}
        title={t('home.states.error', { message: error.message })}
      />
    );
  } else if (value === undefined || props.isEmpty(value)) {
    body = (
      <Typography variant="body2" color="textSecondary">
        {props.empty}
      </Typography>
    );
  } else {
    body = props.children(value);
  }
  return (
    <InfoCard title={props.title} noPadding={false}>
      <div data-testid={props.testId}>{body}</div>
      {props.more && (
        <Typography variant="body2">
          <Link to={props.more}>{t('home.states.more')}</Link>
        </Typography>
      )}
    </InfoCard>
  );
}
