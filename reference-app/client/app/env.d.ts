// webpack's DefinePlugin replaces this at build time: true in production builds.
declare const __PRODUCTION__: boolean;
