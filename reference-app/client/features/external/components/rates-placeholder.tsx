/** The rates card while its data (or its code) is on the way: the same box, so nothing moves when it fills. */
export function RatesPlaceholder() {
  return <aside className="card rates rates--loading" aria-busy="true" aria-label="Exchange rates" />;
}
