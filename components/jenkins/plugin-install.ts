/**
 * The controller's init container script: writes the JCasC file and makes the installed plugins
 * exactly the pinned list, without the update center when nothing changed.
 *
 * How jenkins-plugin-cli behaves, from its source
 * (https://github.com/jenkinsci/plugin-installation-manager-tool, PluginManager.java `start`,
 * `findPluginsToDownload`, `downloadPlugin`): every run fetches the update center's metadata and
 * downloads each requested plugin to read its dependencies, even when it is installed; a plugin
 * already in the download directory at the same or a newer version is kept, and one no longer
 * requested is never removed. So installing into the live directory neither removes a plugin
 * dropped from the list nor undoes an upgrade made behind the list's back, and every restart
 * needs the update center.
 *
 * The script therefore records, beside the plugins, a hash of the list (with the Jenkins core
 * version the image carries) and the checksum of every plugin file it installed. A start whose
 * list and files both match downloads nothing. Any difference (a changed list, a new core, a
 * plugin added, upgraded or removed by hand) installs the whole list afresh into a new directory
 * (`--latest false`: dependencies at the lowest versions the pinned plugins require) and swaps it
 * in only once the install succeeded; a failed install exits non-zero, the Jenkins container
 * (which waits for this one to succeed) never starts, and the previous directory stays as it was.
 */
import { TCP_PLUGINS } from "../shared/versions";
import type { Transport } from "../shared/jenkins";

/** The init container's variable holding the plugin list, space-separated `name:version`. */
export const PLUGINS_VARIABLE = "PLUGINS";

/** Where the JCasC file lives in a JENKINS_HOME. */
export const cascPath = (home: string): string => `${home}/casc/jenkins.yaml`;

/** Plugin id of a `name:version` entry. */
const pluginName = (entry: string): string => entry.split(":")[0];

/**
 * The list the controller installs: the stack's list, plus in `tcp` mode the plugins inbound TCP
 * agents need ({@link TCP_PLUGINS}) unless the list already names them at some version.
 */
export function pluginsFor(transport: Transport, plugins: readonly string[]): string[] {
  const named = new Set(plugins.map(pluginName));
  const added = transport === "tcp" ? TCP_PLUGINS.filter((p) => !named.has(pluginName(p))) : [];
  return [...plugins, ...added];
}

/** The init script for a JENKINS_HOME at `home` (a parameter so tests can run it in a scratch directory). */
export function initScript(home: string): string {
  const casc = cascPath(home);
  return [
    "set -eu",
    `home='${home}'`,
    `mkdir -p "$home/casc"`,
    `printf '%s' "$CASC_YAML_BASE64" | base64 -d > "${casc}.new"`,
    `mv "${casc}.new" "${casc}"`,
    "# What the plugins directory must hold: the pinned list, resolved against this core.",
    `wanted=$(printf '%s\\n%s\\n' "$${PLUGINS_VARIABLE}" "\${JENKINS_VERSION:-unknown}" | sha256sum | cut -d ' ' -f 1)`,
    "installed() {",
    `  (cd "$1" && find . -maxdepth 1 -type f \\( -name '*.jpi' -o -name '*.hpi' \\) -exec sha256sum {} + | sort -k 2)`,
    "}",
    `if [ -f "$home/plugins/.pinned-list" ] && [ -f "$home/plugins/.installed" ] &&`,
    `  [ "$(cat "$home/plugins/.pinned-list")" = "$wanted" ] &&`,
    `  [ "$(installed "$home/plugins")" = "$(cat "$home/plugins/.installed")" ]; then`,
    `  echo "plugins: the installed set is the pinned list; nothing to download"`,
    "  exit 0",
    "fi",
    `rm -rf "$home/plugins.new" "$home/plugins.old"`,
    "# Word splitting is wanted: the list is space-separated name:version pairs (no glob characters).",
    "# shellcheck disable=SC2086",
    `jenkins-plugin-cli --latest false --plugin-download-directory "$home/plugins.new" --plugins $${PLUGINS_VARIABLE}`,
    `installed "$home/plugins.new" > "$home/plugins.new/.installed"`,
    `printf '%s\\n' "$wanted" > "$home/plugins.new/.pinned-list"`,
    `if [ -d "$home/plugins" ]; then mv "$home/plugins" "$home/plugins.old"; fi`,
    `mv "$home/plugins.new" "$home/plugins"`,
    `rm -rf "$home/plugins.old"`,
    `echo "plugins: installed the pinned list"`,
  ].join("\n");
}
