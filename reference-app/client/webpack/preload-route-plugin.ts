import HtmlWebpackPlugin from 'html-webpack-plugin';
import type { Compiler } from 'webpack';

/**
 * Adds `<link rel="preload" as="script">` for one lazy route chunk to
 * index.html. The dashboard is where a returning user lands: fetching its
 * chunk alongside the entry scripts avoids a request waterfall on load.
 */
export class PreloadRoutePlugin {
  constructor(private readonly chunkName: string) {}

  apply(compiler: Compiler): void {
    compiler.hooks.compilation.tap('PreloadRoutePlugin', (compilation) => {
      HtmlWebpackPlugin.getCompilationHooks(compilation).alterAssetTagGroups.tap('PreloadRoutePlugin', (data) => {
        const publicPath = compilation.outputOptions.publicPath === 'auto' ? '/' : String(compilation.outputOptions.publicPath ?? '/');
        for (const chunk of compilation.chunks) {
          if (chunk.name !== this.chunkName) continue;
          for (const file of chunk.files) {
            if (!file.endsWith('.js')) continue;
            data.headTags.push(HtmlWebpackPlugin.createHtmlTagObject('link', { rel: 'preload', as: 'script', href: publicPath + file }));
          }
        }
        return data;
      });
    });
  }
}
