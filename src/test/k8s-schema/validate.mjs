// Reads a JSON array of Kubernetes objects (or {"$container": {...}} entries for a bare container,
// as in a Cloud Run job) on stdin and validates each against the Kubernetes OpenAPI schema of its
// apiVersion and kind, using kubernetes-models' validators (generated from the Kubernetes OpenAPI
// spec). Prints one line per problem as "<index> <kind>/<name>: <path> <message>", then
// "checked N object(s)"; exits 1 on any problem, including a kind it has no schema for.
import { readFileSync } from "node:fs";

const input = JSON.parse(readFileSync(0, "utf8"));
let problems = 0;

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch (e) {
    return null;
  }
}

for (const [i, item] of input.entries()) {
  let model, obj, label;
  if (item.$container) {
    obj = item.$container;
    model = await modelFor("v1", "Container");
    label = `Container/${obj.name ?? "?"}`;
  } else {
    obj = item;
    model = await modelFor(obj.apiVersion ?? "", obj.kind ?? "");
    label = `${obj.kind}/${obj.metadata?.name ?? "?"}`;
  }
  if (!model) {
    console.log(`${i} ${label}: no schema for apiVersion ${obj.apiVersion} kind ${obj.kind}`);
    problems++;
    continue;
  }
  try {
    new model(obj).validate();
  } catch (e) {
    const errors = e.errors ?? [{ instancePath: "", message: e.message }];
    for (const err of errors) {
      console.log(`${i} ${label}: ${err.instancePath || "/"} ${err.message}${err.params ? " " + JSON.stringify(err.params) : ""}`);
      problems++;
    }
  }
}
console.log(`checked ${input.length} object(s)`);
process.exit(problems === 0 ? 0 : 1);
