/**
 * The toolkit uses a system Chromium or Chrome (PATH or CHROME_PATH) and never
 * downloads a browser at install time. To get one without a package manager,
 * run `npx puppeteer browsers install chrome` and set CHROME_PATH.
 */
module.exports = { skipDownload: true };
