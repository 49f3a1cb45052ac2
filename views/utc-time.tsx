import type { FC } from 'hono/jsx';

/** `2026-03-02T09:15:00.000Z` → "2026-03-02 09:15 UTC". */
export const utcText = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** How long ago, in words: "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function agoText(iso: string, now: Date): string {
  const seconds = Math.round((now.getTime() - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  const [amount, unit] = seconds < 3600 ? [Math.floor(seconds / 60), 'minute'] : seconds < 86_400 ? [Math.floor(seconds / 3600), 'hour'] : [Math.floor(seconds / 86_400), 'day'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'} ago`;
}

/** A moment shown as "5 minutes ago" with the exact UTC time beside it, or `never`. */
export const Ago: FC<{ at: string | null; now: Date; never?: string }> = ({ at, now, never = 'Never' }) =>
  at ? (
    <time datetime={at} title={utcText(at)}>
      {agoText(at, now)} <span class="help">({utcText(at)})</span>
    </time>
  ) : (
    <>{never}</>
  );

/** A moment shown as its exact UTC time. */
export const Utc: FC<{ at: string | null; none?: string }> = ({ at, none = 'Not known' }) => (at ? <time datetime={at}>{utcText(at)}</time> : <>{none}</>);
