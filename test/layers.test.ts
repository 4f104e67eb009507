import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./helpers/cli.js";

/**
 * The layers of docs/architecture.md, held by a test: the model owns every fact type and depends on nothing
 * else of hassguard; checks are pure (the model and each other only, no I/O, no clock, no randomness); only
 * sources read files and talk to the network.
 */
const SRC = path.join(PROJECT_ROOT, "src");

/** Layers the model and the checks must never import. */
const OUTER_LAYERS = ["sources", "app", "cli", "report", "guard"];

/** Node modules a check may use, and which of their exports: computation only, nothing that touches the world. */
const PURE_NODE_EXPORTS: Record<string, readonly string[] | "all"> = {
  "node:path": "all",
  // a certificate parsed from text the config source read: computation, not I/O
  "node:crypto": ["createHash", "X509Certificate"],
  "node:net": ["BlockList", "isIP", "isIPv4", "isIPv6"],
};

/** Globals that reach outside the process or make a result depend on the moment it ran. */
const IMPURE_GLOBALS = new Set(["process", "fetch", "require", "WebSocket", "XMLHttpRequest", "setTimeout"]);

interface Import {
  specifier: string;
  /** Named imports; `*` for a namespace or default import, or a dynamic import. */
  names: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(dir, file));
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

function importsOf(source: ts.SourceFile): Import[] {
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
      const bindings = clause?.namedBindings;
      const names =
        clause?.name === undefined && bindings !== undefined && ts.isNamedImports(bindings)
          ? bindings.elements.map((e) => (e.propertyName ?? e.name).text)
          : ["*"];
      found.push({ specifier, names });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined
    ) {
      const argument = node.arguments[0];
      found.push({ specifier: ts.isStringLiteral(argument) ? argument.text : "<computed>", names: ["*"] });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The top-level folder of src/ a relative import lands in (`sources`, `model`, ...), or undefined. */
function layerOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const target = path.relative(SRC, path.resolve(path.dirname(file), specifier));
  return target.startsWith("..") ? "outside src" : target.split(path.sep)[0];
}

function crossings(folder: string, forbidden: readonly string[]): string[] {
  return sourceFiles(path.join(SRC, folder)).flatMap((file) =>
    importsOf(parse(file))
      .filter((i) => forbidden.includes(layerOf(file, i.specifier) ?? ""))
      .map((i) => `${path.relative(PROJECT_ROOT, file)} imports ${i.specifier}`),
  );
}

function impureUses(file: string): string[] {
  const source = parse(file);
  const where = (node: ts.Node) =>
    `${path.relative(PROJECT_ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const found: string[] = [];
  for (const { specifier, names } of importsOf(source)) {
    if (specifier.startsWith(".")) continue;
    const allowed = PURE_NODE_EXPORTS[specifier];
    const impure = allowed === undefined ? names : allowed === "all" ? [] : names.filter((n) => !allowed.includes(n));
    if (impure.length > 0)
      found.push(`${path.relative(PROJECT_ROOT, file)} imports ${impure.join(", ")} from ${specifier}`);
  }
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && IMPURE_GLOBALS.has(node.text) && !isPropertyName(node)) {
      found.push(`${where(node)} uses ${node.text}`);
    }
    if (ts.isNewExpression(node) && node.expression.getText() === "Date" && (node.arguments?.length ?? 0) === 0) {
      found.push(`${where(node)} reads the clock (new Date()); use facts.now`);
    }
    if (ts.isPropertyAccessExpression(node) && ["Date.now", "Math.random"].includes(node.getText())) {
      found.push(`${where(node)} uses ${node.getText()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isPropertySignature(parent) && parent.name === node)
  );
}

describe("layers", () => {
  it("the model imports nothing from sources, app, cli, report, guard or checks", () => {
    expect(crossings("model", [...OUTER_LAYERS, "checks"])).toEqual([]);
  });

  it("checks import nothing from sources, app, cli, report or guard", () => {
    expect(crossings("checks", OUTER_LAYERS)).toEqual([]);
  });

  it("checks do no I/O: no file, network or process access, no clock, no randomness", () => {
    expect(sourceFiles(path.join(SRC, "checks")).flatMap(impureUses)).toEqual([]);
  });

  it("the rules above see what they forbid (each would fail on these lines)", () => {
    const file = path.join(SRC, "checks", "config", "example.ts");
    const probe = (text: string) => {
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      return importsOf(source).map((i) => ({ layer: layerOf(file, i.specifier), ...i }));
    };
    expect(probe('import type { X } from "../../sources/network/probes/http.js";')[0]?.layer).toBe("sources");
    expect(probe('const m = await import("../../app/audit.js");')[0]?.layer).toBe("app");
    expect(probe('import { readFileSync } from "node:fs";')[0]).toMatchObject({ names: ["readFileSync"] });
    expect(probe('import net from "node:net";')[0]).toMatchObject({ names: ["*"] });
    expect(probe('import { BlockList } from "node:net";')[0]).toMatchObject({ names: ["BlockList"] });
  });
});
