/**
 * Checks of command-line values that end up in files (nginx.conf, an output folder). Each returns
 * why a value is refused, or undefined. Pure, apart from {@link outDirProblem}, which looks at
 * the file system.
 */
import * as fs from "fs";
import * as path from "path";
import { isIpv4Address } from "../../components/network/cidr";
import { HOST_LABEL } from "../../config/checks";

/**
 * Characters nginx reads as syntax in a directive's arguments (nginx's configuration parser,
 * src/core/ngx_conf_file.c: `;` ends a directive, `{`/`}` open and close blocks, quotes start
 * strings, whitespace separates arguments, `#` starts a comment, `$` starts a variable) plus the
 * backslash escape and control characters. A value with any of them could add directives.
 */
const NGINX_SYNTAX = /[;{}"'\s#$\\\p{Cc}]/u;

/** A bracketed IPv6 address (`[fd00::10]`), as nginx writes it beside a port. */
export function isBracketedIpv6(text: string): boolean {
  return /^\[[0-9A-Fa-f:.]{2,45}\]$/.test(text) && text.includes(":");
}

/** A host name: dot-separated DNS labels, at most 253 characters. */
export function isHostName(text: string): boolean {
  return text.length > 0 && text.length <= 253 && text.split(".").every((l) => HOST_LABEL.test(l));
}

/** `--server-name`: the name nginx sends as SNI and verifies on the upstream certificate. */
export function serverNameProblem(value: string): string | undefined {
  return isHostName(value) || isIpv4Address(value) ? undefined : "expected a host name or an IPv4 address";
}

/** `--resolver`: a DNS server as nginx's `resolver` takes it: address or name, optional `:port`. */
export function resolverProblem(value: string): string | undefined {
  const match = /^(.*?)(?::(\d{1,5}))?$/.exec(value);
  const host = match?.[1] ?? "";
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return "expected a port from 1 to 65535";
  return isIpv4Address(host) || isBracketedIpv6(host) || isHostName(host)
    ? undefined
    : "expected an IPv4 address, a bracketed IPv6 address or a host name, with an optional :port";
}

/** `--listen`: HOST:PORT where HOST is an address or a name. */
export function listenProblem(value: string): string | undefined {
  const match = /^(.*):(\d{1,5})$/.exec(value);
  if (!match) return "expected HOST:PORT, such as 127.0.0.1:8080";
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return "expected a port from 1 to 65535";
  return isIpv4Address(match[1]) || isBracketedIpv6(match[1]) || isHostName(match[1])
    ? undefined
    : "expected HOST:PORT, such as 127.0.0.1:8080";
}

/** A path nginx reads as one argument: no syntax characters; absolute when `absolute`. */
export function nginxPathProblem(value: string, absolute: boolean): string | undefined {
  if (value.length === 0 || value.length > 1024) return "expected a path of 1 to 1024 characters";
  if (NGINX_SYNTAX.test(value)) {
    return "expected a path without whitespace, quotes, ;, {, }, #, $ or \\ (nginx would read them as syntax)";
  }
  if (absolute && !path.isAbsolute(value)) return "expected an absolute path";
  return undefined;
}

/**
 * `--out DIR`: why the folder cannot be created or written, found before any work is done. The
 * nearest existing ancestor must be a writable directory, and every missing level is created one
 * at a time (a recursive mkdir under a pseudo file system such as /proc can loop forever in
 * Node.js instead of failing).
 */
export function outDirProblem(dir: string): string | undefined {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let existing = target;
  while (!fs.existsSync(existing)) {
    missing.unshift(existing);
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (!fs.statSync(existing).isDirectory()) return `${existing} is not a directory`;
  for (const level of missing) {
    try {
      fs.mkdirSync(level);
    } catch (err) {
      return `cannot create ${level} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
  }
  try {
    fs.accessSync(target, fs.constants.W_OK);
  } catch {
    return `${target} is not writable`;
  }
  return undefined;
}
