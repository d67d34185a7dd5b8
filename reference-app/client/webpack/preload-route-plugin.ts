import HtmlWebpackPlugin from 'html-webpack-plugin';
import type { Compiler } from 'webpack';

/**
 * Adds preloads to index.html for what the landing route needs after the
 * entry scripts: its lazy chunk (`as="script"`) and its API data (`as="fetch"`).
 * Fetched alongside the entry scripts instead of after they ran, they take a
 * request waterfall off the dashboard's load. crossorigin="anonymous" gives
 * the preload the same mode and credentials as the app's own same-origin fetch,
 * so the browser hands the preloaded answer to that fetch.
 */
export class PreloadRoutePlugin {
  constructor(
    private readonly chunkName: string,
    private readonly apiPaths: readonly string[] = [],
  ) {}

  apply(compiler: Compiler): void {
    compiler.hooks.compilation.tap('PreloadRoutePlugin', (compilation) => {
      HtmlWebpackPlugin.getCompilationHooks(compilation).alterAssetTagGroups.tap('PreloadRoutePlugin', (data) => {
        const publicPath =
          compilation.outputOptions.publicPath === 'auto' ? '/' : String(compilation.outputOptions.publicPath ?? '/');
        for (const apiPath of this.apiPaths) {
          data.headTags.unshift(
            HtmlWebpackPlugin.createHtmlTagObject('link', {
              rel: 'preload',
              as: 'fetch',
              href: apiPath,
              crossorigin: 'anonymous',
            }),
          );
        }
        for (const chunk of compilation.chunks) {
          if (chunk.name !== this.chunkName) continue;
          for (const file of chunk.files) {
            if (file.endsWith('.js'))
              data.headTags.push(
                HtmlWebpackPlugin.createHtmlTagObject('link', {
                  rel: 'preload',
                  as: 'script',
                  href: publicPath + file,
                }),
              );
          }
        }
        return data;
      });
    });
  }
}
