/** See pure-react-calls-loader.js: marks react-router's module-level React calls pure, drops displayName writes. */
export default function pureReactCalls(source: string): string;
