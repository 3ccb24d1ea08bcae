import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  GpuPoolReasonKey,
  parseDuration,
  parseReason,
} from '@internal/plugin-gpu-pool-common';
import {
  DisplayName,
  PortalFormat,
  usePortalFormat,
} from '@internal/plugin-portal-react';
import { gpuPoolTranslationRef } from '../translation';

/** Times and durations among a reason's parameters, in the portal's language. */
function localParams(params: Record<string, string>, format: PortalFormat) {
  const out: Record<string, string> = { ...params };
  for (const name of ['at', 'until']) {
    const value = params[name];
    if (value !== undefined && !Number.isNaN(Date.parse(value))) {
      out[name] = format.dateTime(value);
    }
  }
  const ms =
    params.duration !== undefined ? parseDuration(params.duration) : undefined;
  if (ms !== undefined) out.duration = format.duration(ms);
  return out;
}

/** Placeholders that hold a team's name or entity ref. */
const teamParams = ['team', 'owner'];

/** Teams among a reason's parameters, by their display names. */
function teamNames(params: Record<string, string>) {
  const out: Record<string, JSX.Element> = {};
  for (const name of teamParams) {
    const ref = params[name];
    if (ref) out[name] = <DisplayName entityRef={ref} defaultKind="group" />;
  }
  return out;
}

/**
 * A reason the backend wrote (timeline, last error), in the portal's language
 * when it is one of the catalog's; free text (an approver's comment, a
 * cluster's error) as written. Teams show by their display names.
 */
export function ReasonText(props: { text: string }) {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const format = usePortalFormat();
  const parsed = parseReason(props.text);
  if (!parsed) return <>{props.text}</>;
  const key: `reasons.${GpuPoolReasonKey}` = `reasons.${parsed.key}`;
  const params = localParams(parsed.params, format);
  const teams = teamNames(parsed.params);
  return (
    <>
      {Object.keys(teams).length > 0
        ? t(key, { ...params, ...teams })
        : t(key, params)}
    </>
  );
}
