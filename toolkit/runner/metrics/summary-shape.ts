/** Checks a value has the structure of k6's handleSummary data; returns problems as JSON-pointer messages (empty = valid). */
export function validateSummaryShape(data: unknown): string[] {
  void data;
  return ['not implemented yet'];
}
