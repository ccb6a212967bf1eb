import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REFERENCE_FILE, renderReference, withReference } from "../../config/reference";
import { STACK_SCHEMA, NAMESPACE } from "../../config/stack-config";
import { ROOT } from "../harness/plan";

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const readme = () => read("README.md");

/** Every Markdown page whose links are checked, relative to the repository root. */
function markdownPages(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`);
  return ["README.md", ...docs, "policy/README.md"];
}

/** The lines of `text` outside fenced code blocks. */
function outsideFences(text: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const opener = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length) fence = undefined;
    } else if (opener !== undefined) {
      fence = opener;
    } else {
      lines.push(line);
    }
  }
  return lines;
}

/** The lines of `text` outside fenced code blocks, with inline code spans removed. */
const proseLines = (text: string) => outsideFences(text).map((line) => line.replace(/(`+)[^`]*?\1/g, ""));

/** GitHub's anchor for a heading: lowercase, punctuation but `-` and `_` removed, spaces to hyphens. */
function githubSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a page's headings, with GitHub's `-1`, `-2` suffixes for repeated ones. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of outsideFences(text)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** The link targets of a page (inline, image and reference definitions), outside code. */
function linkTargets(text: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(text)) {
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]);
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (definition) targets.push(definition[1]);
  }
  return targets;
}

/**
 * Broken relative links of `file` (relative to `root`): a target that is not a file or directory
 * in the repository, or an `#anchor` no heading of the target page has. One line each.
 */
function brokenLinks(root: string, file: string, text: string): string[] {
  const problems: string[] = [];
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const hash = target.indexOf("#");
    const pathPart = decodeURI(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const resolved =
      pathPart === "" ? path.join(root, file) : path.resolve(root, path.dirname(file), pathPart);
    const relative = path.relative(root, resolved);
    if (relative.startsWith("..") || path.isAbsolute(relative) || !fs.existsSync(resolved)) {
      problems.push(`${file}: link ${target}: no file ${relative}`);
      continue;
    }
    if (anchor === undefined) continue;
    if (!resolved.endsWith(".md")) {
      problems.push(`${file}: link ${target}: an anchor into ${relative}, which is not Markdown`);
      continue;
    }
    const targetText = pathPart === "" ? text : fs.readFileSync(resolved, "utf8");
    if (!anchors(targetText).has(anchor)) {
      problems.push(`${file}: link ${target}: no heading #${anchor} in ${relative}`);
    }
  }
  return problems;
}

describe("Documentation", () => {
  it("carries the current configuration reference (run npm run docs after changing the schema)", () => {
    const page = read(REFERENCE_FILE);
    assert.strictEqual(withReference(page), page);
  });

  it("documents every key of the schema with its type and default", () => {
    const reference = renderReference();
    for (const row of STACK_SCHEMA.rows(NAMESPACE)) {
      const key = row.key.slice(NAMESPACE.length);
      assert.ok(reference.includes(`| \`${key}\` |`), `${key} is not documented`);
      assert.ok(row.doc.length > 10, `${key} has no meaning documented`);
    }
  });

  it("keeps the two quick-start commands and the deploy path in the README", () => {
    const text = readme();
    assert.ok(text.includes("```sh\nnpm ci && npm run plan -- --stack dev\nnpm test\n```\n"));
    for (const step of [
      "pulumi login",
      "pulumi stack select",
      "pulumi config set",
      "npm run preflight -- --stack dev",
      "pulumi up",
      "npm run smoke -- --stack dev",
    ]) {
      assert.ok(text.includes(step), step);
    }
  });

  it("keeps the README at most 250 lines", () => {
    const lines = readme().split("\n").length - 1;
    assert.ok(lines <= 250, `README.md has ${lines} lines`);
  });

  it("keeps the markers npm run bench:proxy writes its table between", () => {
    const page = read("docs/benchmark.md");
    const begin = page.indexOf("<!-- bench:proxy:begin (written by npm run bench:proxy) -->");
    assert.ok(begin >= 0 && page.indexOf("<!-- bench:proxy:end -->") > begin);
  });

  it("links every docs page from the README", () => {
    const targets = new Set(linkTargets(readme()));
    for (const page of markdownPages().filter((p) => p.startsWith("docs/"))) {
      assert.ok(targets.has(page), `README.md does not link ${page}`);
    }
  });

  it("has no broken relative link or anchor in the README, docs/ and policy/README.md", () => {
    const pages = markdownPages();
    assert.ok(pages.length > 10, pages.join(", "));
    const problems = pages.flatMap((file) => brokenLinks(ROOT, file, read(file)));
    assert.deepStrictEqual(problems, []);
  });

  describe("the link check", () => {
    it("derives anchors as GitHub does", () => {
      assert.strictEqual(githubSlug("After `pulumi up`: the smoke check"), "after-pulumi-up-the-smoke-check");
      assert.strictEqual(
        githubSlug("Where Pulumi runs from: `agentCluster.apiAccess`"),
        "where-pulumi-runs-from-agentclusterapiaccess",
      );
      assert.strictEqual(
        githubSlug("What Jenkins answers on `/wsagents/`, and the 2560-byte buffer"),
        "what-jenkins-answers-on-wsagents-and-the-2560-byte-buffer",
      );
      assert.strictEqual(githubSlug("AWS roles (GitHub OIDC)"), "aws-roles-github-oidc");
      assert.strictEqual(githubSlug("snake_case and [a link](x.md)"), "snake_case-and-a-link");
      assert.deepStrictEqual(
        [...anchors("# Top\n\n## Cost\n\n```sh\n# not a heading\n```\n\n## Cost\n### `code` heading ##\n")],
        ["top", "cost", "cost-1", "code-heading"],
      );
    });

    it("reports a missing file, a missing anchor and an anchor into a non-Markdown file", () => {
      const text = [
        "[ok](docs/deploy.md#quotas) [self](#here) [web](https://example.com/x.md) ![img](missing.png)",
        "[gone](docs/nowhere.md) [bad anchor](docs/deploy.md#no-such-heading) [file](package.json#x)",
        "`[in code](docs/nowhere.md)`",
        "```md",
        "[in a fence](docs/nowhere.md)",
        "```",
        "[ref]: docs/also-gone.md",
        "## Here",
      ].join("\n");
      assert.deepStrictEqual(brokenLinks(ROOT, "README.md", text), [
        "README.md: link missing.png: no file missing.png",
        "README.md: link docs/nowhere.md: no file docs/nowhere.md",
        "README.md: link docs/deploy.md#no-such-heading: no heading #no-such-heading in docs/deploy.md",
        "README.md: link package.json#x: an anchor into package.json, which is not Markdown",
        "README.md: link docs/also-gone.md: no file docs/also-gone.md",
      ]);
    });

    it("resolves links from the page's own directory and refuses paths out of the repository", () => {
      assert.deepStrictEqual(
        brokenLinks(ROOT, "docs/ci.md", "[a](deploy.md) [b](../README.md#documentation)"),
        [],
      );
      assert.deepStrictEqual(brokenLinks(ROOT, "docs/ci.md", "[a](docs/deploy.md) [b](../../outside.md)"), [
        "docs/ci.md: link docs/deploy.md: no file docs/docs/deploy.md",
        "docs/ci.md: link ../../outside.md: no file ../outside.md",
      ]);
    });
  });
});
