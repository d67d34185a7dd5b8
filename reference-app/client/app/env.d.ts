// webpack's DefinePlugin replaces process.env.NODE_ENV at build time (mode); nothing else of process exists in the browser.
declare const process: { env: { NODE_ENV?: string } };
