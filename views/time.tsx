import type { FC } from 'hono/jsx';

/**
 * Times as the console shows them, in one place: the exact UTC time (no time zone is stored
 * yet, so "UTC" is always written), and how long ago or ahead in words beside it.
 */

import { utcText } from '../src/lib/utc-text';

export { utcText };

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** How long ago (or ahead) `iso` is from `now`, in words: "just now", "5 minutes ago", "in 2 hours". */
export function agoText(iso: string, now: Date | string): string {
  const ms = (typeof now === 'string' ? Date.parse(now) : now.getTime()) - Date.parse(iso);
  const abs = Math.abs(ms);
  if (abs < 60_000) return ms >= 0 ? 'just now' : 'in under a minute';
  const [amount, unit] = abs < 3_600_000 ? [Math.floor(abs / 60_000), 'minute'] : abs < 172_800_000 ? [Math.floor(abs / 3_600_000), 'hour'] : [Math.floor(abs / 86_400_000), 'day'];
  return ms >= 0 ? `${plural(amount, unit)} ago` : `in ${plural(amount, unit)}`;
}

/** A moment shown as "5 minutes ago" with the exact UTC time beside it (and in `datetime`), or `never`. */
export const Ago: FC<{ at: string | null; now: Date | string; never?: string }> = ({ at, now, never = 'Never' }) =>
  at ? (
    <time datetime={at}>
      {agoText(at, now)} <span class="help">({utcText(at)})</span>
    </time>
  ) : (
    <>{never}</>
  );

/** A moment shown as its exact UTC time. */
export const Utc: FC<{ at: string | null; none?: string }> = ({ at, none = 'Not known' }) => (at ? <time datetime={at}>{utcText(at)}</time> : <>{none}</>);
