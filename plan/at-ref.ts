/**
 * Plans a stack as the program stood at a git commit: a temporary worktree of that commit (its
 * program and its stack file), the repository's installed packages linked into it, run by this
 * checkout's engine in a child process (plan/child.ts; the Pulumi runtime holds one program per
 * process). The worktree is removed afterwards, whatever happens.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Plan } from "./engine";
import { UsageError } from "./stack-file";

function git(root: string, args: string[]): { ok: boolean; out: string; err: string } {
  const result = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return { ok: result.status === 0, out: (result.stdout ?? "").trim(), err: (result.stderr ?? "").trim() };
}

/** The commit a ref names; a usage error when it names none. */
export function resolveCommit(root: string, ref: string): string {
  const found = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!found.ok || !found.out) {
    throw new UsageError(`--diff: got "${ref}"; expected a git commit, branch or tag of this repository`);
  }
  return found.out;
}

/** The plan at `ref` and its region, or `undefined` when the stack has no stack file there (a new stack). */
export function planAtRef(
  root: string,
  ref: string,
  stack: string,
  stacksDir = "stacks",
): { plan: Plan; region: string } | undefined {
  const commit = resolveCommit(root, ref);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-at-ref-"));
  const tree = path.join(dir, "tree");
  const added = git(root, ["worktree", "add", "--detach", "--force", tree, commit]);
  if (!added.ok) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`git worktree add ${commit} failed: ${added.err}`);
  }
  try {
    if (!fs.existsSync(path.join(tree, stacksDir, `Pulumi.${stack}.yaml`))) return undefined;
    fs.symlinkSync(path.join(root, "node_modules"), path.join(tree, "node_modules"), "dir");
    const result = spawnSync(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        path.join(__dirname, "child.ts"),
        path.join(tree, "index.ts"),
        path.join(tree, stacksDir),
        stack,
      ],
      { cwd: tree, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
    );
    if (result.status !== 0) {
      throw new Error(
        `the plan of stack ${stack} at ${ref} (${commit.slice(0, 12)}) failed (exit ${result.status}):\n${(result.stderr ?? "").trim()}`,
      );
    }
    return JSON.parse(result.stdout) as { plan: Plan; region: string };
  } finally {
    git(root, ["worktree", "remove", "--force", tree]);
    fs.rmSync(dir, { recursive: true, force: true });
    git(root, ["worktree", "prune"]);
  }
}
