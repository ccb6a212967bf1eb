/**
 * Plans a stack as the program stood at a git commit: a temporary worktree of that commit (its
 * program and its stack file), the repository's installed packages linked into it, run by this
 * checkout's engine in a child process (offline/child.ts; the Pulumi runtime holds one program per
 * process). The worktree is removed afterwards, whatever happens.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Plan } from "./engine";
import { stackFile, UsageError } from "./stack-file";

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
  removeStaleWorktrees(root);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), WORKTREE_PREFIX));
  const tree = path.join(dir, "tree");
  const added = git(root, ["worktree", "add", "--detach", "--force", tree, commit]);
  if (!added.ok) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`git worktree add ${commit} failed: ${added.err}`);
  }
  const cleanUp = () => {
    git(root, ["worktree", "remove", "--force", tree]);
    fs.rmSync(dir, { recursive: true, force: true });
    git(root, ["worktree", "prune"]);
  };
  // Ctrl-C or a cancelled CI job: the child dies with the signal, the plan fails, and the
  // finally below removes the worktree before the process ends.
  const onSignal = () => {
    process.exitCode = 130;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    if (!fs.existsSync(stackFile(path.join(tree, stacksDir), stack))) return undefined;
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
        result.signal
          ? `the plan of stack ${stack} at ${ref} was interrupted (${result.signal}); its worktree is removed`
          : `the plan of stack ${stack} at ${ref} (${commit.slice(0, 12)}) failed (exit ${result.status}):\n${(result.stderr ?? "").trim()}`,
      );
    }
    return JSON.parse(result.stdout) as { plan: Plan; region: string };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    cleanUp();
  }
}

/** Where temporary worktrees go: `<tmp>/plan-at-ref-XXXXXX/tree`. */
const WORKTREE_PREFIX = "plan-at-ref-";

/**
 * Removes worktrees an earlier run left behind (a process killed outright), once they are an hour
 * old, so a run going on beside this one keeps its own.
 */
function removeStaleWorktrees(root: string): void {
  const listed = git(root, ["worktree", "list", "--porcelain"]).out.split("\n");
  for (const line of listed) {
    const tree = line.startsWith("worktree ") ? line.slice("worktree ".length) : "";
    const dir = path.dirname(tree);
    const stale =
      path.basename(dir).startsWith(WORKTREE_PREFIX) &&
      path.dirname(dir) === os.tmpdir() &&
      (!fs.existsSync(dir) || fs.statSync(dir).mtimeMs < Date.now() - 3_600_000);
    if (stale) {
      git(root, ["worktree", "remove", "--force", tree]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  git(root, ["worktree", "prune"]);
}
