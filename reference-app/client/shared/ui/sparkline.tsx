interface SparklineProps {
  values: number[];
  width?: number;
  height?: number;
  /** Accessible description, e.g. "Revenue over the last 24 hours, rising". */
  label: string;
  trend?: 'up' | 'down' | 'flat';
}

/** Maps values to an SVG polyline's points inside a width×height box with 2 px padding. */
export function sparklinePoints(values: number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 4) / (values.length - 1) : 0;
  return values
    .map((v, i) => `${(2 + i * step).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`)
    .join(' ');
}

/** A tiny inline SVG trend line: no chart library, a few hundred bytes of markup. */
export function Sparkline({ values, width = 120, height = 32, label, trend = 'flat' }: SparklineProps) {
  const points = sparklinePoints(values, width, height);
  return (
    <svg
      className={`sparkline sparkline--${trend}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      {points ? (
        <polyline
          points={points}
          fill="none"
          strokeWidth="2"
          strokeLinejoin="round"
          strokeLinecap="round"
          vectorEffect="non-scaling-stroke"
        />
      ) : null}
    </svg>
  );
}
