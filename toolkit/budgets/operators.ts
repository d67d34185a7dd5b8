/** The one table of comparison operators a budget limit may use. */
export const OPERATORS = {
  '<=': { test: (a: number, b: number) => a <= b, worse: 'higher', words: 'at most' },
  '<': { test: (a: number, b: number) => a < b, worse: 'higher', words: 'below' },
  '>=': { test: (a: number, b: number) => a >= b, worse: 'lower', words: 'at least' },
  '>': { test: (a: number, b: number) => a > b, worse: 'lower', words: 'above' },
  '==': { test: (a: number, b: number) => a === b, worse: 'either', words: 'exactly' },
} as const;

/** A comparison operator. */
export type Operator = keyof typeof OPERATORS;

/** True when the text is one of the table's operators. */
export function isOperator(text: string | undefined): text is Operator {
  return text !== undefined && Object.hasOwn(OPERATORS, text);
}
