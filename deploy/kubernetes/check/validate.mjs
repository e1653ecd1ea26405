// Validates the manifests of deploy/kubernetes against the Kubernetes API's schemas, as
// kubernetes-models ships them: types, required fields and formats with its validate(), and every
// field's name with TypeScript's check of object literals against its types (a typo such as
// readinesProbe is an error). Run: npm ci && node validate.mjs (docs/deployment.md).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const manifests = join(here, "..");
const generated = join(here, "generated");
rmSync(generated, { recursive: true, force: true });
mkdirSync(generated);

let problems = 0;
const typed = [];
for (const file of readdirSync(manifests).filter((name) => name.endsWith(".yaml")).sort()) {
  for (const [index, document] of parseAllDocuments(readFileSync(join(manifests, file), "utf8")).entries()) {
    if (document.errors.length > 0) {
      console.log(`${file}: ${document.errors[0].message}`);
      problems++;
      continue;
    }
    const manifest = document.toJS();
    if (manifest.apiVersion.startsWith("kustomize.config.k8s.io/")) {
      continue; // kubectl's own file, no API object
    }
    const module = `kubernetes-models/${manifest.apiVersion}/${manifest.kind}`;
    const model = (await import(module))[manifest.kind];
    try {
      new model(manifest).validate();
    } catch (error) {
      console.log(`${file}: ${error.message}`);
      problems++;
    }
    const source = join(generated, `${file.replace(".yaml", "")}-${index}.ts`);
    writeFileSync(
      source,
      `import type { I${manifest.kind} } from "${module}";\n` +
        `export const manifest: I${manifest.kind} = ${JSON.stringify(manifest, null, 2)};\n`,
    );
    typed.push(source);
  }
}
try {
  execFileSync(
    join(here, "node_modules", ".bin", "tsc"),
    ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", ...typed],
    { stdio: "inherit" },
  );
} catch {
  problems++;
}
rmSync(generated, { recursive: true, force: true });
console.log(`${typed.length} manifests checked: ${problems === 0 ? "valid" : problems + " problems"}`);
process.exit(problems === 0 ? 0 : 1);
