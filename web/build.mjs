// Bundles the dashboard into dist/: app.js (esbuild, minified, with a source map) plus the static
// index.html and styles.css. Run by `npm run build`, which the server's MSBuild target invokes.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const outdir = new URL("./dist/", import.meta.url);
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

await build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  sourcemap: true,
  outfile: "dist/app.js",
  logLevel: "warning",
});

for (const file of ["index.html", "styles.css"]) {
  await copyFile(new URL(`./static/${file}`, import.meta.url), new URL(file, outdir));
}
