/**
 * A webpack loader for react-router's production build (JavaScript, not
 * TypeScript: webpack loads loaders itself, outside tsx).
 *
 * react-router defines its components and contexts at module level with
 * `React.forwardRef(…)`, `React.createContext(…)`, `React.memo(…)`, then sets
 * their `displayName`. Calls and property writes count as side effects, so
 * the minifier keeps every one of them, and all the code they reference
 * (`<Form>` and its submission helpers, for instance), in every bundle.
 * Marking those calls pure, as React's own build tooling does for JSX, and
 * leaving out the `displayName` writes (read only by React DevTools, never by
 * react-router) lets unused ones be dropped.
 *
 * @param {string} source
 * @returns {string}
 */
export default function pureReactCalls(source) {
  return source
    .replace(/(=\s*)(React\d*\.(?:forwardRef|createContext|memo)\()/g, '$1/*#__PURE__*/ $2')
    .replace(/^[ \t]*[\w$]+\.displayName = "[^"\n]*";[ \t]*$/gm, '');
}
