import type { FC } from 'hono/jsx';

/**
 * A QR code drawn as inline SVG from its modules (one square per dark module, in one path), so
 * the page needs nothing from elsewhere and the CSP needs no exception: SVG's presentation
 * attributes are not styles. The title names it for screen readers.
 */
export const QrCode: FC<{ modules: readonly (readonly boolean[])[]; title: string }> = ({ modules, title }) => {
  const size = modules.length;
  const path = modules.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : ''))).join('');
  return (
    <svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${size} ${size}`} width="232" height="232" role="img" aria-labelledby="qr-title" shape-rendering="crispEdges">
      <title id="qr-title">{title}</title>
      <rect width={size} height={size} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
};
