// Copies the front-end assets we use from node_modules (installed from the npm registry with `npm ci`)
// into build/static/vendor and the PDF fonts into build/fonts. Nothing is fetched at run time.
import { cpSync, existsSync, mkdirSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = join(root, "node_modules");
const out = join(root, "build", "static", "vendor");
const fonts = join(root, "build", "fonts");

rmSync(join(root, "build"), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
mkdirSync(fonts, { recursive: true });

function copy(from, to) {
  const src = join(nm, from);
  if (!existsSync(src)) throw new Error(`missing ${src}: run npm ci first`);
  const dest = join(out, to);
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(src, dest, { recursive: true });
}

// KRDS design system: tokens, common and component CSS with the icons and fonts they reference.
copy("krds-uiux/resources/css/token/krds_tokens.css", "krds/css/token/krds_tokens.css");
copy("krds-uiux/resources/css/common/common.css", "krds/css/common/common.css");
copy("krds-uiux/resources/css/component/component.css", "krds/css/component/component.css");
copy("krds-uiux/resources/img", "krds/img");
// component.css refers to its icons one folder deeper (../../img/img/...) than common.css does.
copy("krds-uiux/resources/img/component", "krds/img/img/component");
copy("krds-uiux/resources/fonts", "krds/fonts");
// Pretendard (web font, subset woff2) and its stylesheet.
copy("pretendard/dist/web/static/pretendard-subset.css", "pretendard/pretendard-subset.css");
copy("pretendard/dist/web/static/woff2-subset", "pretendard/woff2-subset");
copy("pretendard/dist/web/static/woff-subset", "pretendard/woff-subset");
// htmx and Chart.js (UMD builds, loaded as plain files).
copy("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js");
copy("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js");
// SortableJS: drag-and-drop reordering (the agenda); keyboard users keep the Up/Down buttons.
copy("sortablejs/Sortable.min.js", "sortablejs/Sortable.min.js");
// axe-core, only used by the browser tests (never linked from pages).
copy("axe-core/axe.min.js", "axe/axe.min.js");

// Strip source-map comments so that collectstatic does not look for .map files that we do not ship.
for (const file of ["krds/css/common/common.css", "krds/css/component/component.css", "krds/css/token/krds_tokens.css",
                    "htmx/htmx.min.js", "chartjs/chart.umd.min.js", "sortablejs/Sortable.min.js", "axe/axe.min.js"]) {
  const p = join(out, file);
  writeFileSync(p, readFileSync(p, "utf8").replace(/\/\*# sourceMappingURL=.*?\*\//g, "").replace(/^\/\/# sourceMappingURL=.*$/gm, ""));
}

// TrueType fonts for PDF documents (fpdf2 embeds them).
cpSync(join(nm, "pretendard/dist/public/static/alternative/Pretendard-Regular.ttf"), join(fonts, "Pretendard-Regular.ttf"));
cpSync(join(nm, "pretendard/dist/public/static/alternative/Pretendard-Bold.ttf"), join(fonts, "Pretendard-Bold.ttf"));
console.log("assets built in build/static/vendor and build/fonts");
