import { readFileSync } from 'node:fs';
import path from 'node:path';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { CLIENT_DIR } from '../webpack.config.ts';
import pureReactCalls from './pure-react-calls-loader.js';

const SAMPLE = `import * as React10 from "react";
var LocationContext = React10.createContext(null);
LocationContext.displayName = "Location";
var Form = React10.forwardRef(function FormImpl(props, ref) { return submitHelpers(props, ref); });
Form.displayName = "Form";
var Link = React10.forwardRef(function LinkImpl(props, ref) { return props; });
Link.displayName = "Link";
export { Link };
`;

describe('pure React calls in react-router', () => {
  it('marks module-level forwardRef/createContext calls pure and drops displayName writes', () => {
    const out = pureReactCalls(SAMPLE);
    expect(out).toContain('var Form = /*#__PURE__*/ React10.forwardRef(');
    expect(out).toContain('var LocationContext = /*#__PURE__*/ React10.createContext(null);');
    expect(out).not.toContain('displayName');
  });

  it('lets the minifier drop what is unused and keep what is used', async () => {
    const options = { minify: true, treeShaking: true, format: 'esm' } as const;
    const minified = await transform(pureReactCalls(SAMPLE), options);
    expect(minified.code).toContain('forwardRef');
    expect(minified.code).not.toContain('submitHelpers');
    const untouched = await transform(SAMPLE, options);
    expect(untouched.code).toContain('submitHelpers');
  });

  it('finds such calls in the installed react-router production build', () => {
    const manifest = path.join(CLIENT_DIR, '../../node_modules/react-router/package.json');
    const dist = path.join(path.dirname(manifest), 'dist/production');
    const chunk = readFileSync(path.join(dist, 'index.mjs'), 'utf8').match(/from "\.\/(chunk-[\w-]+\.mjs)"/g) ?? [];
    const sources = chunk.map((c) => readFileSync(path.join(dist, c.slice(8, -1)), 'utf8')).join('\n');
    const out = pureReactCalls(sources);
    expect(out.match(/\/\*#__PURE__\*\/ React\d*\.(forwardRef|createContext|memo)\(/g)?.length).toBeGreaterThan(10);
    expect(out).not.toMatch(/\.displayName = "/);
  });
});
